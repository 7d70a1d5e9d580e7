"""The roster file's SQL: what the database holds before a file is checked, the batched
writes of a checked file (a few executemany calls, not statements per row: each statement
is a round trip to the database thread), and what an export of the file reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from storage.db import Row
from storage.unit_of_work import Transaction


class Reader(Protocol):
    """`Database` outside a transaction, or a unit of work's `Transaction` inside one."""

    async def fetchall(self, sql: str, params: Any = ()) -> list[Row]: ...


@dataclass(frozen=True)
class RosterSnapshot:
    teams: list[tuple[str, str]]  # (code, name) in roster order
    skills: list[tuple[str, str, str]]  # (code, label_zh, label_en) in roster order
    people: list[Row]  # id, phone, team_code, name, role, telegram_id
    skills_held: list[tuple[int, str]]  # (volunteer id, skill code)
    policies: list[tuple[int, str, str, str, str]]  # (id, no, start, insurer, end)


async def skill_rows(reader: Reader) -> list[tuple[str, str, str]]:
    rows = await reader.fetchall("SELECT code, label_zh, label_en FROM skills ORDER BY rowid")
    return [(r[0], r[1], r[2]) for r in rows]


async def snapshot(reader: Reader) -> RosterSnapshot:
    teams = await reader.fetchall("SELECT code, name FROM teams ORDER BY rowid")
    people = await reader.fetchall(
        "SELECT id, phone, team_code, name, role, telegram_id FROM volunteers"
    )
    held = await reader.fetchall("SELECT volunteer_id, skill_code FROM volunteer_skills")
    policies = await reader.fetchall(
        "SELECT volunteer_id, policy_no, start_date, insurer, end_date FROM insurance_policies"
    )
    return RosterSnapshot(
        teams=[(r[0], r[1]) for r in teams],
        skills=await skill_rows(reader),
        people=people,
        skills_held=[(r[0], r[1]) for r in held],
        policies=[(r[0], r[1], r[2], r[3], r[4]) for r in policies],
    )


class RosterImportRecords:
    """The roster import's writes, bound to one unit of work."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def free_accounts(self, volunteer_ids: list[tuple[int]]) -> None:
        """Unlink accounts that move to another person, so a swap never trips UNIQUE."""
        await self.tx.executemany(
            "UPDATE volunteers SET telegram_id = NULL WHERE id = ?", volunteer_ids
        )

    async def add_people(self, rows: list[tuple[object, ...]]) -> dict[str, int]:
        """New people as (team, name, phone, role, telegram id, created, updated); returns the
        ids of everyone by phone."""
        await self.tx.executemany(
            "INSERT INTO volunteers (team_code, name, phone, role, telegram_id, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
        return {r[1]: r[0] for r in await self.tx.fetchall("SELECT id, phone FROM volunteers")}

    async def update_people(self, rows: list[tuple[object, ...]]) -> None:
        """(team, name, role, telegram id, updated, id)."""
        await self.tx.executemany(
            "UPDATE volunteers SET team_code = ?, name = ?, role = ?, telegram_id = ?, "
            "updated_at = ? WHERE id = ?",
            rows,
        )

    async def change_skills(
        self, gone: list[tuple[int, str]], added: list[tuple[int, str]]
    ) -> None:
        """Only the difference is written: skills kept keep their certificate dates."""
        await self.tx.executemany(
            "DELETE FROM volunteer_skills WHERE volunteer_id = ? AND skill_code = ?", gone
        )
        await self.tx.executemany(
            "INSERT INTO volunteer_skills (volunteer_id, skill_code) VALUES (?,?)", added
        )

    async def upsert_policies(self, rows: list[tuple[object, ...]]) -> None:
        """(volunteer, insurer, number, start, end); one policy per person, number and start."""
        await self.tx.executemany(
            "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, start_date, "
            "end_date) VALUES (?,?,?,?,?) ON CONFLICT(volunteer_id, policy_no, start_date) "
            "DO UPDATE SET insurer = excluded.insurer, end_date = excluded.end_date",
            rows,
        )
