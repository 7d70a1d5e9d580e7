"""Reading what the roster export writes: people, their skills and their policies.

Kept apart from `roster.exporter`, which only lays the rows out, so the export has no SQL.
"""

from __future__ import annotations

from datetime import date

from common.dates import parse_date
from storage.db import Database, Row

_ROLE_ORDER = "CASE v.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END"

# insurer, policy number, start, end
PolicyColumns = tuple[str, str, date, date]


async def people_by_team(db: Database) -> list[Row]:
    """Everyone, teams in their configured order, leaders then deputies first, then by id."""
    return await db.fetchall(
        "SELECT v.id, v.team_code, v.name, v.phone, v.role, v.telegram_id "
        f"FROM volunteers v JOIN teams t ON t.code = v.team_code "
        f"ORDER BY t.rowid, {_ROLE_ORDER}, v.id"
    )


async def skill_labels_zh(db: Database) -> dict[str, str]:
    """Each skill's code → its Chinese label."""
    return {code: label for code, label in await db.fetchall("SELECT code, label_zh FROM skills")}


async def skill_codes_by_volunteer(db: Database) -> dict[int, list[str]]:
    """Each volunteer's skill codes, in the skills' configured order."""
    held: dict[int, list[str]] = {}
    for volunteer_id, code in await db.fetchall(
        "SELECT vs.volunteer_id, vs.skill_code FROM volunteer_skills vs "
        "JOIN skills s ON s.code = vs.skill_code ORDER BY s.rowid"
    ):
        held.setdefault(volunteer_id, []).append(code)
    return held


async def latest_policies(db: Database, year: int | None) -> dict[int, PolicyColumns]:
    """Each volunteer's latest policy (the one covering part of `year`, when given)."""
    where, params = "", []
    if year is not None:
        where = "WHERE start_date <= ? AND end_date >= ?"
        params = [f"{year}-12-31", f"{year}-01-01"]
    policies: dict[int, PolicyColumns] = {}
    # Ascending order, so the latest policy of each person is the one left in the dict.
    for r in await db.fetchall(
        "SELECT volunteer_id, insurer, policy_no, start_date, end_date FROM insurance_policies "
        f"{where} ORDER BY end_date, start_date, id",
        params,
    ):
        policies[r[0]] = (r[1], r[2], parse_date(r[3]), parse_date(r[4]))
    return policies
