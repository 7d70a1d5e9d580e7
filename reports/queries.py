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
from common.dates import parse_date
from insurance.model import Policy
from insurance.repository import InsuranceRepository
from reports.model import FitnessRecord, MissionRecord, SessionRecord, year_range_utc
from roster.model import Volunteer
from roster.repository import RosterRepository
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


async def load_basics(db: Database) -> Basics:
    roster = RosterRepository(db)
    kinds = await roster.skill_kinds()
    return Basics(
        teams=await roster.teams(),
        skill_codes=[k.code for k in kinds],
        skill_labels={k.code: (k.label_zh, k.label_en) for k in kinds},
        people=await roster.all_volunteers(),
    )


async def load_missions(db: Database, year: int, tz: ZoneInfo) -> list[MissionRecord]:
    start, end = year_range_utc(year, tz)
    rows = await db.fetchall(
        "SELECT id, type, teams, started_at, rescued FROM missions "
        "WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id",
        (start, end),
    )
    hours: dict[int, dict[int, float]] = {int(r[0]): {} for r in rows}
    # One join over the year's range instead of one query per mission.
    for p in await db.fetchall(
        "SELECT p.mission_id, p.volunteer_id, p.hours FROM mission_participants p "
        "JOIN missions m ON m.id = p.mission_id WHERE m.started_at >= ? AND m.started_at < ?",
        (start, end),
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
        )
        for r in rows
    ]


async def load_sessions(db: Database, year: int) -> list[SessionRecord]:
    # Training dates are local calendar days already: a plain text range is the year.
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    rows = await db.fetchall(
        "SELECT id, team_code, date, hours FROM training_sessions "
        "WHERE date BETWEEN ? AND ? ORDER BY date, id",
        (first, last),
    )
    present: dict[int, set[int]] = {int(r[0]): set() for r in rows}
    for a in await db.fetchall(
        "SELECT a.session_id, a.volunteer_id FROM training_attendance a "
        "JOIN training_sessions s ON s.id = a.session_id WHERE s.date BETWEEN ? AND ?",
        (first, last),
    ):
        present[int(a[0])].add(int(a[1]))
    return [
        SessionRecord(
            id=int(r[0]),
            team_code=str(r[1]),
            date=parse_date(r[2]),
            hours=float(r[3]),
            attendees=frozenset(present[int(r[0])]),
        )
        for r in rows
    ]


async def load_fitness(
    db: Database, *, year: int | None = None, upto: date | None = None
) -> list[FitnessRecord]:
    """Fitness tests of one year, or (for readiness) every pass up to a day."""
    if year is not None:
        rows = await db.fetchall(
            "SELECT volunteer_id, date, passed FROM fitness_tests WHERE date BETWEEN ? AND ?",
            (f"{year:04d}-01-01", f"{year:04d}-12-31"),
        )
    else:
        # Only each volunteer's latest pass matters to the callout rule.
        rows = await db.fetchall(
            "SELECT volunteer_id, MAX(date), 1 FROM fitness_tests WHERE passed = 1 AND date <= ? "
            "GROUP BY volunteer_id",
            ((upto or date.max).isoformat(),),
        )
    return [FitnessRecord(int(r[0]), parse_date(r[1]), bool(r[2])) for r in rows]


async def load_policies(db: Database) -> dict[int, list[Policy]]:
    return await InsuranceRepository(db).policies_by_volunteer()
