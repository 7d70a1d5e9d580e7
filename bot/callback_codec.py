"""Callback data ↔ the service's button actions (missions/actions.py) and the `/callout`
dialog's steps (bot/dialog_actions.py), one table for both directions:
`<prefix>:<first id>:<verb>[:<field>…]`, always far below Telegram's 64 bytes. A verb may
end in a fixed word (`cd:<draft>:s:-` is *Done*, `cd:<draft>:s:<skill>` a skill): the
fixed form is read first, so a field never takes a word a fixed form of its verb uses.

Decoding checks every field (whole numbers through `plain_int`, the offered ETA minutes
only, the exact number of fields): stale, garbled or forged data decodes to `Undecodable`,
which still says what could be read of it, so the handlers give the same answers as ever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from bot.dialog_actions import (
    HEADCOUNTS,
    QUOTA_CHANGES,
    Abort,
    AddSlot,
    AllTeams,
    ChangeQuota,
    DialogAction,
    NoSlots,
    OpenSlots,
    PickHeadcount,
    PickType,
    QuotasDone,
    Send,
    SharedHeadcount,
    SkillsDone,
    SlotsDone,
    TeamsDone,
    ToggleFitness,
    ToggleSkill,
    ToggleTeam,
)
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
from missions.model import ETA_CHOICES, MISSION_TYPES

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
    # the step-by-step /callout (bot/callout_dialog.py, bot/dialog_places.py)
    Form(PickType, DRAFT, "t", lambda action: action.mission_type in MISSION_TYPES),
    Form(ToggleTeam, DRAFT, "tm"),
    Form(AllTeams, DRAFT, "tm:all"),
    Form(TeamsDone, DRAFT, "tm:-"),
    Form(ChangeQuota, DRAFT, "q", lambda action: action.change in QUOTA_CHANGES),
    Form(SharedHeadcount, DRAFT, "q:0"),
    Form(QuotasDone, DRAFT, "q:-"),
    Form(PickHeadcount, DRAFT, "n", lambda action: action.needed in HEADCOUNTS),
    Form(ToggleSkill, DRAFT, "s"),
    Form(OpenSlots, DRAFT, "s:+"),
    Form(SkillsDone, DRAFT, "s:-"),
    Form(AddSlot, DRAFT, "sl"),
    Form(NoSlots, DRAFT, "sl:0"),
    Form(SlotsDone, DRAFT, "sl:-"),
    Form(ToggleFitness, DRAFT, "fit"),
    Form(Send, DRAFT, "ok"),
    Form(Abort, DRAFT, "x"),
)
_BY_KIND = {form.kind: form for form in FORMS}
_BY_WIRE = {(form.prefix, form.verb): form for form in FORMS}


def encode(action: Action | DialogAction) -> str:
    form = _BY_KIND[type(action)]
    first, *rest = (str(getattr(action, field.name)) for field in fields(action))
    data = ":".join((form.prefix, first, form.verb, *rest))
    # A colon inside a field would shift the fields after it, a field holding a fixed form's
    # word would read back as that form; an overlong one is refused.
    assert (
        data.count(":") == len(rest) + 2 + form.verb.count(":")
        and not (rest and (form.prefix, f"{form.verb}:{rest[0]}") in _BY_WIRE)
        and len(data.encode()) <= LIMIT
    ), data
    return data


def _field(kind: Any, raw: str) -> int | str | None:
    if kind in (int, "int"):
        return plain_int(raw)
    return raw or None  # a token: any text without a colon, not empty


def _form(prefix: str, verb: str, parts: list[str]) -> Form | None:
    """The form of the data: one with a fixed word after the verb first."""
    fixed = _BY_WIRE.get((prefix, f"{verb}:{parts[3]}")) if len(parts) > 3 else None
    return fixed or _BY_WIRE.get((prefix, verb))


def decode(data: str) -> Action | DialogAction | Undecodable:
    parts = data.split(":")
    if len(parts) < 3:
        return Undecodable(parts[0], None, "")
    prefix, first, verb = parts[0], plain_int(parts[1]), parts[2]
    form = _form(prefix, verb, parts)
    if form is None or first is None:
        return Undecodable(prefix, first, verb)
    wanted = fields(form.kind)
    start = 3 + form.verb.count(":")  # where the fields after the first id begin
    if len(parts) != start + len(wanted) - 1:
        return Undecodable(prefix, first, verb)
    raws = zip(wanted[1:], parts[start:], strict=True)
    values = [first, *(_field(f.type, raw) for f, raw in raws)]
    if None in values:
        return Undecodable(prefix, first, verb)
    action = form.kind(*values)
    return action if form.valid(action) else Undecodable(prefix, first, verb)


def meant(data: Undecodable) -> tuple[type[Any], ...]:
    """The kinds of action data with this prefix and verb decode to (none: no such verb)."""
    return tuple(
        form.kind
        for form in FORMS
        if form.prefix == data.prefix and form.verb.partition(":")[0] == data.verb
    )
