"""Training sessions: import grouped by session, export, hours per year in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from common.clock import FakeClock, local_today
from common.tabular import table_to_xlsx
from storage.db import Database
from tests.factories import add_volunteer
from training.exporter import export_training
from training.importer import import_training
from training.repository import TrainingRepository

TZ = ZoneInfo("Asia/Shanghai")
HEADER = "日期,队伍,培训内容,类别,学时,姓名,手机\n"


async def test_rows_of_one_session_are_grouped_with_their_attendees(db: Database) -> None:
    zhang = await add_volunteer(db, "张伟", phone="+8613900000001")
    li = await add_volunteer(db, "李娜")
    csv = (
        "\ufeff"
        + HEADER
        + "2026-03-05,SD,绳索技术复训,绳索,4,张伟,\n"
        + "2026/3/5,SD,绳索技术复训,rope,4,,139 0000 0001\n"  # the same person again: once
        + "2026年3月5日,SD,绳索技术复训,绳索,4,李娜,\n"
        + "2026-04-01,SD,夜间搜索,山地,3.5,,\n"  # a session with nobody listed yet
    )
    report = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)
    assert report.ok, report.errors
    assert report.created == 2
    repo = TrainingRepository(db)
    sessions = await repo.sessions("SD", 2026)
    assert [(s.title, s.kind, s.hours, s.attendees) for s in sessions] == [
        ("绳索技术复训", "rope", 4.0, 2),
        ("夜间搜索", "mountain", 3.5, 0),
    ]
    assert await repo.hours_by_volunteer("SD", 2026) == {zhang: 4.0, li: 4.0}


async def test_an_xlsx_training_file_with_excel_dates_imports(db: Database) -> None:
    await add_volunteer(db, "张伟")
    content = table_to_xlsx(
        ["date", "team", "title", "kind", "hours", "name"],
        [[datetime(2026, 3, 5), "SD", "急救复训", "急救", 8, "张伟"]],
    )
    report = await import_training(db, content, "t.xlsx", actor=None, team_scope=None)
    assert report.ok and report.created == 1


async def test_bad_training_rows_are_reported_and_nothing_is_written(db: Database) -> None:
    await add_volunteer(db, "张伟")
    csv = (
        HEADER
        + "2026-03-05,SD,复训,绳索,4,张伟,\n"
        + "2026-03-05,SD,复训,绳索,6,张伟,\n"  # 3: hours differ from line 2
        + "2026-03-06,XX,复训,绳索,4,张伟,\n"  # 4: unknown team
        + "2026-03-07,SD,复训,跳伞,4,张伟,\n"  # 5: unknown kind
        + "2026-03-08,SD,复训,绳索,0,张伟,\n"  # 6: zero hours
        + "2026-03-09,SD,复训,绳索,2,赵六,\n"  # 7: not on the roster
    )
    report = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [
        (3, "training.inconsistent"),
        (4, "error.unknown_team"),
        (5, "training.unknown_kind"),
        (6, "training.bad_hours"),
        (7, "records.unknown_name"),
    ]
    assert await TrainingRepository(db).sessions(None, 2026) == []


async def test_a_leader_imports_only_their_own_teams_sessions(db: Database) -> None:
    csv = (HEADER + "2026-03-05,HR,船艇,水域,4,,\n").encode()
    report = await import_training(db, csv, "t.csv", actor=1, team_scope="SD")
    assert [e.key for e in report.errors] == ["records.other_team_session"]


async def test_reimporting_an_export_changes_nothing(db: Database) -> None:
    await add_volunteer(db, "张伟", phone="+8613900000001")
    csv = (HEADER + "2026-03-05,SD,复训,绳索,4,张伟,\n").encode()
    await import_training(db, csv, "t.csv", actor=None, team_scope=None)
    headers, rows = await export_training(db, year=2026, tz=TZ)
    assert rows == [[date(2026, 3, 5), "SD", "复训", "绳索", 4.0, "张伟", "139 0000 0001"]]
    again = await import_training(
        db, table_to_xlsx(headers, rows), "t.xlsx", actor=None, team_scope=None
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


async def test_the_training_year_follows_the_bureaus_time_zone(db: Database) -> None:
    zhang = await add_volunteer(db, "张伟")
    repo = TrainingRepository(db)
    old = await repo.create_session("SD", date(2026, 12, 31), "年终拉练", "drill", 6, None)
    new = await repo.create_session("SD", date(2027, 1, 1), "新年第一练", "drill", 2, None)
    for session in (old, new):
        await repo.toggle(session, zhang, 1)
    # 16:30 UTC on 31 December is already 1 January in Shanghai.
    clock = FakeClock(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    year = local_today(clock, TZ).year
    assert year == 2027
    assert await repo.hours_of(zhang, year) == (2.0, 1)
    assert await repo.hours_of(zhang, 2026) == (6.0, 1)
    _headers, rows = await export_training(db, year=None, tz=TZ, clock=clock)
    assert [r[2] for r in rows] == ["新年第一练"]


async def test_toggling_an_attendee_twice_removes_them_again(db: Database) -> None:
    zhang = await add_volunteer(db, "张伟")
    repo = TrainingRepository(db)
    session = await repo.create_session("SD", date(2026, 3, 5), "复训", "rope", 4, 1)
    assert await repo.toggle(session, zhang, 1) is True
    assert await repo.toggle(session, zhang, 1) is False
    assert await repo.attendees(session) == set()


def test_a_certificate_expires_after_its_skills_default_validity() -> None:
    from training.certificates import certificate_expiry

    assert certificate_expiry(date(2026, 3, 5), 3) == date(2029, 3, 5)
    assert certificate_expiry(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert certificate_expiry(date(2026, 3, 5), None) is None
    assert certificate_expiry(None, 3) is None


async def test_a_csv_training_export_with_hostile_titles_imports_back_unchanged(
    db: Database,
) -> None:
    from common.spreadsheet import csv_bytes

    await add_volunteer(db, "张伟", phone="+8613900000001")
    csv = (HEADER + '2026-03-05,SD,"=HYPERLINK(""x"")",绳索,4,张伟,\n').encode()
    assert (await import_training(db, csv, "t.csv", actor=None, team_scope=None)).ok
    headers, rows = await export_training(db, year=2026, tz=TZ)
    content = csv_bytes(headers, rows)
    assert "'=HYPERLINK" in content.decode("utf-8-sig")
    again = await import_training(db, content, "t.csv", actor=None, team_scope=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


async def test_a_training_title_longer_than_100_characters_is_reported_by_line(
    db: Database,
) -> None:
    await add_volunteer(db, "张伟")
    csv = (
        HEADER
        + "2026-03-05,SD,"
        + "长" * 101
        + ",绳索,4,张伟,\n"
        + "2026-03-06,SD,复训,绳索,１e3,张伟,\n"
    )
    report = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [
        (2, "training.title_too_long"),
        (3, "training.bad_hours"),
    ]
    assert report.errors[0].params == {"length": 101, "max": 100}


async def test_a_spreadsheets_computed_hours_import_as_they_are(db: Database) -> None:
    await add_volunteer(db, "张伟")
    content = table_to_xlsx(
        ["date", "team", "title", "kind", "hours", "name"],
        [[datetime(2026, 3, 5), "SD", "急救复训", "急救", 10 / 3, "张伟"]],
    )
    report = await import_training(db, content, "t.xlsx", actor=None, team_scope=None)
    assert report.ok, report.errors
    sessions = await TrainingRepository(db).sessions("SD", 2026)
    assert [s.hours for s in sessions] == [pytest.approx(10 / 3)]
