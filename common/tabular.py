"""Reading CSV and XLSX files into rows with line numbers, for all-or-nothing imports.

Importers declare their columns (canonical name → accepted headers in English
and Chinese); this module finds them, keeps each row's spreadsheet line number
and leaves the meaning of the values to the importer.

Files come from strangers (a chat upload), so everything is bounded *before*
it is held in memory: the bytes, the unpacked size of an XLSX, the declared
and the actual rows and columns, and each cell. A 5 KB XLSX claiming a cell
at XFD1048576 is refused from its header in milliseconds instead of being
expanded into a billion empty cells. `read_rows_in_thread` parses off the
event loop so a big file never holds up button taps.
"""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from common.errors import DomainError
from common.spreadsheet import table_to_xlsx as table_to_xlsx  # re-exported for callers
from common.spreadsheet import write_table as write_table

# Generous for any real team or bureau file (a province's roster is ~30,000 people; a
# year of training attendance at city scale ~50,000 rows) and small enough to parse in
# seconds in a worker thread.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 2_000
# An XLSX is a zip: what counts for memory is what it unpacks to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Control characters other than tab and line breaks are never typed by people; NUL
# in particular would end names early in some tools.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}
# A CSV cell the exporter protected against formula injection ('=1+2) reads back as
# the text it was.
_PROTECTED = ("'=", "'+", "'-", "'@", "'\t", "'\r")

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]  # accepted header texts, compared case-insensitively
    required: bool = True


@dataclass
class RowError:
    line: int
    key: str  # catalogue key
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Row:
    line: int
    values: dict[str, Any]

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


class RowChecker:
    """Collects every error of one row, so a line lists all its problems at once.

    `check(fn, *args)` returns fn's value, or None after recording its DomainError.
    """

    def __init__(self, line: int) -> None:
        self.line = line
        self.errors: list[RowError] = []

    def check(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return fn(*args, **kwargs)
        except DomainError as error:
            self.errors.append(RowError(self.line, error.key, error.params))
            return None

    def error(self, key: str, **params: Any) -> None:
        self.errors.append(RowError(self.line, key, params))


def _norm(header: object) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


async def read_rows_in_thread(content: bytes, filename: str, columns: list[Column]) -> list[Row]:
    """`read_rows` in a worker thread: parsing a big file must not stall the event loop."""
    return await asyncio.to_thread(read_rows, content, filename, columns)


def read_rows(content: bytes, filename: str, columns: list[Column]) -> list[Row]:
    """Rows of a CSV or XLSX file keyed by canonical column names.

    Raises DomainError for a file too big, unreadable, in an unknown format, with
    a missing required column (naming the headers that would be right) or with
    no rows under its header.
    """
    table = _read_table(content, filename)
    start = _header_position(table, filename)
    header_line = start + 1
    headers = [_norm(h) for h in table[start]]
    index = _column_positions(headers, columns, table[start], header_line)
    rows: list[Row] = []
    for offset, cells in enumerate(table[start + 1 :], start=header_line + 1):
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        values = {
            name: _cell(cells[pos] if pos < len(cells) else None, offset, headers[pos])
            for name, pos in index.items()
        }
        rows.append(Row(offset, values))
    if not rows:
        raise DomainError("files.no_rows", name=filename, line=header_line)
    return rows


def _read_table(content: bytes, filename: str) -> list[list[Any]]:
    """Every cell of the file, bounded, after checking its size and its format."""
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(
            "files.too_big",
            name=filename,
            size=_megabytes(len(content)),
            limit=_megabytes(MAX_FILE_BYTES),
        )
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _bounded(_read_csv(content))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(content)
    raise DomainError("error.file_format", name=filename)


def _header_position(table: list[list[Any]], filename: str) -> int:
    """The header's index: leading blank lines are skipped, so a title-less sheet with an
    empty first row still works."""
    start = 0
    while start < len(table) and not any(str(c or "").strip() for c in table[start]):
        start += 1
    if start == len(table):
        raise DomainError("error.file_empty", name=filename)
    return start


def _column_positions(
    headers: list[str], columns: list[Column], raw_header: list[Any], header_line: int
) -> dict[str, int]:
    """Each column's position under the (normalised) headers; a required column missing
    is an error naming the headers that would be right."""
    index: dict[str, int] = {}
    for column in columns:
        accepted = {_norm(h) for h in (column.name, *column.headers)}
        position = next((i for i, header in enumerate(headers) if header in accepted), None)
        if position is not None:
            index[column.name] = position
        elif column.required:
            _diagnose_separator(raw_header, header_line)
            raise DomainError(
                "error.missing_column",
                column=" / ".join((column.name, *column.headers[:2])),
                line=header_line,
            )
    return index


def _cell(value: Any, line: int, header: str) -> Any:
    if not isinstance(value, str):
        return value
    if any(ch in _CONTROL for ch in value):
        raise DomainError("files.control_character", line=line, column=header)
    if value.startswith(_PROTECTED):
        return value[1:]
    return value


def _diagnose_separator(header: list[Any], line: int) -> None:
    """A header read as one cell holding `;` or tabs: say which separator was used."""
    cells = [str(c) for c in header if c is not None and str(c).strip()]
    if len(cells) != 1:
        return
    for separator, name in ((";", "semicolon"), ("\t", "tab")):
        if separator in cells[0]:
            raise DomainError(f"files.separator_{name}", line=line)


def _bounded(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """At most MAX_ROWS rows under a header, each at most MAX_COLUMNS wide and every cell
    at most MAX_CELL_CHARS; stops reading at the first row over a limit."""
    table: list[list[Any]] = []
    for line, cells in enumerate(rows, start=1):
        if len(table) > MAX_ROWS:  # the header and MAX_ROWS rows are in; this one is not
            raise DomainError("files.too_many_rows", limit=f"{MAX_ROWS:,}")
        width = len(cells)
        while width and (cells[width - 1] is None or cells[width - 1] == ""):
            width -= 1  # trailing empty cells (",,,," from Excel) do not count
        if width > MAX_COLUMNS:
            raise DomainError("files.too_many_columns", line=line, limit=MAX_COLUMNS)
        for position, value in enumerate(cells[:width]):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise DomainError(
                    "files.cell_too_long",
                    line=line,
                    column=position + 1,
                    length=f"{len(value):,}",
                    limit=f"{MAX_CELL_CHARS:,}",
                )
        table.append(list(cells[:width]))
    return table


def _read_csv(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError("error.file_encoding") from exc
    # The csv module's own cell limit (128 KiB) is far above ours; its error is translated.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise DomainError("files.csv_broken", line=reader.line_num, detail=str(exc)) from exc


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DomainError("error.file_unreadable") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            "files.unpacked_too_big",
            size=_megabytes(unpacked),
            limit=_megabytes(MAX_UNPACKED_BYTES),
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DomainError("error.file_unreadable") from exc
    try:
        if not workbook.worksheets:
            raise DomainError("error.file_unreadable")
        sheet = workbook.worksheets[0]
        # The sheet's declared used range (<dimension ref="A1:XFD1048576">) is read from
        # its first bytes: refuse an impossible one before touching a single cell.
        max_row, max_column = sheet.max_row, sheet.max_column
        if (max_row or 0) > MAX_ROWS + 1 or (max_column or 0) > MAX_COLUMNS:
            raise DomainError(
                "files.sheet_too_large",
                range=_range(max_row or 1, max_column or 1),
                rows=f"{MAX_ROWS:,}",
                columns=MAX_COLUMNS,
            )
        # A missing or lying dimension is still bounded: read no further than the limits.
        return _bounded(
            sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        )
    except DomainError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is streamed
        raise DomainError("error.file_unreadable") from exc
    finally:
        workbook.close()


def _range(rows: int, columns: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"A1:{get_column_letter(min(columns, 18278))}{rows}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")
