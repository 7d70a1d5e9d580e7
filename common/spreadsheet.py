"""Writing tables to XLSX and CSV: the one place exports and report workbooks are styled.

Every file the bot writes goes through here, so all of them share:
- a bold, shaded, frozen header row with a filter, readable column widths and
  sheet names that say what they hold;
- real dates in XLSX (typed as dates, shown as YYYY-MM-DD) and YYYY-MM-DD in CSV;
- whole numbers written as integers (`500000`, not `500000.0`);
- no live formulas: text that a spreadsheet would run (`=HYPERLINK(…)`, `+1`,
  `-1+2`, `@SUM(…)`, a leading tab or carriage return) is stored as text in XLSX
  and prefixed with `'` in CSV, as OWASP's CSV-injection guidance says; the
  importers strip that one `'` again, so an export re-imports to the same value.

To export a new table: `write_table(path, headers, rows, title=...)`, or
`workbook_bytes([Sheet(title, headers, rows), ...])` for several sheets.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from common.errors import DomainError

# Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60
_HEADER_FILL = "DDEBF7"


class Percent(float):
    """A share (0.824) shown as a percentage: `82%` in CSV, a 0% number cell in XLSX."""


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: dates as YYYY-MM-DD, 5.0 as 5, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{round(100 * value)}%"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with BOM, so Excel opens Chinese text right."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_table(path: Path, headers: list[str], rows: list[list[Any]], title: str = "") -> None:
    """CSV or XLSX by the suffix; `title` names the XLSX sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        content = csv_bytes(headers, rows)
    elif suffix == ".xlsx":
        content = workbook_bytes([Sheet(title or path.stem, headers, rows)])
    else:
        raise DomainError("error.export_format", name=path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def table_to_xlsx(headers: list[str], rows: list[list[Any]], title: str = "Sheet") -> bytes:
    return workbook_bytes([Sheet(title, headers, rows)])


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """One workbook, a sheet per table (openpyxl's write-only mode: fast at any size)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    middle = Alignment(vertical="center")
    for sheet in sheets:
        ws = workbook.create_sheet(_sheet_title(sheet.title, used))
        width = max([len(sheet.headers)] + [len(r) for r in sheet.rows])
        widths = [_width(h) for h in sheet.headers] + [0] * (width - len(sheet.headers))
        kinds: list[type | None] = [None] * width
        for row in sheet.rows:
            for index, value in enumerate(row):
                widths[index] = max(widths[index], _width(value))
                if value is not None and kinds[index] is None:
                    kinds[index] = type(value)
        for index in range(width):
            letter = get_column_letter(index + 1)
            if kinds[index] is datetime:
                widths[index] = max(widths[index], 16)
            elif kinds[index] is date:
                widths[index] = max(widths[index], 10)
            ws.column_dimensions[letter].width = min(_MAX_WIDTH, widths[index] + 2)
        ws.freeze_panes = "A2"
        if sheet.headers:
            ws.auto_filter.ref = (
                f"A1:{get_column_letter(len(sheet.headers))}{max(1, len(sheet.rows) + 1)}"
            )
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=str(header))
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = bold, fill, middle
            header_cells.append(cell)
        ws.append(header_cells)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            # openpyxl would write "=…" as a formula: force a text cell.
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, Percent):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = "0%"
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _xlsx_value(value)


def _width(value: object) -> int:
    # CJK characters take about two columns in Excel.
    text = "" if value is None else str(csv_cell(value))
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    candidate, n = cleaned, 2
    while candidate in used:
        candidate = f"{cleaned[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate
