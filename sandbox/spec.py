"""The official Bot API method list (``data/api.json``) and request validation against it.

Telegram receives every parameter as a string (form or query encoded, with non-string values
JSON-encoded) or as a typed value in a JSON body. ``ApiSpec.decode`` turns either into typed
Python values by each field's declared type-strings and checks what the machine-readable spec
knows: required fields, conditional "Required if X is not specified" fields, and the structure
of nested objects such as reply markup. Limits stated only in prose live in ``methods.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sandbox.errors import bad_request

_ARRAY_PREFIX = "Array of "
_REQUIRED_UNLESS = re.compile(
    r"^Required if (\w+)(?: and (\w+))? (?:is|are) not specified|"
    r"required if (\w+) isn't specified"
)
_FIXED_VALUE = re.compile(r'always "([^"]+)"|must be ([\w-]+)')
_FIRST_QUOTED = re.compile(r'"([^"]+)"')


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:  # keep call logs readable: never dump the bytes
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    # Field is required unless *all* of these are given (from "Required if ... not specified").
    required_unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    returns: tuple[str, ...]

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


class _Mismatch(Exception):
    """A value does not fit a type; ``path`` says where, so unions can report the closest fit."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def _field_from_json(raw: Mapping[str, Any]) -> FieldSpec:
    unless: tuple[str, ...] = ()
    match = _REQUIRED_UNLESS.search(raw.get("description", ""))
    if match:
        unless = tuple(g for g in match.groups() if g)
    return FieldSpec(
        name=raw["name"],
        types=tuple(raw["types"]),
        required=bool(raw["required"]),
        description=raw.get("description", ""),
        required_unless=unless,
    )


