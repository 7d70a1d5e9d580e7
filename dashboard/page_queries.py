"""Reading what the dashboard page adds to the incident read model: why people answered
no or were left out, and when this year's missions started.

Each is one range query over every callout shown, so a page costs the same few reads
however many callouts are open; `dashboard.page` only groups the rows.
"""

from __future__ import annotations

from storage.db import Database, Row


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


async def answer_reasons(db: Database, callout_ids: list[int]) -> dict[tuple[int, int], str]:
    """(callout, volunteer) → the reason given with an answer, for those who gave one."""
    rows = await db.fetchall(
        "SELECT callout_id, volunteer_id, reason FROM responses "
        f"WHERE callout_id IN ({_marks(callout_ids)}) AND reason IS NOT NULL",
        callout_ids,
    )
    return {(int(r[0]), int(r[1])): str(r[2]) for r in rows}


async def left_out(db: Database, callout_ids: list[int]) -> dict[int, list[Row]]:
    """Per callout, the people not paged: (callout, name, phone, team, reason, detail),
    by team then person."""
    found: dict[int, list[Row]] = {i: [] for i in callout_ids}
    for row in await db.fetchall(
        "SELECT e.callout_id, v.name, v.phone, v.team_code, e.reason, e.detail "
        "FROM callout_exclusions e JOIN volunteers v ON v.id = e.volunteer_id "
        f"WHERE e.callout_id IN ({_marks(callout_ids)}) ORDER BY v.team_code, v.id",
        callout_ids,
    ):
        found[int(row[0])].append(row)
    return found


async def mission_starts(db: Database, start: str, end: str) -> list[str]:
    """When each mission started in [start, end) (UTC ISO text)."""
    rows = await db.fetchall(
        "SELECT started_at FROM missions WHERE started_at >= ? AND started_at < ?", (start, end)
    )
    return [str(r[0]) for r in rows]
