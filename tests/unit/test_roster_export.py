"""Roster export: the import's own columns, so a file goes out and comes back unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from common.tabular import write_table
from roster.exporter import HEADERS, export_roster
from roster.importer import import_roster
from roster.repository import RosterRepository
from storage.db import Database, open_database
from tests.factories import add_volunteer

TZ = ZoneInfo("Asia/Shanghai")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


async def fresh_database(path: Path) -> Database:
    database = await open_database(path)
    await RosterRepository(database).seed_reference_data()
    return database


async def test_the_export_has_the_chinese_headers_the_import_reads() -> None:
    assert HEADERS == [
        "队伍", "姓名", "手机", "职务", "技能", "Telegram ID",
        "保险公司", "保单号", "保险起期", "保险止期",
    ]  # fmt: skip


async def test_a_volunteer_is_exported_with_role_skills_and_latest_policy_in_chinese(
    db: Database,
) -> None:
    volunteer = await add_volunteer(
        db, "张伟", team="SD", role="leader", phone="+8613800138001", telegram_id=4242,
        skills=["rope", "mountain_search"], insured_from=date(2025, 1, 1),
        insured_until=date(2025, 12, 31),
    )  # fmt: skip
    await db.execute(
        "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, start_date, end_date) "
        "VALUES (?, '平安', 'NEW', '2026-01-01', '2026-12-31')",
        (volunteer,),
    )
    _, rows = await export_roster(db, year=None, tz=TZ)
    assert rows == [
        ["SD", "张伟", "138 0013 8001", "队长", "山地搜救、绳索救援", 4242, "平安", "NEW",
         date(2026, 1, 1), date(2026, 12, 31)],
    ]  # fmt: skip
    _, by_year = await export_roster(db, year=2025, tz=TZ)
    assert by_year[0][7:] == [f"P-{volunteer}", date(2025, 1, 1), date(2025, 12, 31)]


async def test_someone_without_insurance_or_account_has_empty_cells(db: Database) -> None:
    await add_volunteer(db, "李娜", phone="+8613800138002", insured_until=None)
    _, rows = await export_roster(db, year=None, tz=TZ)
    assert rows == [["SD", "李娜", "138 0013 8002", "队员", "", None, None, None, None, None]]


async def test_teams_come_in_their_order_and_leaders_first_within_each(db: Database) -> None:
    await add_volunteer(db, "SD队员", team="SD")
    await add_volunteer(db, "SD队长", team="SD", role="leader")
    await add_volunteer(db, "HR副队长", team="HR", role="deputy")
    await add_volunteer(db, "HR队员", team="HR")
    await add_volunteer(db, "HR队长", team="HR", role="leader")
    _, rows = await export_roster(db, year=None, tz=TZ)
    assert [r[1] for r in rows] == ["HR队长", "HR副队长", "HR队员", "SD队长", "SD队员"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_export_then_import_round_trips(db: Database, tmp_path: Path, suffix: str) -> None:
    report = await import_roster(
        db, (SAMPLES / "roster.csv").read_bytes(), "roster.csv", actor=None, team_scope=None
    )
    assert report.ok, report.errors
    await db.execute("UPDATE volunteers SET telegram_id = 7000000001 WHERE name = '张伟'")
    headers, rows = await export_roster(db, year=None, tz=TZ)
    path = tmp_path / f"roster{suffix}"
    write_table(path, headers, rows)

    again = await import_roster(db, path.read_bytes(), path.name, actor=None, team_scope=None)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))

    other = await fresh_database(tmp_path / "other.db")
    try:
        copied = await import_roster(
            other, path.read_bytes(), path.name, actor=None, team_scope=None
        )
        assert copied.ok and copied.created == len(rows)
        assert await export_roster(other, year=None, tz=TZ) == (headers, rows)
    finally:
        await other.close()


async def test_a_skill_whose_label_another_skill_shares_is_exported_as_its_code(
    db: Database, tmp_path: Path
) -> None:
    # A team added its own skill under a label the taxonomy already uses.
    await db.execute(
        "INSERT INTO skills (code, label_zh, label_en, validity_years) "
        "VALUES ('first_aid_adv', '急救', 'advanced first aid', 2)"
    )
    await add_volunteer(db, "张伟", phone="+8613800138001", skills=["first_aid", "first_aid_adv"])
    headers, rows = await export_roster(db, year=None, tz=TZ)
    assert rows[0][4] == "急救、first_aid_adv"
    path = tmp_path / "roster.csv"
    write_table(path, headers, rows)
    report = await import_roster(db, path.read_bytes(), path.name, actor=None, team_scope=None)
    assert report.unchanged == 1
