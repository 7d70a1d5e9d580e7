"""Reading what the training export writes: each session of a period with its attendees.

Kept apart from `training.exporter`, which only lays the rows out, so the export has no SQL.
"""

from __future__ import annotations

from storage.db import Database, Row


async def sessions_with_attendees(db: Database, first: str, last: str) -> list[Row]:
    """(date, team, title, kind, hours, name, phone) per attendee of each session between
    `first` and `last` (YYYY-MM-DD, inclusive); a session nobody attended gives one row
    with no name or phone."""
    return await db.fetchall(
        "SELECT s.date, s.team_code, s.title, s.kind, s.hours, v.name, v.phone "
        "FROM training_sessions s "
        "LEFT JOIN training_attendance a ON a.session_id = s.id "
        "LEFT JOIN volunteers v ON v.id = a.volunteer_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY s.date, s.team_code, s.title, v.name",
        (first, last),
    )
