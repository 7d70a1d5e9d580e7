"""Import files from strangers: bounded before parsing, diagnosed clearly, every error per line."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli import main
from common import tabular
from common.errors import DomainError
from common.tabular import Column, read_rows
from insurance.importer import import_insurance
from storage.db import Database
from tests.factories import add_volunteer
from training.fitness_import import import_fitness
from training.importer import import_training

COLUMNS = [Column("name", ("姓名",)), Column("phone", ("手机",), required=False)]


def _far_cell_xlsx(*, keep_dimension: bool = True) -> bytes:
    """A few KB: a header and one cell at XFD1048576, the last cell a sheet can have."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "姓名"
    sheet["A2"] = "张伟"
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if keep_dimension:
        return buffer.getvalue()
    # The same file with its <dimension> element removed: nothing declares the size.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(info.filename, data)
    return out.getvalue()


def _refusal(content: bytes, name: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_rows(content, name, COLUMNS)
    return caught.value


def _peak_megabytes(content: bytes, name: str) -> tuple[DomainError, float]:
    tracemalloc.start()
    try:
        error = _refusal(content, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return error, peak / 1e6


def test_a_small_xlsx_declaring_a_cell_at_xfd1048576_is_refused_from_its_header() -> None:
    content = _far_cell_xlsx()
    assert len(content) < 10_000
    error, peak = _peak_megabytes(content, "roster.xlsx")
    assert error.key == "files.sheet_too_large"
    assert error.params["range"] == "A1:XFD1048576"
    assert peak < 50  # megabytes; the unbounded reader needed gigabytes


def test_the_same_xlsx_without_a_declared_size_stops_reading_at_the_row_limit() -> None:
    error, peak = _peak_megabytes(_far_cell_xlsx(keep_dimension=False), "roster.xlsx")
    assert error.key == "files.too_many_rows"
    assert peak < 50


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 1_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a>" + b" " * 2_000_000 + b"</a>")
    assert _refusal(buffer.getvalue(), "bomb.xlsx").key == "files.unpacked_too_big"


def test_a_csv_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 1000)
    content = ("姓名\n" + "张伟\n" * 1001).encode()
    assert _refusal(content, "a.csv").key == "files.too_many_rows"
    assert len(read_rows(("姓名\n" + "张伟\n" * 1000).encode(), "a.csv", COLUMNS)) == 1000


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    assert _refusal(b"x" * 101, "a.csv").key == "files.too_big"


def test_too_many_columns_and_a_huge_cell_are_refused_with_their_line() -> None:
    wide = ("姓名," + ",".join(f"c{i}" for i in range(200)) + "\n").encode()
    error = _refusal(wide, "a.csv")
    assert (error.key, error.params["line"]) == ("files.too_many_columns", 1)
    huge = ("姓名\n张伟\n" + "伟" * 5000 + "\n").encode()
    error = _refusal(huge, "a.csv")
    where = (error.key, error.params["line"], error.params["column"])
    assert where == ("files.cell_too_long", 3, 1)
    beyond_csv = ("姓名\n" + "x" * 200_000 + "\n").encode()
    assert _refusal(beyond_csv, "a.csv").key in ("files.csv_broken", "files.cell_too_long")


def test_trailing_empty_cells_from_excel_do_not_count_as_columns() -> None:
    content = ("姓名" + "," * 500 + "\n张伟" + "," * 500 + "\n").encode()
    assert [r.text("name") for r in read_rows(content, "a.csv", COLUMNS)] == ["张伟"]


def test_a_header_only_file_says_there_was_nothing_to_import() -> None:
    error = _refusal("\ufeff姓名,手机\n\n".encode(), "a.csv")
    assert (error.key, error.params["line"]) == ("files.no_rows", 1)


def test_a_semicolon_separated_csv_is_diagnosed_as_such() -> None:
    error = _refusal("姓名;手机\n张伟;13900000001\n".encode(), "a.csv")
    assert error.key == "files.separator_semicolon"
    assert _refusal("姓名\t手机\n".encode(), "a.csv").key == "files.separator_tab"


def test_a_control_character_in_a_cell_is_refused_with_its_line_and_column() -> None:
    error = _refusal("姓名\n张\x00伟\n".encode(), "a.csv")
    assert (error.key, error.params["line"], error.params["column"]) == (
        "files.control_character",
        2,
        "姓名",
    )


def test_a_cell_the_exporter_protected_with_a_quote_reads_back_as_it_was() -> None:
    content = "姓名\n'=1+2\n'@SUM(A1)\n'+86 852 1234\nO'Brien\n".encode()
    names = [r.text("name") for r in read_rows(content, "a.csv", COLUMNS)]
    assert names == ["=1+2", "@SUM(A1)", "+86 852 1234", "O'Brien"]


async def test_an_insurance_line_with_several_mistakes_lists_them_all(db: Database) -> None:
    await add_volunteer(db, "张伟", phone="+8613900000001")
    csv = "手机,保额,保险起期,保险止期\n13700000000,lots,2026-13-01,someday\n"
    report = await import_insurance(db, csv.encode(), "a.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [
        (2, "records.unknown_phone"),
        (2, "records.bad_coverage"),
        (2, "error.bad_date"),
        (2, "error.bad_date"),
    ]


async def test_a_training_line_with_several_mistakes_lists_them_all(db: Database) -> None:
    await add_volunteer(db, "张伟")
    csv = "日期,队伍,培训内容,类别,学时,姓名\n2026-02-30,XX,,跳伞,0,张伟\n"
    report = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)
    assert [e.key for e in report.errors] == [
        "error.bad_date",
        "error.unknown_team",
        "training.no_title",
        "training.unknown_kind",
        "training.bad_hours",
    ]
    assert {e.line for e in report.errors} == {2}


