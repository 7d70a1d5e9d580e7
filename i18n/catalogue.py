"""The zh/en message catalogue: every user-facing string comes from here.

Each feature keeps its texts in its own `i18n/<feature>.py` as
`MESSAGES = {key: {"zh": ..., "en": ...}}`; this module merges them and
refuses duplicate keys or a missing language at import time, so a typo
fails the test suite instead of a volunteer's screen.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")

_CATALOGUE: dict[str, dict[str, str]] = {}


def _load() -> None:
    import i18n

    for info in sorted(pkgutil.iter_modules(i18n.__path__), key=lambda m: m.name):
        if info.name == "catalogue":
            continue
        module = importlib.import_module(f"i18n.{info.name}")
        messages: dict[str, dict[str, str]] = getattr(module, "MESSAGES", {})
        for key, texts in messages.items():
            if key in _CATALOGUE:
                raise RuntimeError(f"message key {key!r} defined twice (i18n.{info.name})")
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise RuntimeError(f"message {key!r} lacks {missing}")
            _CATALOGUE[key] = texts


def normalise_lang(value: str | None, default: Lang = "zh") -> Lang:
    """Map a Telegram language_code ('en-US', 'zh-hans') to one we speak."""
    if not value:
        return default
    value = value.lower()
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return default


def t(key: str, lang: str, /, **params: Any) -> str:
    """The text for `key` in `lang`, formatted with `params`."""
    if not _CATALOGUE:
        _load()
    try:
        texts = _CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue") from None
    template = texts.get(lang) or texts["zh"]
    return template.format(**params) if params else template


def has(key: str) -> bool:
    if not _CATALOGUE:
        _load()
    return key in _CATALOGUE


def all_keys() -> dict[str, dict[str, str]]:
    if not _CATALOGUE:
        _load()
    return dict(_CATALOGUE)
