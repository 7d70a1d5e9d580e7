"""Joining: a held duplicate paged anyway, or added to the open callout as the
joining team's own part (its headcount, skills, slots and place)."""

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
from missions.parts_repository import Part, PartsRepository
from missions.service_core import (
    StartResult,
)
from roster.model import Actor


class Joining(Paging):
    async def _held(self, actor: Actor, draft_id: int) -> tuple[CalloutRequest, GeoPoint | None]:
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
        await self.repo.drop_draft(draft_id)
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
        part: the joining teams' headcount (their quota), skills, slots and place note."""
        await self.check_join(actor, callout_id, draft_id, token)
        request, _ = await self._held(actor, draft_id)
        teams = await self.resolve_teams(actor, request)
        callout = await self._callout(callout_id)
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        extra = tuple(c for c in teams if c not in callout.teams)
        if extra:
            # The joining caller gets their team's board with the rest of the teams'.
            return await self._join_part(actor, callout, request, teams, extra)
        await self.deliver(
            actor.telegram_id, await self.board_text(callout_id, actor), callout_id=callout_id
        )
        return 0

    async def _join_part(
        self,
        actor: Actor,
        callout: Callout,
        request: CalloutRequest,
        teams: tuple[str, ...],
        extra: tuple[str, ...],
    ) -> int:
        if request.quotas:
            wanted = dict(zip(teams, request.quotas, strict=True))
            quotas = {code: wanted[code] for code in extra}
            needed = sum(quotas.values())
        else:
            quotas = {extra[0]: request.needed} if len(extra) == 1 else {}
            needed = request.needed
        part = Part(
            actor.telegram_id, request.location, quotas, needed, request.slots, request.skills
        )
        already = {p.volunteer_id for p in await self.repo.people(callout.id)}
        paged, left_out, languages = await self._eligible(
            callout.type,
            request.skills,
            requires_fitness(request.type, request.fitness),
            extra,
            already,
        )
        paged = [v for v in paged if v.telegram_id != actor.telegram_id]
        await PartsRepository(self.db).join(
            callout,
            part,
            teams=extra,
            now=self.clock.now(),
            paged=paged,
            languages=languages,
            left_out=left_out,
            slot_skills=self._slot_skills(paged, {**callout.slots, **request.slots}),
        )
        self.notifier.board_changed(callout.id)
        # Every team now has a board of its part, the joining caller's team included.
        await self.team_boards.open(callout.id, callout.teams + extra, set())
        await self._fan_out(await self._callout(callout.id), paged, languages)
        return len(paged)
