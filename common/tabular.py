"""Reading CSV and XLSX files into rows with line numbers, for all-or-nothing imports.

Importers declare their columns (canonical name → accepted headers in English
and Chinese); this module finds them, keeps each row's spreadsheet line number
and leaves the meaning of the values to the importer.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.errors import DomainError


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


def _norm(header: object) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def read_rows(content: bytes, filename: str, columns: list[Column]) -> list[Row]:
    """Rows of a CSV or XLSX file keyed by canonical column names.

    Raises DomainError for an unreadable file, an unknown format or a missing
    required column (naming the headers that would be right).
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        table = _read_csv(content)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(content)
    else:
        raise DomainError("error.file_format", name=filename)
    # Skip leading blank lines so a title-less sheet with an empty first row still works.
    start = 0
    while start < len(table) and not any(str(c or "").strip() for c in table[start]):
        start += 1
    if start == len(table):
        raise DomainError("error.file_empty", name=filename)
    header_line = start + 1
    headers = [_norm(h) for h in table[start]]
    index: dict[str, int] = {}
    for column in columns:
        accepted = {_norm(h) for h in (column.name, *column.headers)}
        for position, header in enumerate(headers):
            if header in accepted:
                index[column.name] = position
                break
        else:
            if column.required:
                raise DomainError(
                    "error.missing_column",
                    column=" / ".join((column.name, *column.headers[:2])),
                    line=header_line,
                )
    rows: list[Row] = []
    for offset, cells in enumerate(table[start + 1 :], start=header_line + 1):
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        values = {name: (cells[pos] if pos < len(cells) else None) for name, pos in index.items()}
        rows.append(Row(offset, values))
    return rows


def _read_csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError("error.file_encoding") from exc
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DomainError("error.file_unreadable") from exc
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def write_table(path: Path, headers: list[str], rows: list[list[Any]]) -> None:
    """CSV (with BOM, so Excel opens Chinese text right) or XLSX by the suffix."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        path.write_bytes(table_to_xlsx(headers, rows))
    else:
        raise DomainError("error.export_format", name=path.name)


def table_to_xlsx(headers: list[str], rows: list[list[Any]], title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
