"""Insurance policies and the reminders-sent log in SQLite."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from common.dates import parse_date
from insurance.model import Policy
from storage.db import Database, Row, utcnow_iso
from storage.unit_of_work import Transaction, UnitOfWork


def policy_from_row(row: Row) -> Policy:
    return Policy(
        id=row["id"],
        volunteer_id=row["volunteer_id"],
        insurer=row["insurer"],
        policy_no=row["policy_no"],
        coverage=row["coverage"],
        start=parse_date(row["start_date"]),
        end=parse_date(row["end_date"]),
    )


@dataclass(frozen=True)
class PolicyInput:
    insurer: str
    policy_no: str
    coverage: float | None
    start: date
    end: date


class PolicyRecords:
    """Policies written inside a unit of work (bound to its transaction)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def upsert(self, volunteer_id: int, policy: PolicyInput) -> str:
        """Insert or update one policy.

        A policy is identified by (volunteer, policy number, start), so importing
        the same file twice changes nothing. Returns 'created', 'updated' or
        'unchanged'.
        """
        existing = await self.tx.fetchone(
            "SELECT id, insurer, coverage, end_date FROM insurance_policies "
            "WHERE volunteer_id = ? AND policy_no = ? AND start_date = ?",
            (volunteer_id, policy.policy_no, policy.start.isoformat()),
        )
        if existing is None:
            await self.tx.execute(
                "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, "
                "start_date, end_date) VALUES (?,?,?,?,?,?)",
                (
                    volunteer_id,
                    policy.insurer,
                    policy.policy_no,
                    policy.coverage,
                    policy.start.isoformat(),
                    policy.end.isoformat(),
                ),
            )
            return "created"
        same = (
            existing[1] == policy.insurer
            and existing[2] == policy.coverage
            and existing[3] == policy.end.isoformat()
        )
        if same:
            return "unchanged"
        await self.tx.execute(
            "UPDATE insurance_policies SET insurer = ?, coverage = ?, end_date = ? WHERE id = ?",
            (policy.insurer, policy.coverage, policy.end.isoformat(), existing[0]),
        )
        return "updated"


class InsuranceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def policies_of(self, volunteer_id: int) -> list[Policy]:
        rows = await self.db.fetchall(
            "SELECT * FROM insurance_policies WHERE volunteer_id = ? ORDER BY start_date",
            (volunteer_id,),
        )
        return [policy_from_row(r) for r in rows]

    async def policies_by_volunteer(
        self, volunteer_ids: Iterable[int] | None = None
    ) -> dict[int, list[Policy]]:
        if volunteer_ids is None:
            rows = await self.db.fetchall("SELECT * FROM insurance_policies ORDER BY start_date")
        else:
            ids = list(volunteer_ids)
            if not ids:
                return {}
            marks = ",".join("?" * len(ids))
            rows = await self.db.fetchall(
                f"SELECT * FROM insurance_policies WHERE volunteer_id IN ({marks}) "
                "ORDER BY start_date",
                ids,
            )
        result: dict[int, list[Policy]] = {}
        for r in rows:
            result.setdefault(r["volunteer_id"], []).append(policy_from_row(r))
        return result


class ReminderLog:
    """`reminders_sent (kind, key)`: what has gone out, so nothing is sent twice."""

    RUN_KIND = "daily_run"

    def __init__(self, db: Database) -> None:
        self.db = db

    async def sent_keys(self) -> set[tuple[str, str]]:
        rows = await self.db.fetchall(
            "SELECT kind, key FROM reminders_sent WHERE kind <> ?", (self.RUN_KIND,)
        )
        return {(r[0], r[1]) for r in rows}

    async def mark(self, keys: Iterable[tuple[str, str]]) -> None:
        now = utcnow_iso()
        async with UnitOfWork(self.db) as uow:
            for kind, key in keys:
                await uow.tx.execute(
                    "INSERT INTO reminders_sent (kind, key, sent_at) VALUES (?,?,?) "
                    "ON CONFLICT(kind, key) DO NOTHING",
                    (kind, key, now),
                )

    async def last_run(self) -> date | None:
        row = await self.db.fetchone(
            "SELECT MAX(key) FROM reminders_sent WHERE kind = ?", (self.RUN_KIND,)
        )
        return parse_date(row[0]) if row and row[0] else None

    async def mark_run(self, day: date) -> None:
        await self.mark([(self.RUN_KIND, day.isoformat())])
