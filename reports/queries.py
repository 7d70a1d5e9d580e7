"""Reading what the reports aggregate: a few range queries, each one pass over its rows.

Ten years of data must report in well under a second, so each query is bounded
by the year (indexed columns) and rows are grouped in Python rather than
fetched per mission or per person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from common.clock import parse_iso
from common.dates import parse_date, parse_optional_date
from insurance.model import Policy
from insurance.repository import policy_from_row
from reports.model import FitnessRecord, MissionRecord, SessionRecord, year_range_utc
from roster.model import SkillHolding, Volunteer
from roster.repository import RosterRepository, volunteer_from_row
from roster.taxonomy import Team
from storage.db import Database


@dataclass
class Basics:
    teams: list[Team]
    skill_codes: list[str]
    skill_labels: dict[str, tuple[str, str]]  # code → (zh, en)
    people: list[Volunteer]

    @property
    def by_id(self) -> dict[int, Volunteer]:
        return {p.id: p for p in self.people}


# `(? IS NULL OR v.team_code = ?)`: one statement for every team or one team.
_TEAM = "(? IS NULL OR v.team_code = ?)"


async def load_basics(db: Database, team: str | None = None, *, skills: bool = True) -> Basics:
    """Teams, skills, and the volunteers of `team` (every team when None), with the skills
    they hold unless `skills` is False (reports that never show skills skip those rows).

    The people are read with two scans filtered in SQL, not one `IN (…)` list of ids,
    so 26,000 volunteers cost what 2,600 would, per volunteer.
    """
    roster = RosterRepository(db)
    kinds = await roster.skill_kinds()
    rows = await db.fetchall(f"SELECT * FROM volunteers v WHERE {_TEAM} ORDER BY id", (team, team))
    held: dict[int, list[SkillHolding]] = {}
    skill_rows = (
        await db.fetchall(
            "SELECT vs.volunteer_id, vs.skill_code, vs.certified_on, vs.expires_on "
            f"FROM volunteer_skills vs JOIN volunteers v ON v.id = vs.volunteer_id WHERE {_TEAM} "
            "ORDER BY vs.skill_code",
            (team, team),
        )
        if skills
        else []
    )
    for r in skill_rows:
        held.setdefault(int(r[0]), []).append(
            SkillHolding(r[1], parse_optional_date(r[2]), parse_optional_date(r[3]))
        )
    return Basics(
        teams=await roster.teams(),
        skill_codes=[k.code for k in kinds],
        skill_labels={k.code: (k.label_zh, k.label_en) for k in kinds},
        people=[volunteer_from_row(r, held.get(int(r["id"]), [])) for r in rows],
    )


async def count_missions(db: Database, year: int, tz: ZoneInfo) -> int:
    """Every team's missions of the local year: the figure the target is about."""
    start, end = year_range_utc(year, tz)
    row = await db.fetchone(
        "SELECT COUNT(*) FROM missions WHERE started_at >= ? AND started_at < ?", (start, end)
    )
    return int(row[0]) if row else 0


async def load_missions(
    db: Database, year: int, tz: ZoneInfo, team: str | None = None
) -> list[MissionRecord]:
    """Missions of the local year (those `team` joined, when given) with all participants."""
    start, end = year_range_utc(year, tz)
    joined = "(? IS NULL OR EXISTS (SELECT 1 FROM json_each(m.teams) WHERE value = ?))"
    rows = await db.fetchall(
        "SELECT id, type, teams, started_at, rescued, outcome FROM missions m "
        f"WHERE started_at >= ? AND started_at < ? AND {joined} ORDER BY started_at, id",
        (start, end, team, team),
    )
    hours: dict[int, dict[int, float]] = {int(r[0]): {} for r in rows}
    # One join over the year's range instead of one query per mission.
    for p in await db.fetchall(
        "SELECT p.mission_id, p.volunteer_id, p.hours FROM mission_participants p "
        "JOIN missions m ON m.id = p.mission_id "
        f"WHERE m.started_at >= ? AND m.started_at < ? AND {joined}",
        (start, end, team, team),
    ):
        hours[int(p[0])][int(p[1])] = float(p[2])
    return [
        MissionRecord(
            id=int(r[0]),
            type=str(r[1]),
            teams=tuple(json.loads(r[2])),
            started_at=parse_iso(r[3]),
            rescued=int(r[4]),
            participants=hours[int(r[0])],
            outcome=str(r[5] or ""),
        )
        for r in rows
    ]


