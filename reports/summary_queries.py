"""Reading the database's headline counts: how many people per team, how many missions.

`rescuebot init` prints them after creating or seeding a database, and the demo
introduces its data set with them; the SQL lives here so the command line has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class TeamHeadcount:
    code: str
    name: str
    volunteers: int


async def has_volunteers(db: Database) -> bool:
    return await db.fetchone("SELECT 1 FROM volunteers LIMIT 1") is not None


async def volunteer_count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM volunteers")
    return int(row[0]) if row else 0


async def mission_count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM missions")
    return int(row[0]) if row else 0


async def team_headcounts(db: Database) -> list[TeamHeadcount]:
    """Every team in its configured order, with its number of volunteers (0 for none)."""
    rows = await db.fetchall(
        "SELECT t.code, t.name, COUNT(v.id) FROM teams t LEFT JOIN volunteers v "
        "ON v.team_code = t.code GROUP BY t.code ORDER BY t.rowid"
    )
    return [TeamHeadcount(r[0], r[1], int(r[2])) for r in rows]
