"""Incident operations as plain rules: a responder's states, safety checks, the return, hours.

A responder moves paged → available (with ETA) / standby / unavailable → on scene →
home safe; *need help* is a flag on top. The answer to the page (`State`) is kept as it
was; on scene and home safe are moments added to it, so the headcount rules stay
`Headcount`'s. No storage and no Telegram here: the service feeds these functions what
the repository read, and a fake clock drives the unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from common.chat_options import named, parse_options
from common.errors import DomainError
from common.numbers import decimal, plain_int
from common.numbers import hours as typed_hours
from missions.model import GeoPoint, State, hours_between

MAX_DEBRIEF_HOURS = 48.0
MAX_CHECK_MINUTES = 24 * 60.0
MAX_ETA_MINUTES = 24 * 60


class Phase(StrEnum):
    """Where a responder is now (board groups, the dashboard)."""

    PAGED = "paged"
    UNDELIVERABLE = "undeliverable"
    CONFIRMED = "confirmed"
    STANDBY = "standby"
    UNAVAILABLE = "unavailable"
    NO_REPLY = "no_reply"
    ON_SCENE = "on_scene"
    HOME_SAFE = "home_safe"


class Mark(StrEnum):
    """What a leader may record for someone they reached by phone (`/mark`)."""

    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    ON_SCENE = "onscene"
    SAFE = "safe"


_MARK_ALIASES = {
    "available": Mark.AVAILABLE,
    "yes": Mark.AVAILABLE,
    "可以出队": Mark.AVAILABLE,
    "出队": Mark.AVAILABLE,
    "unavailable": Mark.UNAVAILABLE,
    "no": Mark.UNAVAILABLE,
    "无法出队": Mark.UNAVAILABLE,
    "onscene": Mark.ON_SCENE,
    "on_scene": Mark.ON_SCENE,
    "scene": Mark.ON_SCENE,
    "到达现场": Mark.ON_SCENE,
    "到达": Mark.ON_SCENE,
    "safe": Mark.SAFE,
    "home": Mark.SAFE,
    "已安全返回": Mark.SAFE,
    "平安": Mark.SAFE,
}


@dataclass
class Responder:
    """One person on one callout, as the incident rules see them."""

    volunteer_id: int
    state: State
    answered_at: datetime | None = None
    confirmed_at: datetime | None = None
    on_scene_at: datetime | None = None
    home_safe_at: datetime | None = None
    need_help_at: datetime | None = None
    recorded_by: int | None = None  # None: the volunteer; else the leader who took it

    @property
    def phase(self) -> Phase:
        if self.home_safe_at is not None:
            return Phase.HOME_SAFE
        if self.on_scene_at is not None:
            return Phase.ON_SCENE
        if self.state is State.AVAILABLE:
            return Phase.CONFIRMED
        return Phase(self.state.value)

    @property
    def participant(self) -> bool:
        """Confirmed or on scene; standby people only once they checked in."""
        return self.state is State.AVAILABLE or self.on_scene_at is not None

    @property
    def still_out(self) -> bool:
        return self.participant and self.home_safe_at is None

    def check_in(self, now: datetime, by: int | None = None) -> bool:
        """On scene: only for the confirmed and standby; False if already there."""
        if self.state not in (State.AVAILABLE, State.STANDBY):
            raise DomainError("incident.error.not_going")
        if self.on_scene_at is not None:
            return False
        self.on_scene_at = now
        self.recorded_by = by
        return True

    def home(self, now: datetime, by: int | None = None) -> bool:
        """Home safe: only participants; False if already home."""
        if not self.participant:
            raise DomainError("incident.error.not_participant")
        if self.home_safe_at is not None:
            return False
        self.home_safe_at = now
        self.need_help_at = None
        if by is not None:
            self.recorded_by = by
        return True

    def ask_for_help(self, now: datetime) -> bool:
        if self.need_help_at is not None:
            return False
        self.need_help_at = now
        return True

    def started_at(self) -> datetime | None:
        """Time runs from On scene, else from Available."""
        return self.on_scene_at or self.confirmed_at or self.answered_at

    def counted_hours(self, closed_at: datetime) -> float:
        """From On scene (else Available) to Home safe (else the close), to a tenth."""
        start = self.started_at() or closed_at
        end = self.home_safe_at or closed_at
        return hours_between(start, max(start, end))


# --- safety checks ----------------------------------------------------------------------


def check_interval(callout_minutes: float | None, default_minutes: float) -> float:
    """The callout's own interval (`/check`) wins over the setting; 0 means off."""
    return default_minutes if callout_minutes is None else callout_minutes