class ApiSpec:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw["version"]
        self.methods: dict[str, MethodSpec] = {
            name: MethodSpec(
                name=name,
                fields=tuple(_field_from_json(f) for f in body.get("fields", [])),
                returns=tuple(body["returns"]),
            )
            for name, body in raw["methods"].items()
        }
        self.types: dict[str, dict[str, Any]] = dict(raw["types"])
        self._type_fields: dict[str, tuple[FieldSpec, ...]] = {
            name: tuple(_field_from_json(f) for f in body.get("fields", []))
            for name, body in self.types.items()
        }

    @classmethod
    def load(cls) -> ApiSpec:
        return _load_default()

    # --- request decoding --------------------------------------------------------------------

    def decode(
        self,
        method: MethodSpec,
        raw: Mapping[str, Any],
        *,
        typed: bool,
        uploads: Mapping[str, UploadedFile],
    ) -> dict[str, Any]:
        """Decode and validate request parameters; raises ApiError(400) like Telegram does.

        ``typed`` is True for JSON bodies (values already carry JSON types). ``uploads`` holds
        the multipart file parts so ``attach://name`` references resolve. Unknown parameters
        are kept undecoded: Telegram ignores them, but the call log should still show them.
        """
        decoded: dict[str, Any] = {}
        for field in method.fields:
            value = raw.get(field.name)
            if value is None:
                continue
            try:
                decoded[field.name] = self._decode_any(field.types, value, typed, uploads, "")
            except _Mismatch as exc:
                expected = " or ".join(field.types)
                detail = f": {exc}" if exc.path or exc.reason else ""
                raise bad_request(
                    f'can\'t parse parameter "{field.name}" as {expected}{detail}'
                ) from None
        for field in method.fields:
            if field.name in decoded:
                continue
            if field.required or (
                field.required_unless and not all(n in decoded for n in field.required_unless)
            ):
                raise bad_request(f'parameter "{field.name}" is required')
        for name, value in raw.items():
            if name not in decoded and method.field(name) is None:
                decoded[name] = value
        return decoded

    def _decode_any(
        self,
        types: tuple[str, ...],
        value: Any,
        typed: bool,
        uploads: Mapping[str, UploadedFile],
        path: str,
    ) -> Any:
        failures: list[_Mismatch] = []
        for type_string in types:
            try:
                return self._decode_one(type_string, value, typed, uploads, path)
            except _Mismatch as exc:
                failures.append(exc)
        # Report the candidate that got furthest into the value: that is the one meant.
        raise max(failures, key=lambda f: (len(f.path), not f.reason.startswith("must be")))

    def _decode_one(
        self,
        type_string: str,
        value: Any,
        typed: bool,
        uploads: Mapping[str, UploadedFile],
        path: str,
    ) -> Any:
        if type_string.startswith(_ARRAY_PREFIX):
            items = _json_container(value, list, path, "an array")
            inner = (type_string.removeprefix(_ARRAY_PREFIX),)
            return [
                self._decode_any(inner, item, True, uploads, f"{path}[{index}]")
                for index, item in enumerate(items)
            ]
        scalar = _SCALARS.get(type_string)
        if scalar is not None:
            return scalar(value, typed, path)
        if type_string == "InputFile":
            return _decode_input_file(value, uploads, path)
        if type_string not in self.types:
            return value  # a type the spec does not describe: nothing to check against
        obj = _json_container(value, dict, path, f"a JSON object ({type_string})")
        return self._check_object(type_string, obj, uploads, path)

    def _check_object(
        self,
        type_name: str,
        obj: dict[str, Any],
        uploads: Mapping[str, UploadedFile],
        path: str,
    ) -> dict[str, Any]:
        subtypes = self.types[type_name].get("subtypes")
        if subtypes:
            return dict(self._decode_any(tuple(subtypes), obj, True, uploads, path))
        result = dict(obj)
        for field in self._type_fields[type_name]:
            where = f"{path}.{field.name}" if path else field.name
            if obj.get(field.name) is None:
                if field.required:
                    raise _Mismatch(where, f"field is required in {type_name}")
                continue
            value = self._decode_any(field.types, obj[field.name], True, uploads, where)
            fixed = self.fixed_value(type_name, field)
            if fixed is not None and value != fixed:
                raise _Mismatch(where, f"must be {fixed!r} in {type_name}")
            result[field.name] = value
        return result

    @staticmethod
    def fixed_value(type_name: str, field: FieldSpec) -> str | None:
        """The constant a discriminator field has ("always \"member\"", "must be chat")."""
        if field.name not in ("type", "status", "source") or "String" not in field.types:
            return None
        match = _FIXED_VALUE.search(field.description)
        if match is None:
            return None
        return match.group(1) or match.group(2)

    # --- result synthesis --------------------------------------------------------------------

    def example(self, type_string: str, depth: int = 0) -> Any:
        """A minimal value of a type, with every required field, that clients can parse.

        Used for methods the sandbox does not model: better a well-formed placeholder than a
        bare ``true`` that a typed client would choke on.
        """
        if type_string.startswith(_ARRAY_PREFIX):
            return []
        # A method returning Boolean means "True on success"; a Boolean field is a flag.
        basic: dict[str, Any] = {"Integer": 0, "Float": 0.0, "String": "", "Boolean": depth == 0}
        if type_string in basic:
            return basic[type_string]
        body = self.types.get(type_string)
        if body is None or depth > 6:
            return {}
        if body.get("subtypes"):
            return self.example(body["subtypes"][0], depth + 1)
        result: dict[str, Any] = {}
        for field in self._type_fields[type_string]:
            if not field.required:
                continue
            fixed = self.fixed_value(type_string, field)
            if fixed is None and field.types[0] == "String":
                quoted = _FIRST_QUOTED.search(field.description)
                fixed = quoted.group(1) if quoted and field.name == "type" else None
            result[field.name] = (
                fixed if fixed is not None else self.example(field.types[0], depth + 1)
            )
        return result


def _json_container(value: Any, kind: type, path: str, what: str) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _Mismatch(path, f"expected {what}, got invalid JSON") from None
    if not isinstance(value, kind):
        raise _Mismatch(path, f"expected {what}")
    return value


def _decode_string(value: Any, typed: bool, path: str) -> str:
    if isinstance(value, str):
        return value
    if typed and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # Telegram coerces numbers given where strings are expected
    raise _Mismatch(path, "expected a string")


def _decode_integer(value: Any, typed: bool, path: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise _Mismatch(path, "expected an integer")


def _decode_float(value: Any, typed: bool, path: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    raise _Mismatch(path, "expected a number")


def _decode_boolean(value: Any, typed: bool, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "false", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _Mismatch(path, "expected a boolean")


def _decode_input_file(value: Any, uploads: Mapping[str, UploadedFile], path: str) -> Any:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, str) and value.startswith("attach://"):
        name = value.removeprefix("attach://")
        if name not in uploads:
            raise _Mismatch(path, f"no multipart part named {name!r}")
        return uploads[name]
    raise _Mismatch(path, "expected an uploaded file")


_SCALARS: dict[str, Any] = {
    "String": _decode_string,
    "Integer": _decode_integer,
    "Float": _decode_float,
    "Boolean": _decode_boolean,
}


@cache
def _load_default() -> ApiSpec:
    # importlib.resources so the data is found in an installed wheel as well as in a checkout.
    text = (resources.files("sandbox") / "data" / "api.json").read_text(encoding="utf-8")
    return ApiSpec(json.loads(text))
