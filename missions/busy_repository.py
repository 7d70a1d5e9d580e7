"""One person, one incident: who is confirmed on another open callout."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from common.clock import iso
from storage.db import Database
from storage.unit_of_work import UnitOfWork

# The first other open callout each person is confirmed on.
_ELSEWHERE = (
    "SELECT o.volunteer_id, MIN(o.callout_id) FROM responses o "
    "JOIN callouts c ON c.id = o.callout_id AND c.status IN ('open','filled') "
    "WHERE o.state = 'available' AND o.callout_id != ? AND o.volunteer_id IN ({marks}) "
    "GROUP BY o.volunteer_id"
)


def confirmed_elsewhere(conn: sqlite3.Connection, volunteer_id: int, callout_id: int) -> int | None:
    """In the tap's transaction: the open callout (not this one) the person is confirmed on."""
    row = conn.execute(_ELSEWHERE.format(marks="?"), (callout_id, volunteer_id)).fetchone()
    return int(row[1]) if row is not None else None


class BusyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def elsewhere(self, callout_id: int, volunteer_ids: list[int]) -> dict[int, int]:
        """volunteer id → the other open callout they are confirmed on (absent: none)."""
        if not volunteer_ids:
            return {}
        rows = await self.db.fetchall(
            _ELSEWHERE.format(marks=",".join("?" * len(volunteer_ids))),
            (callout_id, *volunteer_ids),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def confirmed_on(self, volunteer_id: int) -> list[int]:
        """The open callouts this person is confirmed on (for /away)."""
        rows = await self.db.fetchall(
            "SELECT r.callout_id FROM responses r JOIN callouts c ON c.id = r.callout_id "
            "WHERE r.volunteer_id = ? AND r.state = 'available' "
            "AND c.status IN ('open','filled') ORDER BY r.callout_id",
            (volunteer_id,),
        )
        return [int(r[0]) for r in rows]


class ReminderRepository:
    """Who still needs a reminder, and the coordinators' mute."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def due(self, callout_id: int, paged_before: datetime) -> set[int]:
        """Silent people paged before `paged_before` and never reminded."""
        rows = await self.db.fetchall(
            "SELECT volunteer_id FROM responses WHERE callout_id = ? AND state = 'paged' "
            "AND reminded_at IS NULL AND paged_at <= ?",
            (callout_id, iso(paged_before)),
        )
        return {int(r[0]) for r in rows}

    async def mark(self, callout_id: int, volunteer_ids: list[int], now: datetime) -> None:
        if not volunteer_ids:
            return
        async with UnitOfWork(self.db) as uow:
            await uow.tx.executemany(
                "UPDATE responses SET reminded_at = ? WHERE callout_id = ? AND volunteer_id = ?",
                [(iso(now), callout_id, vid) for vid in volunteer_ids],
            )

    async def unmark(self, callout_id: int, volunteer_ids: list[int]) -> None:
        """Their reminder never went: they are due again."""
        if not volunteer_ids:
            return
        async with UnitOfWork(self.db) as uow:
            await uow.tx.executemany(
                "UPDATE responses SET reminded_at = NULL WHERE callout_id = ? AND volunteer_id = ?",
                [(callout_id, vid) for vid in volunteer_ids],
            )

    async def mute(self, callout_id: int, actor: int) -> bool:
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "UPDATE callouts SET escalation_muted = 1 WHERE id = ? AND escalation_muted = 0",
                (callout_id,),
            )
            done = written.rowcount > 0
            if done:
                await uow.audit(actor, "mute_escalation", callout_id=callout_id)
            return done
