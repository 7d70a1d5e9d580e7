"""What the callout service needs from the outside world, as a Protocol.

The bot implements it over Telegram (bot/callout_adapter.py); unit tests use a
fake that records what would have been sent. Texts arrive already rendered in
the reader's language; buttons are (label, callback data or an action) rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from missions.actions import Action
from missions.model import GeoPoint
from roster.model import Actor, Volunteer
from roster.taxonomy import SkillKind, Team

# A button: its label and either callback data or an action the adapter encodes.
Button = tuple[str, str | Action]
Buttons = list[list[Button]]

# Why a page did not arrive (shown on the board).
BLOCKED = "blocked"
CHAT_NOT_FOUND = "chat_not_found"
NOT_STARTED = "not_started"  # never opened the bot: Telegram lets no bot write first
FAILED = "failed"
# Not a reason shown on the board: Telegram could not be reached (network error, 5xx,
# timeout). The message may go through later, so the sender tries again.
UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Delivery:
    """A sent message's id, or why it could not be delivered."""

    message_id: int | None = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.message_id is not None

    @property
    def unreachable(self) -> bool:
        """Not delivered *yet*: worth trying again."""
        return self.failure == UNREACHABLE


class Notifier(Protocol):
    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None = None,
        *,
        location: GeoPoint | None = None,
        reply_to: int | None = None,
        page: bool = False,
        patient: bool = False,
    ) -> Delivery:
        """Send a message (and, with `location`, a map pin after it) once; never raises.

        `page`: one of a fan-out (may go as a paid broadcast, if the bot is set up so).
        `patient`: wait long for Telegram's answer rather than give up and risk a second
        copy (the leader's board). Unreachable → `Delivery(failure=UNREACHABLE)`; the
        caller decides whether to try again.
        """
        ...

    async def edit(
        self, chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> bool:
        """Replace a message's text (None: keep it) and buttons (None: remove); never raises.
        False: Telegram could not be reached (worth trying again); True otherwise, also
        when Telegram refused the edit for good."""
        ...

    def board_changed(self, callout_id: int) -> None:
        """The board of this callout is stale; redraw it soon (coalesced)."""
        ...

    def schedule_escalation(self, callout_id: int, at: datetime) -> None:
        """Call `CalloutService.escalate(callout_id)` at `at` (at once if it has passed)."""
        ...


class IncidentTimer(Protocol):
    def schedule_incident(self, callout_id: int, at: datetime) -> None:
        """Call `IncidentService.tick(callout_id)` at `at` (at once if it has passed);
        a later call for the same callout replaces the earlier one."""
        ...


class Roster(Protocol):
    """What the callout and incident services read of the roster: whom to page, who leads,
    who coordinates, in which language. The bot passes `roster.repository.RosterRepository`;
    missions/ never imports another domain's repository."""

    async def teams(self) -> list[Team]: ...

    async def skill_kinds(self) -> list[SkillKind]: ...

    async def find_team(self, text: str) -> Team: ...

    async def by_id(self, volunteer_id: int) -> Volunteer | None: ...

    async def by_telegram(self, telegram_id: int) -> Volunteer | None: ...

    async def team_members(
        self, team_code: str, *, active_only: bool = False
    ) -> list[Volunteer]: ...

    async def find_one(self, query: str, team_code: str | None = None) -> Volunteer: ...

    async def leaders_of(self, team_code: str) -> list[Volunteer]: ...

    async def coordinator_ids(self) -> list[int]: ...

    async def language_of(self, telegram_id: int) -> str | None: ...

    async def actor(
        self, telegram_id: int, telegram_language: str | None, default: str
    ) -> Actor: ...
