"""The read behind `rescuebot export hours` (missions/hours_export.py lays it out)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from missions.repository import year_bounds
from storage.db import Database, Row


async def participant_hours(db: Database, *, year: int | None, tz: ZoneInfo) -> list[Row]:
    """Every (volunteer, mission) with its hours, by team, name and date: the volunteer's id,
    name, team, phone; the mission's id, start, type, callout; counted, confirmed and
    counting hours."""
    where = ""
    params: tuple[str, ...] = ()
    if year is not None:
        where, params = "WHERE m.started_at >= ? AND m.started_at < ?", year_bounds(year, tz)
    return await db.fetchall(
        "SELECT v.id, v.name, v.team_code, v.phone, m.id, m.started_at, m.type, m.callout_id, "
        "p.counted_hours, p.confirmed_hours, p.hours FROM mission_participants p "
        "JOIN missions m ON m.id = p.mission_id JOIN volunteers v ON v.id = p.volunteer_id "
        f"{where} ORDER BY v.team_code, v.name, v.id, m.started_at, m.id",
        params,
    )
