"""Team boards: on a callout of several teams, each team's leaders and deputies get a board
of their own team's part with the overall total, edited in place like the caller's (the
same coalesced redraw, so at most about one edit a second per board)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from i18n.catalogue import t
from missions import render
from missions.board_repository import BoardRepository
from missions.delivery import until_delivered
from missions.incident_repository import IncidentRepository
from missions.parts_repository import TeamBoardsRepository
from missions.parts_text import part_skills
from missions.ports import Buttons, Delivery
from roster.model import Actor

if TYPE_CHECKING:
    from missions.service_core import ServiceCore


class TeamBoards:
    def __init__(self, callouts: ServiceCore) -> None:
        self.callouts = callouts
        self.repo = TeamBoardsRepository(callouts.db)
        self._sending: set[tuple[int, int]] = set()  # (callout, chat) boards on their way

    async def open(self, callout_id: int, teams: tuple[str, ...], skip: set[int]) -> None:
        """Send a board to each leader and deputy of `teams` who has none yet (not the
        caller: they have the whole board). Each goes out beside the pages, not before
        them, tried until it arrives or the callout ends (as the caller's board is)."""
        callout = await self.callouts.callout(callout_id)
        if len(callout.teams) < 2:
            return
        have = {b.telegram_id for b in await self.repo.of(callout_id)}
        for team in teams:
            for leader in await self.callouts.roster.leaders_of(team):
                chat = leader.telegram_id
                if chat is None or chat in skip or chat in have or chat == callout.called_by:
                    continue
                if (callout_id, chat) in self._sending:
                    continue  # already on its way (a join or widen while Telegram is down)
                self._sending.add((callout_id, chat))
                have.add(chat)
                self.callouts.spawn(self._send(callout_id, chat, team))

    async def _send(self, callout_id: int, chat: int, team: str) -> None:
        """One team board, exactly once: the send waits for Telegram's answer however
        late rather than risk a second board, and is drawn afresh at each try."""
        try:
            viewer = await self.callouts.actor(chat)

            async def send() -> Delivery:
                return await self.callouts.notifier.send(
                    chat,
                    await self.text(callout_id, viewer, team),
                    render.board_buttons(callout_id, viewer.language),
                    patient=True,
                )

            delivery = await until_delivered(send, lambda: self.callouts.wanted(callout_id))
            if delivery.message_id is not None:
                await self.repo.add(callout_id, chat, team, delivery.message_id)
                # What changed while it was on its way shows at the next redraw.
                self.callouts.notifier.board_changed(callout_id)
        finally:
            self._sending.discard((callout_id, chat))

    async def boards(self, callout_id: int) -> list[tuple[int, int, str, Buttons]]:
        """(chat, message, text, buttons) of every team board of the callout, to redraw."""
        found: list[tuple[int, int, str, Buttons]] = []
        for board in await self.repo.of(callout_id):
            viewer = await self.callouts.actor(board.telegram_id)
            found.append(
                (
                    board.telegram_id,
                    board.message_id,
                    await self.text(callout_id, viewer, board.team_code),
                    render.board_buttons(callout_id, viewer.language),
                )
            )
        return found

    async def text(self, callout_id: int, viewer: Actor, team: str) -> str:
        """The team's part as a board of its own (its quota as the headcount), with a line
        for the whole callout: confirmed overall and every quota and slot. Like the caller's
        board, a redraw reads the team's people taking part and only the first names of each
        waiting group with its count (missions/board_repository.py): flat in the callout's size."""
        service = self.callouts
        callout = await service.callout(callout_id)
        reads = BoardRepository(service.db)
        rows = await reads.rows(callout_id, render.NAMES_PER_LINE, team=team)
        lang = viewer.language
        labels = await service.skill_labels(lang)
        part = dataclasses.replace(
            callout,
            needed=callout.quotas.get(team, callout.needed),
            skills=part_skills(callout, team),  # a joined team's own request
            quotas={},
            slots={},
            parts={k: v for k, v in callout.parts.items() if k == team},
        )
        text = render.board_text(
            part,
            rows.people,
            rows.left_out,
            lang,
            labels=labels,
            show_phone=lambda code: viewer.may_see_personal_data(code, True),
            tz=service.config.tz,
            overdue=await IncidentRepository(service.db).overdue_ids(callout_id),
            busy=rows.busy,
            totals=rows.totals,
        )
        confirmed = await reads.confirmed(callout_id)
        overall = [
            t(
                "multiteam.board.team_part",
                lang,
                team=team,
                confirmed=len(confirmed),
                needed=callout.needed,
            ),
            *render.places_lines(callout, [p.candidate for p in confirmed], labels, lang),
        ]
        title, _, rest = text.partition("\n")
        return "\n".join([title, *overall, rest]) if rest else "\n".join([title, *overall])
