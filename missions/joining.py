"""Joining: a held duplicate paged anyway, or added to the open callout as the
joining team's own part (its headcount, skills, slots and place). What a join adds is
decided first (missions/parts_plan.py): teams already on the callout add nothing and
the caller is told so; a join that would add nothing changes nothing, not even the held
request, so *Page anyway* still works."""

from __future__ import annotations

import hmac

from common.errors import DomainError, NotAllowed
from missions.entities import Callout
from missions.model import (
    CalloutRequest,
    GeoPoint,
    requires_fitness,
)
from missions.paging import Paging
from missions.parts_plan import JoinOutcome, JoinPlan, plan_join
from missions.parts_repository import Part, PartsRepository
from missions.service_core import (
    StartResult,
)
from roster.model import Actor


class Joining(Paging):
    async def _held(
        self, actor: Actor, draft_id: int, *, keep: bool = False
    ) -> tuple[CalloutRequest, GeoPoint | None]:
        draft = await self.repo.draft(draft_id)
        if draft is None or draft.step != "held":
            raise DomainError("callout.error.draft_gone")
        if draft.telegram_id != actor.telegram_id:
            raise NotAllowed("error.not_allowed")
        data = dict(draft.data)
        data.pop("token", None)
        data.pop("warned", None)
        raw_point = data.pop("point", None)
        data["skills"] = tuple(data["skills"])
        data["teams"] = tuple(data["teams"])
        data["quotas"] = tuple(data.get("quotas", ()))
        point = GeoPoint(raw_point[0], raw_point[1]) if raw_point else None
        if not keep and not await self.repo.take_draft(draft_id):
            raise DomainError("callout.error.draft_gone")  # the other press took it
        return CalloutRequest(**data), point

    async def page_anyway(self, actor: Actor, draft_id: int) -> StartResult:
        request, point = await self._held(actor, draft_id)
        teams = await self.resolve_teams(actor, request)
        return await self._launch(actor, request, teams, point)

    async def check_join(self, actor: Actor, callout_id: int, draft_id: int, token: str) -> None:
        """The join button is the one the duplicate guard sent this caller for this callout."""
        draft = await self.repo.draft(draft_id)
        if draft is None or draft.step != "held":
            raise DomainError("callout.error.draft_gone")
        if (
            draft.telegram_id != actor.telegram_id
            or draft.data.get("warned") != callout_id
            or not hmac.compare_digest(str(draft.data.get("token", "")).encode(), token.encode())
        ):
            raise NotAllowed("multiteam.error.join_refused")

    async def join(self, actor: Actor, callout_id: int, draft_id: int, token: str) -> int:
        """Instead of a second callout, add the held request to the open one as its own
        part; the number of people newly paged (`join_request` says what else happened)."""
        return (await self.join_request(actor, callout_id, draft_id, token)).paged

    async def join_request(
        self, actor: Actor, callout_id: int, draft_id: int, token: str
    ) -> JoinOutcome:
        """The joining teams' headcount (their quota, or one headcount split among them),
        skills, slots and place note as their own part; teams already on the callout are
        not paged twice and keep their places, and the outcome says so."""
        await self.check_join(actor, callout_id, draft_id, token)
        request, _ = await self._held(actor, draft_id, keep=True)
        teams = await self.resolve_teams(actor, request)
        callout = await self._callout(callout_id)
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        plan = plan_join(
            {team: callout.quotas.get(team) for team in callout.teams},
            teams,
            request.quotas,
            request.needed,
        )
        paged = 0
        if plan.teams:
            if not await self.repo.take_draft(draft_id):
                raise DomainError("callout.error.draft_gone")  # the other press took it
            paged = await self._join_part(actor, callout, request, plan)
        else:
            # Nothing to add: the held request stays, so *Page anyway* can still send it.
            # The caller gets the board, to see the places their team already has.
            await self.deliver(
                actor.telegram_id, await self.board_text(callout_id, actor), callout_id=callout_id
            )
        return JoinOutcome(callout_id, plan, paged, request.needed, callout.needed)

    async def _join_part(
        self, actor: Actor, callout: Callout, request: CalloutRequest, plan: JoinPlan
    ) -> int:
        part = Part(
            actor.telegram_id,
            request.location,
            plan.quotas,
            plan.needed,
            request.slots,
            request.skills,
            split=plan.split,
        )
        already = {p.volunteer_id for p in await self.repo.people(callout.id)}
        paged, left_out, languages = await self._eligible(
            callout.type,
            request.skills,
            requires_fitness(request.type, request.fitness),
            plan.teams,
            already,
        )
        paged = [v for v in paged if v.telegram_id != actor.telegram_id]
        await PartsRepository(self.db).join(
            callout,
            part,
            teams=plan.teams,
            now=self.clock.now(),
            paged=paged,
            languages=languages,
            left_out=left_out,
            slot_skills=self._slot_skills(paged, {**callout.slots, **request.slots}),
        )
        self.notifier.board_changed(callout.id)
        # Every team now has a board of its part, the joining caller's team included.
        await self.team_boards.open(callout.id, callout.teams + plan.teams, set())
        await self._fan_out(await self._callout(callout.id), paged, languages)
        return len(paged)
