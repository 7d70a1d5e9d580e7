"""The demo roster: 263 believable volunteers, the same ones for the same seed and day."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

import bot.seeding
from bot.cli import main
from common.dates import add_years
from common.tabular import write_table
from roster.demo import TEAM_SIZES, seed_roster
from roster.exporter import export_roster
from roster.importer import import_roster
from roster.repository import RosterRepository
from roster.taxonomy import SKILLS
from storage.db import Database, open_database
from tests.conftest import IMPORT_TRIPS, Trips

TODAY = date(2026, 6, 15)


async def seeded(path: Path, seed: int = 59, today: date = TODAY) -> Database:
    database = await open_database(path)
    await seed_roster(database, random.Random(seed), today)
    return database


async def dump(db: Database) -> list[list[tuple[object, ...]]]:
    tables = {
        "volunteers": "id",
        "volunteer_skills": "volunteer_id, skill_code",
        "insurance_policies": "id",
    }
    return [
        [tuple(r) for r in await db.fetchall(f"SELECT * FROM {table} ORDER BY {order}")]
        for table, order in tables.items()
    ]


async def test_the_demo_roster_has_263_volunteers_in_the_planned_team_sizes(db: Database) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    rows = await db.fetchall("SELECT team_code, COUNT(*) FROM volunteers GROUP BY team_code")
    assert {r[0]: r[1] for r in rows} == TEAM_SIZES
    assert sum(TEAM_SIZES.values()) == 263
    assert TEAM_SIZES["LT"] == max(TEAM_SIZES.values())


async def test_every_team_has_one_leader_and_one_or_two_deputies(db: Database) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    roles = Counter(
        (r[0], r[1]) for r in await db.fetchall("SELECT team_code, role FROM volunteers")
    )
    for team in TEAM_SIZES:
        assert roles[(team, "leader")] == 1
        assert roles[(team, "deputy")] in (1, 2)


async def test_the_same_seed_and_day_give_identical_data(tmp_path: Path) -> None:
    first = await seeded(tmp_path / "a.db")
    second = await seeded(tmp_path / "b.db")
    other = await seeded(tmp_path / "c.db", seed=60)
    try:
        assert await dump(first) == await dump(second)
        assert await dump(first) != await dump(other)
    finally:
        for database in (first, second, other):
            await database.close()


async def test_names_are_chinese_and_phones_unique_valid_mainland_mobiles(db: Database) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    rows = await db.fetchall("SELECT name, phone FROM volunteers")
    phones = [r["phone"] for r in rows]
    assert len(set(phones)) == 263
    for phone in phones:
        assert phone[:5] in {"+8613", "+8615", "+8618"}
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    for name in (r["name"] for r in rows):
        assert 2 <= len(name) <= 3
        assert all("\u4e00" <= ch <= "\u9fff" for ch in name)


async def test_skills_fit_each_team_and_certificates_follow_the_validity(db: Database) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    held = Counter(
        (r[0], r[1])
        for r in await db.fetchall(
            "SELECT v.team_code, s.skill_code FROM volunteers v "
            "JOIN volunteer_skills s ON s.volunteer_id = v.id"
        )
    )
    assert held[("SD", "mountain_search")] > TEAM_SIZES["SD"] * 0.6
    assert held[("HR", "water_rescue")] > TEAM_SIZES["HR"] * 0.6
    assert held[("QM", "boat")] > TEAM_SIZES["QM"] * 0.3
    assert held[("SD", "diving")] == held[("HR", "mountain_search")] == 0
    validity = {s.code: s.validity_years for s in SKILLS}
    expired = 0
    for code, certified, expires in await db.fetchall(
        "SELECT skill_code, certified_on, expires_on FROM volunteer_skills"
    ):
        years = validity[code]
        certified_on = date.fromisoformat(certified)
        assert certified_on < TODAY
        if years is None:
            assert expires is None
        else:
            assert expires == add_years(certified_on, years).isoformat()
            expired += expires < TODAY.isoformat()
    assert 5 <= expired <= 60  # a few lapsed certificates, not a broken roster


async def test_insurance_is_mostly_valid_with_a_few_expired_expiring_and_missing(
    db: Database,
) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    latest = await db.fetchall(
        "SELECT v.id, MAX(p.end_date) FROM volunteers v "
        "LEFT JOIN insurance_policies p ON p.volunteer_id = v.id GROUP BY v.id"
    )
    soon = (TODAY + timedelta(days=30)).isoformat()
    status = Counter(
        "none" if end is None else
        "expired" if end < TODAY.isoformat() else
        "expiring" if end <= soon else "valid"
        for _, end in latest
    )  # fmt: skip
    assert status == Counter(valid=245, expiring=7, expired=6, none=5)
    # One insurer per team.
    insurers = await db.fetchall(
        "SELECT v.team_code, COUNT(DISTINCT p.insurer) FROM volunteers v "
        "JOIN insurance_policies p ON p.volunteer_id = v.id GROUP BY v.team_code"
    )
    assert all(r[1] == 1 for r in insurers) and len(insurers) == 6


async def test_most_are_linked_and_a_few_are_inactive_or_away(db: Database) -> None:
    await seed_roster(db, random.Random(59), TODAY)
    row = await db.fetchone(
        "SELECT SUM(telegram_id IS NOT NULL), SUM(active = 0), SUM(away_until >= ?), "
        "SUM(role != 'member' AND telegram_id IS NULL) FROM volunteers",
        (TODAY.isoformat(),),
    )
    assert row is not None
    linked, inactive, away, unlinked_leaders = row
    assert 0.85 * 263 <= linked <= 0.95 * 263
    assert (inactive, away, unlinked_leaders) == (5, 6, 0)
    ids = [r[0] for r in await db.fetchall("SELECT telegram_id FROM volunteers ORDER BY id")]
    assert all(i is None or i == 7_000_000_000 + n for n, i in enumerate(ids, start=1))


async def test_the_demo_roster_goes_out_and_back_in_in_a_few_batched_statements(
    db: Database, tmp_path: Path, database_trips: Trips
) -> None:
    # Batched, not a statement a person (its time: benchmarks/imports.py).
    await seed_roster(db, random.Random(59), TODAY)
    headers, rows = await export_roster(db, year=None, tz=ZoneInfo("Asia/Shanghai"))
    path = tmp_path / "demo.xlsx"
    write_table(path, headers, rows)
    other = await open_database(tmp_path / "other.db")
    try:
        await RosterRepository(other).seed_reference_data()
        database_trips.count = 0
        report = await import_roster(
            other, path.read_bytes(), path.name, actor=None, team_scope=None
        )
        assert report.ok and report.created == 263
        assert database_trips.count <= IMPORT_TRIPS
        database_trips.count = 0
        again = await import_roster(db, path.read_bytes(), path.name, actor=None, team_scope=None)
        assert again.unchanged == 263
        assert database_trips.count <= IMPORT_TRIPS
    finally:
        await other.close()


@pytest.fixture
def cli_env(cli_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Only the roster's part of the demo: the other seeders have their own tests.
    monkeypatch.setattr(bot.seeding, "SEEDERS", ("roster.demo:seed_roster",))
    return cli_db


def test_rescuebot_init_demo_prints_each_teams_count(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "LT   蓝天公益救援中心: 70 volunteers" in out
    assert "QM   汽车摩托车游艇运动协会: 30 volunteers" in out
    assert "263 volunteers in all." in out