async def load_sessions(db: Database, year: int, team: str | None = None) -> list[SessionRecord]:
    """Sessions `team` (every team when None) ran in `year`, each with its attendance
    counted in SQL: the attendance rows themselves (420,000 a year at 10x a city)
    never reach Python; who trained comes from `load_trained`."""
    # Training dates are local calendar days already: a plain text range is the year.
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    rows = await db.fetchall(
        "SELECT s.id, s.team_code, s.date, s.hours, "
        "(SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id) "
        "FROM training_sessions s "
        "WHERE s.date BETWEEN ? AND ? AND (? IS NULL OR s.team_code = ?) ORDER BY s.date, s.id",
        (first, last, team, team),
    )
    return [
        SessionRecord(
            id=int(r[0]),
            team_code=str(r[1]),
            date=parse_date(r[2]),
            hours=float(r[3]),
            attendees=frozenset(),
            count=int(r[4]),
        )
        for r in rows
    ]


async def load_trained(db: Database, year: int, team: str | None) -> set[int]:
    """Volunteers (of `team`) at one session or more of any team in `year`."""
    rows = await db.fetchall(
        "SELECT DISTINCT a.volunteer_id FROM training_attendance a "
        "JOIN training_sessions s ON s.id = a.session_id "
        "JOIN volunteers v ON v.id = a.volunteer_id "
        f"WHERE s.date BETWEEN ? AND ? AND {_TEAM}",
        (f"{year:04d}-01-01", f"{year:04d}-12-31", team, team),
    )
    return {int(r[0]) for r in rows}


async def load_fitness(
    db: Database, *, year: int | None = None, upto: date | None = None, team: str | None = None
) -> list[FitnessRecord]:
    """Fitness tests of one year, or (for readiness) every pass up to a day; of `team`'s
    volunteers when given."""
    if year is not None:
        rows = await db.fetchall(
            "SELECT f.volunteer_id, f.date, f.passed FROM fitness_tests f "
            f"JOIN volunteers v ON v.id = f.volunteer_id WHERE f.date BETWEEN ? AND ? AND {_TEAM}",
            (f"{year:04d}-01-01", f"{year:04d}-12-31", team, team),
        )
    else:
        # Only each volunteer's latest pass matters to the callout rule.
        rows = await db.fetchall(
            "SELECT f.volunteer_id, MAX(f.date), 1 FROM fitness_tests f "
            "JOIN volunteers v ON v.id = f.volunteer_id "
            f"WHERE f.passed = 1 AND f.date <= ? AND {_TEAM} GROUP BY f.volunteer_id",
            ((upto or date.max).isoformat(), team, team),
        )
    return [FitnessRecord(int(r[0]), parse_date(r[1]), bool(r[2])) for r in rows]


async def load_policies(
    db: Database, day: date, team: str | None = None
) -> dict[int, list[Policy]]:
    """The policies that decide each person's status on `day` (of `team`'s volunteers):
    those still running or yet to start, and the latest one that had ended — never the
    years of history before it. The same answer `insurance_status` gives on every
    policy, for a tenth of the rows after ten years."""
    rows = await db.fetchall(
        "SELECT p.* FROM insurance_policies p JOIN volunteers v ON v.id = p.volunteer_id "
        f"WHERE {_TEAM} AND p.end_date >= COALESCE((SELECT MAX(q.end_date) "
        "FROM insurance_policies q WHERE q.volunteer_id = p.volunteer_id AND q.end_date < ?), '') "
        "ORDER BY p.start_date",
        (team, team, day.isoformat()),
    )
    result: dict[int, list[Policy]] = {}
    for r in rows:
        result.setdefault(int(r["volunteer_id"]), []).append(policy_from_row(r))
    return result
