"""What a button asks for, as the service means it: the Telegram adapter
(bot/callback_codec.py) turns each into callback data and back, so the service never
writes nor reads the wire format of a button (`co:…`, `ic:…`, `cd:…`).

Every action carries ids only: everything else is read from the database when the
button is pressed, so buttons sent before a restart keep working."""

from __future__ import annotations

from dataclasses import dataclass

# A refused press is audited as a refused command is (bot/errors.py): who, which kind of
# button ("button co", "button ic": the data's prefix), and the refusal's catalogue key.
TAP_BUTTON = "button co"
INCIDENT_BUTTON = "button ic"

# --- a volunteer's page ------------------------------------------------------------------


@dataclass(frozen=True)
class Available:
    """*Available* on a page."""

    callout_id: int


@dataclass(frozen=True)
class Unavailable:
    """*Unavailable* on a page (also *Withdraw* after someone set themselves away)."""

    callout_id: int


@dataclass(frozen=True)
class Eta:
    """An arrival estimate on a page; only the offered minutes (`ETA_CHOICES`) decode."""

    callout_id: int
    minutes: int


@dataclass(frozen=True)
class Swap:
    """Confirmed on `other` and tapped Available here: move to this callout."""

    callout_id: int
    other: int


@dataclass(frozen=True)
class Stay:
    """Confirmed on `other` and tapped Available here: keep to `other`."""

    callout_id: int
    other: int


# --- the caller's board and the coordinators' alerts -------------------------------------


@dataclass(frozen=True)
class GoingToo:
    """*I'm going too* on the caller's own board (a caller is not paged by their callout)."""

    callout_id: int


@dataclass(frozen=True)
class Widen:
    """Page every matching volunteer of other teams (the escalation alert)."""

    callout_id: int


@dataclass(frozen=True)
class Mute:
    """A coordinator stops the escalation alerts of one callout."""

    callout_id: int


@dataclass(frozen=True)
class JoinOpen:
    """Add the caller's held request to the open callout as their part. `token` is known
    only to that caller's draft, so a forged button cannot join another incident."""

    callout_id: int
    draft_id: int
    token: str


@dataclass(frozen=True)
class PageAnyway:
    """Page the held request as a callout of its own after all."""

    draft_id: int


# --- incident operations -----------------------------------------------------------------


@dataclass(frozen=True)
class FullList:
    """Everyone on the callout as a spreadsheet (under the board)."""

    callout_id: int


@dataclass(frozen=True)
class OnScene:
    callout_id: int


@dataclass(frozen=True)
class CheckOk:
    """*I'm OK* to the safety check `check_id`."""

    callout_id: int
    check_id: int


@dataclass(frozen=True)
class NeedHelp:
    """*Need help* to the safety check `check_id`."""

    callout_id: int
    check_id: int


@dataclass(frozen=True)
class HomeSafe:
    callout_id: int


@dataclass(frozen=True)
class HoursRight:
    """The debrief's hours of mission `mission_id` are right."""

    callout_id: int
    mission_id: int


@dataclass(frozen=True)
class HoursFix:
    """The debrief's hours of mission `mission_id` need correcting (a number follows)."""

    callout_id: int
    mission_id: int


PageAction = Available | Unavailable | Eta | Swap | Stay
CalloutAction = PageAction | GoingToo | Widen | Mute | JoinOpen
IncidentAction = FullList | OnScene | CheckOk | NeedHelp | HomeSafe | HoursRight | HoursFix
Action = CalloutAction | PageAnyway | IncidentAction
