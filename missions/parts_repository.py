"""Storage of a callout's joined parts: another team's request kept as its own quota."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from common.clock import iso
from missions.model import Exclusion, Status
from missions.repository import Callout, PageRecords
from roster.model import Volunteer
from storage.db import Database
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Part:
    """What a joining caller asked for, to be added to the open callout."""

    by: int
    place: str
    quotas: dict[str, int]  # the joining teams' places (one team: its whole headcount)
    needed: int
    slots: dict[str, int]
    skills: tuple[str, ...] = ()  # what the joining team's volunteers were paged for
    split: bool = False  # one headcount split among the teams (missions/parts_plan.py)


class PartsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_caller(
        self, callout_id: int, volunteer_id: int, telegram_id: int, language: str, now: datetime
    ) -> None:
        """The caller on their own callout's list, as if paged (they were not, on purpose);
        no longer listed as left out."""
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT OR IGNORE INTO responses (callout_id, volunteer_id, state, paged_at, "
                "language, chat_id) VALUES (?,?,?,?,?,?)",
                (callout_id, volunteer_id, "paged", iso(now), language, telegram_id),
            )
            await uow.tx.execute(
                "DELETE FROM callout_exclusions WHERE callout_id = ? AND volunteer_id = ?",
                (callout_id, volunteer_id),
            )

    async def cancel_part(self, callout: Callout, team: str, actor: int, reason: str) -> bool:
        """One team's part stood down in one transaction: its quota leaves the headcount,
        its people not yet on scene are stood down (paged: no reply; going: unavailable),
        and the callout is filled or open by what is left. False if it already ended."""
        teams = [c for c in callout.teams if c != team]
        quotas = {k: v for k, v in callout.quotas.items() if k != team}
        parts = {k: v for k, v in callout.parts.items() if k != team}
        needed = max(1, callout.needed - callout.quotas.get(team, 0))
        async with UnitOfWork(self.db) as uow:
            for old, new in (("paged", "no_reply"), ("available", "unavailable")):
                await uow.tx.execute(
                    "UPDATE responses SET state = ?, confirmed_at = NULL WHERE callout_id = ? "
                    "AND state IN (?, CASE WHEN ? = 'available' THEN 'standby' END) "
                    "AND on_scene_at IS NULL AND volunteer_id IN "
                    "(SELECT id FROM volunteers WHERE team_code = ?)",
                    (new, callout.id, old, old, team),
                )
            row = await uow.tx.fetchone(
                "SELECT COUNT(*) FROM responses WHERE callout_id = ? AND state = 'available'",
                (callout.id,),
            )
            filled = row is not None and int(row[0]) >= needed
            written = await uow.tx.execute(
                "UPDATE callouts SET teams = ?, quotas = ?, parts = ?, needed = ?, status = ? "
                "WHERE id = ? AND status IN ('open','filled')",
                (
                    json.dumps(teams),
                    json.dumps(quotas),
                    json.dumps(parts, ensure_ascii=False),
                    needed,
                    Status.FILLED.value if filled else Status.OPEN.value,
                    callout.id,
                ),
            )
            if not written.rowcount:
                return False
            await uow.audit(actor, "cancel_part", callout_id=callout.id, team=team, reason=reason)
        return True

    async def join(
        self,
        callout: Callout,
        part: Part,
        *,
        teams: tuple[str, ...],
        now: datetime,
        paged: list[Volunteer],
        languages: dict[int, str],
        left_out: list[Exclusion],
        slot_skills: dict[int, list[str]],
    ) -> None:
        """One transaction: the callout grows by the part (teams, quotas, headcount,
        slots, the part's place note), its pages are recorded, and it is open again if the
        larger headcount is no longer filled."""
        quotas = dict(callout.quotas)
        if not quotas and len(callout.teams) == 1:
            # A one-team callout keeps its own headcount as its quota next to the part's.
            quotas = {callout.teams[0]: callout.needed}
        quotas.update(part.quotas)
        slots = dict(callout.slots)
        for skill, count in part.slots.items():
            slots[skill] = slots.get(skill, 0) + count
        parts = dict(callout.parts)
        for team in teams:
            parts[team] = {
                "by": part.by,
                "place": part.place,
                "needed": part.quotas.get(team),
                "skills": list(part.skills),
            }
            if part.split:
                # The board says how the headcount was shared out (missions/parts_text.py).
                parts[team]["shared"] = {"needed": part.needed, "teams": list(teams)}
        needed = callout.needed + part.needed
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "UPDATE callouts SET teams = ?, quotas = ?, slots = ?, parts = ?, needed = ?, "
                "status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, "
                "filled_at = CASE WHEN status = 'filled' THEN NULL ELSE filled_at END "
                "WHERE id = ? AND status IN (?, ?)",
                (
                    json.dumps(list(callout.teams + teams)),
                    json.dumps(quotas),
                    json.dumps(slots),
                    json.dumps(parts, ensure_ascii=False),
                    needed,
                    callout.id,
                    Status.OPEN.value,
                    Status.FILLED.value,
                ),
            )
            await uow.repo(PageRecords).add(
                callout.id, paged, languages, left_out, now, slot_skills
            )
            await uow.audit(
                part.by,
                "join",
                callout_id=callout.id,
                teams=list(teams),
                needed=part.needed,
                at=iso(now),
                paged=len(paged),
            )


@dataclass(frozen=True)
class TeamBoard:
    telegram_id: int
    team_code: str
    message_id: int


class TeamBoardsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, callout_id: int, telegram_id: int, team_code: str, message_id: int) -> None:
        await self.db.execute(
            "INSERT OR REPLACE INTO team_boards (callout_id, telegram_id, team_code, message_id) "
            "VALUES (?,?,?,?)",
            (callout_id, telegram_id, team_code, message_id),
        )

    async def of(self, callout_id: int) -> list[TeamBoard]:
        rows = await self.db.fetchall(
            "SELECT telegram_id, team_code, message_id FROM team_boards WHERE callout_id = ? "
            "ORDER BY team_code, telegram_id",
            (callout_id,),
        )
        return [TeamBoard(int(r[0]), r[1], int(r[2])) for r in rows]
