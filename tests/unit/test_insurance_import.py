"""Importing and exporting insurance files: Chinese headers, BOM, XLSX dates, bad rows."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from common.tabular import read_rows, table_to_xlsx
from insurance.exporter import export_insurance
from insurance.importer import COLUMNS, import_insurance
from insurance.repository import InsuranceRepository
from storage.db import Database
from tests.factories import add_volunteer

ZHANG, LI = "+8613900000001", "+8613900000002"
HEADER_ZH = "手机,姓名,队伍,保险公司,保单号,保额,保险起期,保险止期\n"


async def people(db: Database) -> tuple[int, int]:
    zhang = await add_volunteer(db, "张伟", team="SD", phone=ZHANG, insured_until=None)
    li = await add_volunteer(db, "李娜", team="HR", phone=LI, insured_until=None)
    return zhang, li


async def ends(db: Database, volunteer_id: int) -> list[tuple[str, date, date]]:
    policies = await InsuranceRepository(db).policies_of(volunteer_id)
    return [(p.policy_no, p.start, p.end) for p in policies]


async def test_a_csv_with_chinese_headers_and_a_bom_imports(db: Database) -> None:
    zhang, li = await people(db)
    csv = (
        "\ufeff"
        + HEADER_ZH
        + "139 0000 0001,张伟,SD,平安保险,PA-1,50万,2026-01-01,2026-12-31\n"
        + '+86 139-0000-0002,李娜,HR,人保,RB-9,"300,000",2026/3/5,2027年3月4日\n'
    )
    report = await import_insurance(db, csv.encode(), "团险.csv", actor=None, team_scope=None)
    assert report.ok and report.created == 2
    assert await ends(db, zhang) == [("PA-1", date(2026, 1, 1), date(2026, 12, 31))]
    assert await ends(db, li) == [("RB-9", date(2026, 3, 5), date(2027, 3, 4))]
    policy = (await InsuranceRepository(db).policies_of(zhang))[0]
    assert policy.coverage == 500000 and policy.insurer == "平安保险"


async def test_importing_the_same_file_twice_changes_nothing(db: Database) -> None:
    await people(db)
    csv = (HEADER_ZH + f"{ZHANG},,,平安,PA-1,500000,2026-01-01,2026-12-31\n").encode()
    await import_insurance(db, csv, "a.csv", actor=None, team_scope=None)
    again = await import_insurance(db, csv, "a.csv", actor=None, team_scope=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


async def test_a_corrected_end_date_updates_the_policy(db: Database) -> None:
    zhang, _ = await people(db)
    first = (HEADER_ZH + f"{ZHANG},,,平安,PA-1,500000,2026-01-01,2026-06-30\n").encode()
    fixed = (HEADER_ZH + f"{ZHANG},,,平安,PA-1,500000,2026-01-01,2026-12-31\n").encode()
    await import_insurance(db, first, "a.csv", actor=None, team_scope=None)
    report = await import_insurance(db, fixed, "a.csv", actor=None, team_scope=None)
    assert report.updated == 1
    assert await ends(db, zhang) == [("PA-1", date(2026, 1, 1), date(2026, 12, 31))]


async def test_an_xlsx_with_real_excel_dates_and_text_dates_imports(db: Database) -> None:
    zhang, li = await people(db)
    content = table_to_xlsx(
        ["name", "team", "insurer", "policy", "coverage", "start", "end"],
        [
            [
                "张伟",
                "山地公益救援中心",
                "平安",
                "PA-1",
                500000,
                datetime(2026, 3, 5),
                "2026-12-31",
            ],
            [
                "李娜",
                "HR",
                "人保",
                "RB-1",
                None,
                "2026年3月5日",
                46450,
            ],  # serial 46450 = 2027-03-04
        ],
    )
    report = await import_insurance(db, content, "policies.xlsx", actor=None, team_scope=None)
    assert report.ok, report.errors
    assert await ends(db, zhang) == [("PA-1", date(2026, 3, 5), date(2026, 12, 31))]
    assert await ends(db, li) == [("RB-1", date(2026, 3, 5), date(2027, 3, 4))]


async def test_bad_rows_are_all_reported_by_line_and_nothing_is_written(db: Database) -> None:
    zhang, _ = await people(db)
    csv = (
        HEADER_ZH
        + f"{ZHANG},,,平安,PA-1,500000,2026-01-01,2026-12-31\n"  # line 2: fine
        + "13700000000,,,平安,PA-2,500000,2026-01-01,2026-12-31\n"  # 3: not on the roster
        + f"{ZHANG},,,平安,PA-3,lots,2026-01-01,2026-12-31\n"  # 4: bad amount
        + f"{ZHANG},,,平安,PA-4,1,2026-13-01,2026-12-31\n"  # 5: bad date
        + f"{ZHANG},,,平安,PA-5,1,2026-12-31,2026-01-01\n"  # 6: ends before it starts
        + ",王五,SD,平安,PA-6,1,2026-01-01,2026-12-31\n"  # 7: unknown name
    )
    report = await import_insurance(db, csv.encode(), "bad.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [
        (3, "records.unknown_phone"),
        (4, "records.bad_coverage"),
        (5, "error.bad_date"),
        (6, "records.end_before_start"),
        (7, "records.unknown_name"),
    ]
    assert await ends(db, zhang) == []


async def test_a_leader_cannot_import_policies_of_another_team(db: Database) -> None:
    await people(db)
    csv = (HEADER_ZH + f"{LI},,,人保,RB-1,1,2026-01-01,2026-12-31\n").encode()
    report = await import_insurance(db, csv, "a.csv", actor=1, team_scope="SD")
    assert [e.key for e in report.errors] == ["records.other_team"]


async def test_the_export_reads_back_in_as_the_same_policies(db: Database) -> None:
    await people(db)
    csv = (HEADER_ZH + f"{ZHANG},,,平安,PA-1,500000,2026-01-01,2026-12-31\n").encode()
    await import_insurance(db, csv, "a.csv", actor=None, team_scope=None)
    headers, rows = await export_insurance(db, year=2026, tz=ZoneInfo("Asia/Shanghai"))
    assert rows[0][:8] == [
        "SD",
        "张伟",
        "139 0000 0001",
        "平安",
        "PA-1",
        500000,
        date(2026, 1, 1),
        date(2026, 12, 31),
    ]
    assert (await export_insurance(db, year=2025, tz=ZoneInfo("Asia/Shanghai")))[1] == []
    back = table_to_xlsx(headers, rows)
    parsed = read_rows(back, "x.xlsx", COLUMNS)
    assert parsed[0].text("policy") == "PA-1"
