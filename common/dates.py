"""Dates as people type them in spreadsheets and chat."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from common.errors import DomainError

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


@lru_cache(maxsize=8192)
def _stored_date(text: str) -> date | None:
    """YYYY-MM-DD as stored; cached, since ten years of rows share a few thousand days."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_date(value: object) -> date:
    """Accept a date, a datetime, an Excel serial day, or text such as
    `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`, `20260305`.

    Raises DomainError('error.bad_date') naming the value and the right form.
    """
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        stored = _stored_date(value)  # the stored form: the fast path for reports
        if stored is not None:
            return stored
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's valid serial range (to 9999-12-31)
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise DomainError("error.bad_date", value=str(value))
    text = str(value).strip()
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d\d-\d\d[ T]", text) else text
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise DomainError("error.bad_date", value=text)


def parse_optional_date(value: object) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 Feb becomes 28 Feb in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
