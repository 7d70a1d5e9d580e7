"""Importing fitness results: item columns by code or Chinese label, merged per day."""

from __future__ import annotations

from datetime import date, time

from common.tabular import table_to_xlsx
from storage.db import Database
from tests.factories import add_volunteer
from training.fitness_import import import_fitness
from training.repository import FitnessRepository

HEADER = "日期,手机,姓名,队伍,1000米跑,引体向上,立定跳远,5公里负重20公斤徒步\n"


async def test_a_csv_with_chinese_item_headers_records_pass_and_fail(db: Database) -> None:
    fit = await add_volunteer(db, "张伟", phone="+8613900000001")
    slow = await add_volunteer(db, "李娜")
    csv = (
        "\ufeff"
        + HEADER
        + "2026-03-05,13900000001,,,4:12,5,2.10,55:00\n"
        + "2026/3/5,,李娜,SD,4'40\",3,2.05,58:00\n"
    )
    report = await import_fitness(db, csv.encode(), "体测.csv", actor=None, team_scope=None)
    assert report.ok, report.errors
    repo = FitnessRepository(db)
    assert await repo.last_pass(fit) == date(2026, 3, 5)
    assert await repo.last_pass(slow) is None
    assert await repo.latest(slow) == (date(2026, 3, 5), False)


async def test_a_second_sheet_adds_the_missing_item_to_the_same_days_test(db: Database) -> None:
    fit = await add_volunteer(db, "张伟", phone="+8613900000001")
    first = "date,phone,run1000,pullups,longjump\n2026-03-05,13900000001,252,5,2.1\n"
    later = "date,phone,hike5k20\n2026-03-05,13900000001,3300\n"
    await import_fitness(db, first.encode(), "a.csv", actor=None, team_scope=None)
    assert await FitnessRepository(db).last_pass(fit) is None
    report = await import_fitness(db, later.encode(), "b.csv", actor=None, team_scope=None)
    assert report.updated == 1
    assert await FitnessRepository(db).last_pass(fit) == date(2026, 3, 5)


async def test_an_xlsx_with_excel_times_imports(db: Database) -> None:
    fit = await add_volunteer(db, "张伟", phone="+8613900000001")
    content = table_to_xlsx(
        ["日期", "手机", "run1000", "pullups", "longjump", "hike5k20"],
        [["2026-03-05", "13900000001", time(4, 12), 5, 2.1, "55:00"]],
    )
    report = await import_fitness(db, content, "a.xlsx", actor=None, team_scope=None)
    assert report.ok, report.errors
    assert await FitnessRepository(db).last_pass(fit) == date(2026, 3, 5)


async def test_bad_fitness_rows_are_reported_by_line(db: Database) -> None:
    await add_volunteer(db, "张伟", phone="+8613900000001")
    csv = (
        "date,phone,run1000,pullups\n"
        "2026-03-05,13900000001,fast,5\n"
        "2026-03-05,13900000001,,\n"
        "yesterday,13900000001,4:00,5\n"
    )
    report = await import_fitness(db, csv.encode(), "a.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [
        (2, "fitness.bad_value"),
        (3, "fitness.no_values"),
        (4, "error.bad_date"),
    ]
    assert await db.fetchall("SELECT * FROM fitness_tests") == []
