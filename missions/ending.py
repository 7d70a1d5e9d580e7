"""The end: cancel (the whole callout, or one team's part), close, stand-down
messages, and missions logged by hand."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from common.clock import local_today
from common.errors import DomainError, NotAllowed
from missions.delivery import all_of
from missions.entities import Callout, PagedPerson
from missions.escalation import Escalation
from missions.model import (
    MAX_REASON,
    MissionEntry,
    State,
)
from missions.parts_repository import PartsRepository
from missions.service_core import (
    ClosedMission,
)
from roster.model import Actor


class Ending(Escalation):
    # --- the end ------------------------------------------------------------------------
    async def cancel(self, actor: Actor, callout_id: int, reason: str) -> str | None:
        """Cancel the whole callout; or, for a leader who manages only their team's part
        of it, that part (its team code is returned)."""
        if len(reason) > MAX_REASON:
            # Refused before anything is written: every stand-down quotes the reason.
            raise DomainError("cancel.error.reason_too_long", length=len(reason), max=MAX_REASON)
        callout = await self._callout(callout_id)
        own = actor.volunteer.team_code if actor.volunteer else None
        if (
            own in callout.teams
            and len(callout.teams) > 1
            and actor.leads(own or "")
            and not await self.manages_whole(actor, callout)
        ):
            assert own is not None
            await self._cancel_part(actor, callout, own, reason)
            return own
        await self._require_whole(actor, callout)
        if not await self.repo.cancel(callout_id, actor.telegram_id, reason, self.clock.now()):
            raise DomainError("callout.error.ended", id=callout_id)
        self._ended.add(callout_id)
        # At once, not after every page has been stood down at the rate limit.
        self.notifier.board_changed(callout_id)
        self._spawn(self._stand_down(callout_id, "notice.cancelled", reason=reason or "-"))
        return None

    async def _cancel_part(self, actor: Actor, callout: Callout, team: str, reason: str) -> None:
        going = [
            p
            for p in await self.repo.people(callout.id)
            if p.team_code == team and p.on_scene_at is None
        ]
        if not await PartsRepository(self.db).cancel_part(callout, team, actor.telegram_id, reason):
            raise DomainError("callout.error.ended", id=callout.id)
        self.notifier.board_changed(callout.id)

        async def stand_down() -> None:
            async def one(person: PagedPerson) -> None:
                # Their page loses its buttons; whoever was going is told (beside the edit,
                # so a stop cutting the edit short still saves the notice).
                work: list[Awaitable[object]] = []
                if person.chat_id is not None and person.message_id is not None:
                    work.append(self.notifier.edit(person.chat_id, person.message_id, None, None))
                if person.state in (State.AVAILABLE, State.STANDBY):
                    work.append(
                        self._tell(person, "notice.cancelled", callout, reason=reason or "-")
                    )
                await all_of(*work)

            await all_of(*(one(p) for p in going))

        self._spawn(stand_down())

    async def close(
        self, actor: Actor, callout_id: int, rescued: int, notes: str, outcome: str = ""
    ) -> ClosedMission:
        callout = await self._callout(callout_id)
        await self._require_whole(actor, callout)
        mission_id = await self.repo.close(
            callout_id, actor.telegram_id, rescued, notes, self.clock.now(), outcome
        )
        if mission_id is None:
            raise DomainError("callout.error.ended", id=callout_id)
        self._ended.add(callout_id)
        self.notifier.board_changed(callout_id)
        number, year = await self.repo.mission_number(mission_id, self.config.tz)
        participants = sum(1 for p in await self.repo.people(callout_id) if p.participant)
        self._spawn(self._stand_down(callout_id, "notice.closed"))
        return ClosedMission(mission_id, number, year, self.config.mission_target, participants)

    async def _stand_down(self, callout_id: int, key: str, **params: Any) -> None:
        """Pages lose their buttons; confirmed and standby volunteers are told."""
        callout = await self._callout(callout_id)
        people = await self.repo.people(callout_id)

        async def one(person: PagedPerson) -> None:
            # Side by side: a stop cutting the page's edit short still saves the notice.
            work = [self._refresh_page(callout, person)]
            if person.state in (State.AVAILABLE, State.STANDBY):
                work.append(self._tell(person, key, callout, **params))
            await all_of(*work)

        await all_of(*(one(p) for p in people))
        self.notifier.board_changed(callout_id)

    async def add_mission(self, actor: Actor, entry: MissionEntry) -> ClosedMission:
        if not actor.is_leader_or_coordinator:
            raise NotAllowed("error.leaders_only")
        teams = await self._team_codes(",".join(entry.teams))
        # Every team named: a leader logs missions for their own team only.
        if not all(actor.leads(code) for code in teams):
            raise NotAllowed("callout.error.other_team", team=", ".join(teams))
        if entry.day > local_today(self.clock, self.config.tz):
            raise DomainError("error.future_date", value=entry.day.isoformat())
        entry.teams = teams
        # The people credited: found by name or phone, each in a team the actor leads.
        people: list[int] = []
        for query in entry.people:
            volunteer = await self.roster.find_one(query)
            if not actor.leads(volunteer.team_code):
                raise NotAllowed("callout.error.other_team", team=volunteer.team_code)
            if volunteer.id not in people:
                people.append(volunteer.id)
        mission_id = await self.repo.add_mission(
            entry, tz=self.config.tz, actor=actor.telegram_id, participants=tuple(people)
        )
        number, year = await self.repo.mission_number(mission_id, self.config.tz)
        return ClosedMission(mission_id, number, year, self.config.mission_target, len(people))
