"""Storage of a callout's joined parts: another team's request kept as its own quota."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from common.clock import iso
from missions.model import Exclusion, Status
from missions.repository import Callout, CalloutRepository
from roster.model import Volunteer
from storage.db import Database, audit_in


@dataclass(frozen=True)
class Part:
    """What a joining caller asked for, to be added to the open callout."""

    by: int
    place: str
    quotas: dict[str, int]  # the joining teams' places (one team: its whole headcount)
    needed: int
    slots: dict[str, int]


class PartsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

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
            parts[team] = {"by": part.by, "place": part.place, "needed": part.quotas.get(team)}
        needed = callout.needed + part.needed
        async with self.db.transaction() as conn:
            await conn.execute(
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
            await CalloutRepository._add_pages(
                conn, callout.id, paged, languages, left_out, now, slot_skills
            )
            await audit_in(
                conn,
                part.by,
                "join",
                callout_id=callout.id,
                teams=list(teams),
                needed=part.needed,
                at=iso(now),
                paged=len(paged),
            )