async def test_a_fitness_line_with_several_mistakes_lists_them_all(db: Database) -> None:
    csv = "date,phone,run1000,pullups\nyesterday,13700000000,fast,many\n"
    report = await import_fitness(db, csv.encode(), "f.csv", actor=None, team_scope=None)
    assert report.errors[0].key == "records.unknown_phone"
    assert len(report.errors) == 4 and {e.line for e in report.errors} == {2}


def test_the_command_line_says_a_directory_is_a_directory(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    capsys.readouterr()
    assert main(["import", "roster", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "is a folder" in captured.err and captured.out == ""


def test_the_command_line_reports_bad_rows_and_file_errors_on_stderr_and_results_on_stdout(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text("team,name,phone\nSD,张伟,12\n", encoding="utf-8")
    assert main(["import", "roster", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "line 2" in captured.err and captured.out == ""
    empty = tmp_path / "empty.csv"
    empty.write_text("team,name,phone\n", encoding="utf-8")
    assert main(["import", "roster", str(empty)]) == 1
    captured = capsys.readouterr()
    assert "nothing was imported" in captured.err and captured.out == ""
    good = tmp_path / "good.csv"
    good.write_text("team,name,phone\nSD,张伟,13900000001\n", encoding="utf-8")
    assert main(["import", "roster", str(good)]) == 0
    captured = capsys.readouterr()
    assert "1 new" in captured.out and captured.err == ""


def test_an_export_onto_a_folder_says_it_cannot_write_there(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    capsys.readouterr()
    folder = tmp_path / "out.csv"
    folder.mkdir()
    assert main(["export", "roster", "--out", str(folder)]) == 1
    assert "Cannot write" in capsys.readouterr().err


def test_a_chat_reply_lists_the_first_errors_and_counts_the_rest() -> None:
    from bot.cli import render_report
    from common.tabular import ImportReport, RowError

    report = ImportReport(
        "roster", errors=[RowError(n, "roster_import.missing_name") for n in range(2, 1002)]
    )
    text = render_report(report, "en", limit=50)
    assert text.count("\n") == 51 and "950 more errors" in text
    assert render_report(report, "en").count("\n") == 1000


async def test_a_roster_change_between_check_and_write_is_checked_again(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from roster import importer as roster_importer

    original = roster_importer._check
    calls: list[int] = []

    def check_while_the_person_joins_hr(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        if not calls:
            # Meanwhile (outside the import's lock) the same phone joins team HR.
            with sqlite3.connect(tmp_path / "test.db") as other:
                other.execute(
                    "INSERT INTO volunteers (team_code, name, phone, role, active, created_at, "
                    "updated_at) VALUES ('HR', '张伟', '+8613900000009', 'member', 1, '', '')"
                )
        calls.append(1)
        return result

    monkeypatch.setattr(roster_importer, "_check", check_while_the_person_joins_hr)
    content = "team,name,phone\nSD,张伟,13900000009\n".encode()
    report = await roster_importer.import_roster(db, content, "r.csv", actor=None, team_scope="SD")
    assert len(calls) == 2
    assert [e.key for e in report.errors] == ["roster_import.other_team_person"]
    rows = await db.fetchall("SELECT team_code FROM volunteers WHERE phone = '+8613900000009'")
    assert [r[0] for r in rows] == ["HR"]