def first_check_at(
    next_check_at: datetime | None, now: datetime, interval_minutes: float
) -> datetime | None:
    """When the first responder checks in, the first round is one interval later."""
    if interval_minutes <= 0:
        return None
    return next_check_at or now + timedelta(minutes=interval_minutes)


def check_stage_due(sent_at: datetime, stage: int, grace_minutes: float) -> datetime | None:
    """An unanswered check alerts the leaders after the grace, coordinators after twice it."""
    if stage >= 2:
        return None
    return sent_at + timedelta(minutes=grace_minutes * (stage + 1))


def return_stage_due(started_at: datetime, stage: int, return_minutes: float) -> datetime | None:
    """Anyone not home safe: to the leaders after the interval, coordinators after twice it."""
    if stage >= 2:
        return None
    return started_at + timedelta(minutes=return_minutes * (stage + 1))


def earliest(*moments: datetime | None) -> datetime | None:
    found = [m for m in moments if m is not None]
    return min(found) if found else None


# --- what leaders and volunteers type ----------------------------------------------------


def small_int(text: str) -> int | None:
    """A plain decimal id or count (ASCII digits, at most 12): `²` or a 30-digit number
    is no id, and must not reach int() or SQLite."""
    raw = text.lstrip("#")
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return None


@dataclass(frozen=True)
class MarkRequest:
    callout_id: int
    name: str
    mark: Mark
    eta: int | None = None


# `/mark`'s options (the chat syntax of every command lives with its parser).
MARK_OPTIONS = named({"eta": "eta"})


def parse_mark(args: list[str]) -> MarkRequest:
    """`/mark ID NAME available|unavailable|onscene|safe [eta=N]` (names may have spaces),
    read by the one chat option parser: `eta＝30` and a quoted name work, an unknown
    option is refused with the allowed ones."""
    parsed = parse_options(args, MARK_OPTIONS)
    words = parsed.words
    eta: int | None = None
    if "eta" in parsed.options:
        value = parsed.options["eta"]
        eta = plain_int(value, MAX_ETA_MINUTES)
        if not eta:  # 0, or not plain digits up to the maximum
            raise DomainError("mark.error.eta", value=value[:20])
    callout_id = small_int(words[0]) if words else None
    if len(words) < 3 or callout_id is None:
        raise DomainError("mark.usage")
    mark = _MARK_ALIASES.get(words[-1].lower())
    if mark is None:
        raise DomainError("mark.error.answer", value=words[-1][:20])
    if eta is not None and mark not in (Mark.AVAILABLE, Mark.ON_SCENE):
        raise DomainError("mark.error.eta_needs_available")
    return MarkRequest(callout_id, " ".join(words[1:-1]), mark, eta)


def parse_check(args: list[str]) -> tuple[int, float]:
    """`/check ID minutes|off` → (callout, minutes; 0 = off)."""
    callout_id = small_int(args[0]) if len(args) == 2 else None
    if callout_id is None:
        raise DomainError("check.usage")
    value = args[1].strip().lower()
    if value in ("off", "0", "关", "关闭"):
        return callout_id, 0.0
    return callout_id, decimal(args[1], MAX_CHECK_MINUTES, "check.error.minutes")


def parse_debrief_hours(text: str) -> float:
    """A corrected figure: a number of hours from 0 to 48 (`5`, `5.5`, `5,5`, `5h`, `5小时`)."""
    return round(typed_hours(text, MAX_DEBRIEF_HOURS, "debrief.error.hours", zero=True), 1)


@dataclass(frozen=True)
class ResponderView:
    """A responder as the board, the alerts and the dashboard show them."""

    callout_id: int
    volunteer_id: int
    name: str
    phone: str
    team_code: str
    telegram_id: int | None
    phase: Phase
    state: State
    eta_minutes: int | None
    answered_at: datetime | None
    confirmed_at: datetime | None
    on_scene_at: datetime | None
    home_safe_at: datetime | None
    need_help_at: datetime | None
    recorded_by: int | None
    position: GeoPoint | None
    position_at: datetime | None
    check_overdue_since: datetime | None  # the oldest unanswered check past its grace

    @property
    def participant(self) -> bool:
        return self.state is State.AVAILABLE or self.on_scene_at is not None
