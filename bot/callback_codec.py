"""Callback data ↔ the service's button actions (missions/actions.py), one table for both
directions: `<prefix>:<first id>:<verb>[:<field>…]`, always far below Telegram's 64 bytes.

Decoding checks every field (whole numbers through `plain_int`, the offered ETA minutes
only, the exact number of fields): stale, garbled or forged data decodes to `Undecodable`,
which still says what could be read of it, so the handlers give the same answers as ever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from common.numbers import plain_int
from missions.actions import (
    Action,
    Available,
    CheckOk,
    Eta,
    FullList,
    GoingToo,
    HomeSafe,
    HoursFix,
    HoursRight,
    JoinOpen,
    Mute,
    NeedHelp,
    OnScene,
    PageAnyway,
    Stay,
    Swap,
    Unavailable,
    Widen,
)
from missions.model import ETA_CHOICES

CALLOUT, DRAFT, INCIDENT = "co", "cd", "ic"
LIMIT = 64  # bytes of callback data Telegram keeps


@dataclass(frozen=True)
class Undecodable:
    """Data no action matches: its prefix, its first id if that was a whole number, its verb."""

    prefix: str
    first: int | None
    verb: str


def _always(_: Any) -> bool:
    return True


@dataclass(frozen=True)
class Form:
    kind: type[Any]
    prefix: str
    verb: str
    valid: Callable[[Any], bool] = _always


FORMS: tuple[Form, ...] = (
    Form(Available, CALLOUT, "a"),
    Form(Unavailable, CALLOUT, "u"),
    Form(Eta, CALLOUT, "eta", lambda action: action.minutes in ETA_CHOICES),
    Form(Swap, CALLOUT, "swap"),
    Form(Stay, CALLOUT, "stay"),
    Form(GoingToo, CALLOUT, "me"),
    Form(Widen, CALLOUT, "widen"),
    Form(Mute, CALLOUT, "mute"),
    Form(JoinOpen, CALLOUT, "join"),
    Form(PageAnyway, DRAFT, "go"),
    Form(FullList, INCIDENT, "list"),
    Form(OnScene, INCIDENT, "scene"),
    Form(CheckOk, INCIDENT, "ok"),
    Form(NeedHelp, INCIDENT, "help"),
    Form(HomeSafe, INCIDENT, "home"),
    Form(HoursRight, INCIDENT, "right"),
    Form(HoursFix, INCIDENT, "fix"),
)
_BY_KIND = {form.kind: form for form in FORMS}
_BY_WIRE = {(form.prefix, form.verb): form for form in FORMS}


def encode(action: Action) -> str:
    form = _BY_KIND[type(action)]
    first, *rest = (str(getattr(action, field.name)) for field in fields(action))
    data = ":".join((form.prefix, first, form.verb, *rest))
    # A colon inside a field would shift the fields after it; an overlong one is refused.
    assert data.count(":") == len(rest) + 2 and len(data.encode()) <= LIMIT, data
    return data


def _field(kind: Any, raw: str) -> int | str | None:
    if kind in (int, "int"):
        return plain_int(raw)
    return raw or None  # a token: any text without a colon, not empty


def decode(data: str) -> Action | Undecodable:
    parts = data.split(":")
    if len(parts) < 3:
        return Undecodable(parts[0], None, "")
    prefix, first, verb = parts[0], plain_int(parts[1]), parts[2]
    form = _BY_WIRE.get((prefix, verb))
    wanted = fields(form.kind) if form is not None else ()
    if form is None or first is None or len(parts) != len(wanted) + 2:
        return Undecodable(prefix, first, verb)
    values = [first, *(_field(f.type, raw) for f, raw in zip(wanted[1:], parts[3:], strict=True))]
    if None in values:
        return Undecodable(prefix, first, verb)
    action = form.kind(*values)
    return action if form.valid(action) else Undecodable(prefix, first, verb)
