"""Exports: no live formulas, phones as text in one format, real dates, styled sheets,
per-policy status, and every file still imports back to the same records."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from common.spreadsheet import csv_cell
from insurance.importer import import_insurance
from roster.importer import import_roster
from roster.repository import RosterRepository
from storage.db import Database, open_database
from tests.factories import add_volunteer
from training.importer import import_training

HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "=1+2",
    "@SUM(A1:A9)",
    "-2+3",
    "+1 555",
]
TODAY = date.today()


def _xml_of(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(n).decode()
            for n in archive.namelist()
            if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"
        )


async def _hostile_roster(path: Path) -> None:
    db = await open_database(path)
    try:
        await RosterRepository(db).seed_reference_data()
        for n, name in enumerate(HOSTILE):
            vid = await add_volunteer(
                db, name, phone=f"+861390000000{n}", insured_until=TODAY + timedelta(days=200)
            )
            await db.execute(
                "UPDATE insurance_policies SET insurer = ? WHERE volunteer_id = ?", (name, vid)
            )
        await add_volunteer(db, "香港队员", phone="+85291234567")
    finally:
        await db.close()


def test_formula_like_text_is_prefixed_in_csv_as_owasp_advises() -> None:
    assert [csv_cell(v) for v in ("=1+2", "+1", "-1", "@A", "\tx", "\rx")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@A",
        "'\tx",
        "'\rx",
    ]
    assert [csv_cell(v) for v in (-1, 500000.0, 2.5, date(2026, 3, 5), None, "张伟")] == [
        -1,
        500000,
        2.5,
        "2026-03-05",
        "",
        "张伟",
    ]


@pytest.mark.parametrize("kind", ["roster", "insurance"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_hostile_names_and_insurers_are_exported_as_text_and_import_back_unchanged(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, suffix: str
) -> None:
    main(["init"])
    import asyncio

    asyncio.run(_hostile_roster(cli_db))
    out = tmp_path / f"{kind}{suffix}"
    assert main(["export", kind, "--out", str(out)]) == 0
    if suffix == ".xlsx":
        xml = _xml_of(out)
        assert "<f>" not in xml and "<f " not in xml  # not one formula in the file
        sheet = load_workbook(out).active
        assert sheet is not None
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(name in texts for name in HOSTILE)
    else:
        text = out.read_text(encoding="utf-8-sig")
        assert "'=1+2" in text and "'@SUM(A1:A9)" in text and "'-2+3" in text
        assert "\n=" not in text and ",=" not in text and ",@" not in text
    capsys.readouterr()
    # Back in: nothing changes, and each hostile name is still itself.
    assert main(["import", kind, str(out)]) == 0
    assert "0 new, 0 updated" in capsys.readouterr().out


async def test_phones_are_text_in_one_format_in_every_export(db: Database, tmp_path: Path) -> None:
    from common.tabular import write_table
    from insurance.exporter import export_insurance
    from roster.exporter import export_roster
    from training.exporter import export_training

    await add_volunteer(db, "张伟", phone="+8613900000001")
    await add_volunteer(db, "陈港", phone="+85291234567")
    csv = (
        "日期,队伍,培训内容,学时,手机\n"
        "2026-03-05,SD,复训,4,13900000001\n"
        "2026-03-05,SD,复训,4,+852 9123 4567\n"
    )
    assert (await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)).ok
    tz = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    tables = {
        "roster": await export_roster(db, year=None, tz=tz),
        "insurance": await export_insurance(db, year=None, tz=tz),
        "training": await export_training(db, year=2026, tz=tz),
    }
    for name, (headers, rows) in tables.items():
        phones = {r[headers.index("手机")] for r in rows}
        assert phones == {"139 0000 0001", "+852 9123 4567"}, name
        path = tmp_path / f"{name}.xlsx"
        write_table(path, headers, rows)
        sheet = load_workbook(path).active
        assert sheet is not None
        column = headers.index("手机") + 1
        cells = [sheet.cell(row=r, column=column) for r in range(2, len(rows) + 2)]
        assert all(c.data_type == "s" for c in cells), name


def test_cli_exports_are_styled_with_named_sheets_real_dates_and_whole_numbers(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init", "--demo"])
    year = str(TODAY.year)
    for kind in ("roster", "missions", "training", "insurance"):
        out = tmp_path / f"{kind}.xlsx"
        assert main(["export", kind, "--year", year, "--out", str(out)]) == 0
        workbook = load_workbook(out)
        sheet = workbook.active
        assert sheet is not None and not sheet.title.startswith("Sheet"), kind
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        assert all(c.font.bold for c in sheet[1]), kind
        dated = [
            c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)
        ]
        if kind != "roster":
            assert dated and all(c.is_date for c in dated), kind
        floats = [
            c.value
            for row in sheet.iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, float) and c.value.is_integer()
        ]
        assert floats == [], kind
    text = tmp_path / "insurance.csv"
    assert main(["export", "insurance", "--out", str(text)]) == 0
    assert ".0," not in text.read_text(encoding="utf-8-sig")


async def test_the_insurance_status_column_is_each_policys_own(db: Database) -> None:
    from insurance.exporter import export_insurance

    vid = await add_volunteer(
        db,
        "张伟",
        insured_from=TODAY - timedelta(days=400),
        insured_until=TODAY - timedelta(days=35),
    )
    await db.execute(
        "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, start_date, "
        "end_date) VALUES (?,?,?,?,?,?)",
        (
            vid,
            "人保",
            "NEW",
            1,
            (TODAY - timedelta(days=34)).isoformat(),
            (TODAY + timedelta(days=300)).isoformat(),
        ),
    )
    await db.execute(
        "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, start_date, "
        "end_date) VALUES (?,?,?,?,?,?)",
        (
            vid,
            "人保",
            "NEXT",
            1,
            (TODAY + timedelta(days=301)).isoformat(),
            (TODAY + timedelta(days=600)).isoformat(),
        ),
    )
    headers, rows = await export_insurance(
        db, year=None, tz=__import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    )
    states = {r[headers.index("保单号")]: r[headers.index("状态")] for r in rows}
    assert states == {f"P-{vid}": "已过期", "NEW": "有效", "NEXT": "未生效"}
    assert (
        await import_insurance(
            db,
            b"\xef\xbb\xbf"
            + ",".join(headers).encode()
            + b"\n"
            + ",".join(str(c) for c in rows[0]).encode()
            + b"\n",
            "x.csv",
            actor=None,
            team_scope=None,
        )
    ).ok


async def test_a_roster_export_imports_into_a_fresh_database(tmp_path: Path) -> None:
    await _hostile_roster(tmp_path / "a.db")
    source = await open_database(tmp_path / "a.db")
    from common.tabular import write_table
    from roster.exporter import export_roster

    headers, rows = await export_roster(source, year=None, tz=None)
    await source.close()
    path = tmp_path / "r.csv"
    write_table(path, headers, rows)
    target = await open_database(tmp_path / "b.db")
    try:
        from roster.repository import RosterRepository

        await RosterRepository(target).seed_reference_data()
        report = await import_roster(
            target, path.read_bytes(), "r.csv", actor=None, team_scope=None
        )
        assert report.ok and report.created == len(HOSTILE) + 1
        names = {r[0] for r in await target.fetchall("SELECT name FROM volunteers")}
        assert set(HOSTILE) <= names
        raw = io.StringIO(path.read_text(encoding="utf-8-sig")).read()
        assert "'+852" in raw
    finally:
        await target.close()


def test_pass_rates_are_percentages_in_csv_and_percent_cells_in_xlsx(tmp_path: Path) -> None:
    from common.spreadsheet import Percent, write_table

    assert csv_cell(Percent(0.824)) == "82%"
    path = tmp_path / "t.xlsx"
    write_table(path, ["合格率"], [[Percent(0.824)]])
    sheet = load_workbook(path).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=1)
    assert cell.value == 0.824 and cell.number_format == "0%"
