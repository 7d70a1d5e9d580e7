"""Fuzzing the four imports with generated files (hypothesis).

Whatever the file — CSV in any encoding with or without a BOM, any separator, huge
cells, control characters, formula-like text, XLSX with random cells, a lying sheet
dimension, or plain garbage — an import either answers with a report or refuses with
a DomainError (a message for the person), never another exception; and the database
is unchanged unless the import succeeded.
"""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.importers import IMPORTERS, importer
from common.errors import DomainError
from common.tabular import MAX_CELL_CHARS, MAX_COLUMNS, Column, read_rows
from roster.repository import RosterRepository
from storage.db import open_database
from tests.conftest import examples
from tests.factories import add_volunteer

KINDS = sorted(IMPORTERS)
TABLES = (
    "volunteers",
    "volunteer_skills",
    "insurance_policies",
    "training_sessions",
    "training_attendance",
    "fitness_tests",
)
HEADERS = [
    "team", "队伍", "name", "姓名", "phone", "手机", "role", "职务", "skills", "技能",
    "telegram_id", "insurer", "保险公司", "policy", "保单号", "insured_from", "保险起期",
    "insured_to", "保险止期", "coverage", "保额", "start", "end", "date", "日期", "title",
    "培训内容", "kind", "类别", "hours", "学时", "run1000", "pullups", "longjump", "hike5k20",
    "1000米跑", "", "\ufeffteam", "Name ", "x" * 300,
]  # fmt: skip
SAMPLES = [
    "",
    "SD",
    "HR",
    "XX",
    "张伟",
    "李娜",
    "13900000001",
    "+86 139 0000 0002",
    "138 0013 8001",
    "2026-03-05",
    "2026/3/5",
    "2026年3月5日",
    "2026-02-30",
    "9999-12-31",
    "10000-01-01",
    "0",
    "-1",
    "4",
    "240.5",
    "1e400",
    "nan",
    "50万",
    "4:12",
    "55:00",
    "2.10",
    "队长",
    "member",
    "急救、绳索",
    "=1+2",
    "'=HYPERLINK(1)",
    "@SUM(A1)",
    "+1",
    "是",
    "²",
    "9" * 30,
]
CELLS = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40),
    st.integers(min_value=0, max_value=5).map(lambda n: "伟" * (500 * n)),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "latin-1", "cp1252"]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database for every example: a valid import changes it, and that is the new state."""
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"

    async def prepare() -> None:
        db = await open_database(path)
        await RosterRepository(db).seed_reference_data()
        await add_volunteer(db, "张伟", phone="+8613900000001")
        await add_volunteer(db, "李娜", team="HR", phone="+8613900000002")
        await db.close()

    asyncio.run(prepare())
    return path


async def _snapshot(db: Any) -> list[list[tuple[Any, ...]]]:
    return [
        [tuple(r) for r in await db.fetchall(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in TABLES
    ]


def _import(path: Path, kind: str, content: bytes, filename: str, scope: str | None) -> None:
    async def run() -> None:
        db = await open_database(path)
        try:
            before = await _snapshot(db)
            try:
                report = await importer(kind)(db, content, filename, actor=None, team_scope=scope)
            except DomainError:
                ok = False
            else:
                ok = report.ok
                for error in report.errors:
                    assert isinstance(error.key, str) and error.line >= 1
            if not ok:
                assert await _snapshot(db) == before
        finally:
            await db.close()

    asyncio.run(run())


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))  # plain garbage
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10))
    rows = draw(st.lists(st.lists(CELLS, max_size=12), max_size=8))
    separator = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        if quote:
            return separator.join('"' + c.replace('"', '""') + '"' for c in cells)
        return separator.join(cells)

    text = newline.join(line(r) for r in [headers, *rows]) + newline
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    return data


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    sheet.append(headers)
    for row in draw(st.lists(st.lists(CELLS, max_size=8), max_size=6)):
        # openpyxl refuses control characters in cells; a real file could not hold them.
        sheet.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", c) for c in row])
    if draw(st.booleans()):
        far_row, far_column = draw(st.integers(1, 1_048_576)), draw(st.integers(1, 16_384))
        sheet.cell(row=far_row, column=far_column, value=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    mutation = draw(st.integers(0, 3))
    if mutation == 1:  # a lying or missing <dimension>
        ref = draw(st.sampled_from(["", "A1:XFD1048576", "A1:B2", "ZZZ", "A1:A0"]))
        content = _rewrite_dimension(content, ref)
    elif mutation == 2:  # truncated, at a fraction drawn independently of the file's
        # length: a saved workbook carries the time, so its length can differ between runs
        # and hypothesis wants the same draws when it replays an example.
        content = content[: len(content) * draw(st.integers(0, 10_000)) // 10_000]
    return content


def _rewrite_dimension(content: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                replacement = f'<dimension ref="{ref}"/>'.encode() if ref else b""
                data = re.sub(rb"<dimension [^>]*/>", replacement, data)
            target.writestr(info.filename, data)
    return out.getvalue()


# Each example of an import opens the database and compares every table before and after
# (~40 ms); the readers alone take ~1 ms, so they get thousands below.
FUZZ = settings(max_examples=examples(150))


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    content=csv_files(),
    scope=st.sampled_from([None, "SD"]),
)
def test_any_csv_file_is_imported_or_refused_with_a_message_and_never_half_written(
    database: Path, kind: str, content: bytes, scope: str | None
) -> None:
    _import(database, kind, content, "fuzz.csv", scope)


@settings(FUZZ, max_examples=examples(60))
@given(
    kind=st.sampled_from(KINDS),
    content=xlsx_files(),
    scope=st.sampled_from([None, "SD"]),
)
def test_any_xlsx_file_is_imported_or_refused_with_a_message_and_never_half_written(
    database: Path, kind: str, content: bytes, scope: str | None
) -> None:
    _import(database, kind, content, "fuzz.xlsx", scope)


@FUZZ
@given(content=st.binary(max_size=500), name=st.sampled_from(["a.xlsx", "a.xlsm", "a.txt", "a"]))
def test_garbage_under_any_name_is_refused_with_a_message(
    database: Path, content: bytes, name: str
) -> None:
    _import(database, "roster", content, name, None)


# --- the readers alone, at scale -----------------------------------------------------------

COLUMNS = [
    Column("team", ("team", "队伍")),
    Column("name", ("name", "姓名")),
    Column("phone", ("phone", "手机"), required=False),
]


@st.composite
def hostile_csv_files(draw: st.DrawFn) -> bytes:
    """Shapes at the readers' limits: rows a column too wide, cells a character too long."""
    width = draw(st.sampled_from([2, MAX_COLUMNS - 1, MAX_COLUMNS, MAX_COLUMNS + 1, 500]))
    length = draw(st.sampled_from([1, MAX_CELL_CHARS, MAX_CELL_CHARS + 1, 100_000]))
    cell = draw(st.sampled_from(["伟", "x", '"', "\x00", "\r"])) * length
    rows = [["team", "name", *[""] * (width - 2)]]
    rows += [["SD", cell, *["1"] * (width - 2)] for _ in range(draw(st.integers(0, 3)))]
    trailing = "," * draw(st.sampled_from([0, 1, MAX_COLUMNS + 5]))
    text = "\n".join(",".join(row) + trailing for row in rows)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), "replace")


def _read(content: bytes, filename: str) -> None:
    try:
        rows = read_rows(content, filename, COLUMNS)
    except DomainError as refused:
        assert isinstance(refused.key, str)
        return
    assert rows and all(row.line >= 2 for row in rows)
    for row in rows:
        assert set(row.values) <= {column.name for column in COLUMNS}
        cells = [v for v in row.values.values() if isinstance(v, str)]
        assert all(len(cell) <= MAX_CELL_CHARS for cell in cells)


@settings(FUZZ, max_examples=examples(1000))
@given(content=st.one_of(csv_files(), hostile_csv_files()))
def test_any_csv_file_is_read_into_bounded_rows_or_refused_with_a_message(content: bytes) -> None:
    _read(content, "fuzz.csv")


@settings(FUZZ, max_examples=examples(150))  # writing each generated workbook: ~20 ms
@given(content=xlsx_files())
def test_any_xlsx_file_is_read_into_bounded_rows_or_refused_with_a_message(
    content: bytes,
) -> None:
    _read(content, "fuzz.xlsx")
