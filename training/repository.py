"""Training sessions, attendance and fitness tests in SQLite."""

from __future__ import annotations

from datetime import date
from typing import Any

from common.dates import parse_date
from common.errors import DomainError
from storage.db import Database, Row
from storage.unit_of_work import Transaction, UnitOfWork
from training.fitness import FitnessResult, results_from_json
from training.model import TrainingSession, year_bounds


def session_from_row(row: Row) -> TrainingSession:
    keys = row.keys()
    return TrainingSession(
        id=row["id"],
        team_code=row["team_code"],
        date=parse_date(row["date"]),
        title=row["title"],
        kind=row["kind"],
        hours=row["hours"],
        created_by=row["created_by"],
        attendees=row["attendees"] if "attendees" in keys else 0,
    )


class SessionRecords:
    """Training sessions written inside a unit of work (bound to its transaction)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add(
        self, team_code: str, day: date, title: str, kind: str, hours: float, created_by: int | None
    ) -> int:
        """A new session with its audit entry; the same title on the same day is refused."""
        if await self.tx.fetchone(
            "SELECT id FROM training_sessions WHERE team_code = ? AND date = ? AND title = ?",
            (team_code, day.isoformat(), title),
        ):
            raise DomainError("training.duplicate", date=day.isoformat(), title=title)
        written = await self.tx.execute(
            "INSERT INTO training_sessions (team_code, date, title, kind, hours, created_by) "
            "VALUES (?,?,?,?,?,?)",
            (team_code, day.isoformat(), title, kind, hours, created_by),
        )
        await self.tx.audit(
            created_by,
            "training_add",
            session_id=written.lastrowid,
            team=team_code,
            date=day.isoformat(),
            hours=hours,
        )
        return written.lastrowid

    async def merge(
        self,
        team_code: str,
        day: date,
        title: str,
        kind: str,
        hours: float,
        attendees: set[int],
        created_by: int | None,
    ) -> str:
        """An imported session: created, or its kind, hours and attendees brought up to the
        file's (attendees are only added). Returns 'created', 'updated' or 'unchanged'."""
        existing = await self.tx.fetchone(
            "SELECT id, kind, hours FROM training_sessions "
            "WHERE team_code = ? AND date = ? AND title = ?",
            (team_code, day.isoformat(), title),
        )
        changed = False
        if existing is None:
            written = await self.tx.execute(
                "INSERT INTO training_sessions (team_code, date, title, kind, hours, "
                "created_by) VALUES (?,?,?,?,?,?)",
                (team_code, day.isoformat(), title, kind, hours, created_by),
            )
            session_id = written.lastrowid
        else:
            session_id = int(existing[0])
            if (existing[1], existing[2]) != (kind, hours):
                await self.tx.execute(
                    "UPDATE training_sessions SET kind = ?, hours = ? WHERE id = ?",
                    (kind, hours, session_id),
                )
                changed = True
        for volunteer_id in sorted(attendees):
            added = await self.tx.execute(
                "INSERT INTO training_attendance (session_id, volunteer_id) VALUES (?,?) "
                "ON CONFLICT DO NOTHING",
                (session_id, volunteer_id),
            )
            changed = changed or added.rowcount > 0
        if existing is None:
            return "created"
        return "updated" if changed else "unchanged"

    async def add_demo(
        self, team_code: str, day: str, title: str, kind: str, hours: float, attendees: list[int]
    ) -> None:
        """A demo session and its attendees (no audit entry: demo data is not anyone's act)."""
        written = await self.tx.execute(
            "INSERT INTO training_sessions (team_code, date, title, kind, hours) "
            "VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
            (team_code, day, title, kind, hours),
        )
        if written.lastrowid and written.rowcount:
            await self.tx.executemany(
                "INSERT INTO training_attendance (session_id, volunteer_id) VALUES (?,?)",
                [(written.lastrowid, v) for v in attendees],
            )


class TrainingRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create_session(
        self, team_code: str, day: date, title: str, kind: str, hours: float, created_by: int | None
    ) -> int:
        async with UnitOfWork(self.db) as uow:
            return await uow.repo(SessionRecords).add(
                team_code, day, title, kind, hours, created_by
            )

    async def session(self, session_id: int) -> TrainingSession | None:
        row = await self.db.fetchone("SELECT * FROM training_sessions WHERE id = ?", (session_id,))
        return session_from_row(row) if row else None

    async def attendees(self, session_id: int) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT volunteer_id FROM training_attendance WHERE session_id = ?", (session_id,)
        )
        return {int(r[0]) for r in rows}

    async def toggle(self, session_id: int, volunteer_id: int, actor: int) -> bool:
        """Flip one attendee; returns whether they are now marked present."""
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "DELETE FROM training_attendance WHERE session_id = ? AND volunteer_id = ?",
                (session_id, volunteer_id),
            )
            present = written.rowcount == 0
            if present:
                await uow.tx.execute(
                    "INSERT INTO training_attendance (session_id, volunteer_id) VALUES (?,?)",
                    (session_id, volunteer_id),
                )
            await uow.audit(
                actor,
                "training_attendance",
                session_id=session_id,
                volunteer_id=volunteer_id,
                present=present,
            )
        return present

    async def sessions(self, team_code: str | None, year: int) -> list[TrainingSession]:
        first, last = year_bounds(year)
        scope = "AND s.team_code = ?" if team_code else ""
        params: tuple[Any, ...] = (first, last, team_code) if team_code else (first, last)
        rows = await self.db.fetchall(
            "SELECT s.*, (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id) "
            f"AS attendees FROM training_sessions s WHERE s.date BETWEEN ? AND ? {scope} "
            "ORDER BY s.date, s.id",
            params,
        )
        return [session_from_row(r) for r in rows]

    async def hours_by_volunteer(self, team_code: str | None, year: int) -> dict[int, float]:
        """Training hours per volunteer in `year` (sessions of any team they attended)."""
        first, last = year_bounds(year)
        scope = "AND v.team_code = ?" if team_code else ""
        params: tuple[Any, ...] = (first, last, team_code) if team_code else (first, last)
        rows = await self.db.fetchall(
            "SELECT a.volunteer_id, SUM(s.hours) FROM training_attendance a "
            "JOIN training_sessions s ON s.id = a.session_id "
            "JOIN volunteers v ON v.id = a.volunteer_id "
            f"WHERE s.date BETWEEN ? AND ? {scope} GROUP BY a.volunteer_id",
            params,
        )
        return {int(r[0]): float(r[1]) for r in rows}

    async def hours_of(self, volunteer_id: int, year: int) -> tuple[float, int]:
        first, last = year_bounds(year)
        row = await self.db.fetchone(
            "SELECT COALESCE(SUM(s.hours), 0), COUNT(*) FROM training_attendance a "
            "JOIN training_sessions s ON s.id = a.session_id "
            "WHERE a.volunteer_id = ? AND s.date BETWEEN ? AND ?",
            (volunteer_id, first, last),
        )
        return (float(row[0]), int(row[1])) if row else (0.0, 0)


class FitnessRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def last_pass(self, volunteer_id: int) -> date | None:
        row = await self.db.fetchone(
            "SELECT MAX(date) FROM fitness_tests WHERE volunteer_id = ? AND passed = 1",
            (volunteer_id,),
        )
        return parse_date(row[0]) if row and row[0] else None

    async def last_passes(self) -> dict[int, date]:
        rows = await self.db.fetchall(
            "SELECT volunteer_id, MAX(date) FROM fitness_tests WHERE passed = 1 "
            "GROUP BY volunteer_id"
        )
        return {int(r[0]): parse_date(r[1]) for r in rows}

    async def latest(self, volunteer_id: int) -> tuple[date, bool] | None:
        row = await self.db.fetchone(
            "SELECT date, passed FROM fitness_tests WHERE volunteer_id = ? "
            "ORDER BY date DESC LIMIT 1",
            (volunteer_id,),
        )
        return (parse_date(row[0]), bool(row[1])) if row else None


class FitnessRecords:
    """Fitness tests read and written inside a unit of work (bound to its transaction)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def results_on(self, volunteer_id: int, day: date) -> dict[str, float]:
        """The item values already recorded for that person and day (several messages or
        sheets of one test day add up to one test)."""
        row = await self.tx.fetchone(
            "SELECT results FROM fitness_tests WHERE volunteer_id = ? AND date = ?",
            (volunteer_id, day.isoformat()),
        )
        return results_from_json(row[0]) if row else {}

    async def add_demo(self, tests: list[tuple[int, str, str, int]]) -> None:
        """Demo tests as (volunteer, date, results JSON, passed); existing ones stay."""
        await self.tx.executemany(
            "INSERT INTO fitness_tests (volunteer_id, date, results, passed) VALUES (?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            tests,
        )

    async def save(self, volunteer_id: int, day: date, result: FitnessResult) -> str:
        """One test per person and day; returns 'created', 'updated' or 'unchanged'."""
        existing = await self.tx.fetchone(
            "SELECT results, passed FROM fitness_tests WHERE volunteer_id = ? AND date = ?",
            (volunteer_id, day.isoformat()),
        )
        payload = result.to_json()
        if existing is not None and existing[0] == payload and bool(existing[1]) == result.passed:
            return "unchanged"
        await self.tx.execute(
            "INSERT INTO fitness_tests (volunteer_id, date, results, passed) VALUES (?,?,?,?) "
            "ON CONFLICT(volunteer_id, date) DO UPDATE SET results = excluded.results, "
            "passed = excluded.passed",
            (volunteer_id, day.isoformat(), payload, int(result.passed)),
        )
        return "created" if existing is None else "updated"
