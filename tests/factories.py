"""Test data written straight into a database, so each test states only what matters to it."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from storage.db import Database, utcnow_iso
from storage.unit_of_work import UnitOfWork

_phones = itertools.count(13800000001)


def next_phone() -> str:
    return f"+86{next(_phones)}"


async def add_volunteer(
    db: Database,
    name: str,
    *,
    team: str = "SD",
    role: str = "member",
    telegram_id: int | None = None,
    phone: str | None = None,
    skills: dict[str, date | None] | list[str] | None = None,
    insured_until: date | None = date(2099, 12, 31),
    insured_from: date = date(2000, 1, 1),
    away_until: date | None = None,
    active: bool = True,
    fitness_passed_on: date | None = None,
) -> int:
    """A volunteer; `skills` maps code → expiry (None: never expires) or lists codes."""
    now = utcnow_iso()
    async with UnitOfWork(db) as uow:
        written = await uow.tx.execute(
            "INSERT INTO volunteers (team_code, name, phone, role, telegram_id, active, "
            "away_until, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                team,
                name,
                phone or next_phone(),
                role,
                telegram_id,
                int(active),
                away_until.isoformat() if away_until else None,
                now,
                now,
            ),
        )
        volunteer_id = written.lastrowid
        skill_map = dict.fromkeys(skills, None) if isinstance(skills, list) else (skills or {})
        for code, expires in skill_map.items():
            await uow.tx.execute(
                "INSERT INTO volunteer_skills (volunteer_id, skill_code, certified_on, expires_on) "
                "VALUES (?,?,?,?)",
                (volunteer_id, code, None, expires.isoformat() if expires else None),
            )
        if insured_until is not None:
            await uow.tx.execute(
                "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, "
                "start_date, end_date) VALUES (?,?,?,?,?,?)",
                (
                    volunteer_id,
                    "平安保险",
                    f"P-{volunteer_id}",
                    500000,
                    insured_from.isoformat(),
                    insured_until.isoformat(),
                ),
            )
        if fitness_passed_on is not None:
            await uow.tx.execute(
                "INSERT INTO fitness_tests (volunteer_id, date, results, passed) VALUES (?,?,?,1)",
                (volunteer_id, fitness_passed_on.isoformat(), "{}"),
            )
    return volunteer_id


async def add_coordinator(db: Database, telegram_id: int, name: str = "值班员") -> None:
    async with UnitOfWork(db) as uow:
        await uow.tx.execute(
            "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?,?,?)",
            (telegram_id, name, utcnow_iso()),
        )


def days_from_today(days: int) -> date:
    return date.today() + timedelta(days=days)
