"""Numbers typed by people or carried in button data.

`str.isdigit()` accepts '²' and other digits `int()` refuses, and `int()` accepts
numbers SQLite cannot store; every count, id and year read from input goes through here.
`float()` reads '١' (Arabic-Indic), '1e3', 'nan' and 'inf'; every typed amount of minutes
or hours goes through `decimal` / `hours` instead.
"""

from __future__ import annotations

import re

from common.errors import DomainError

INT64_MAX = 2**63 - 1  # the largest integer SQLite stores
# Chinese input methods in full-width mode type these; they read as their ASCII forms.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def plain_int(text: str | None, maximum: int = INT64_MAX) -> int | None:
    """The value of digits `text` (ASCII or full-width, as Chinese input methods type them)
    if it is at most `maximum`, else None."""
    text = (text or "").translate(_FULL_WIDTH_DIGITS)
    if not text or not text.isascii() or not text.isdigit():
        return None
    if len(text) > len(str(maximum)):  # no int() of a 100,000-digit string
        return None
    value = int(text)
    return value if value <= maximum else None


def count(text: str, maximum: int, key: str = "error.bad_number") -> int:
    """`plain_int`, or a refusal naming the value and the range."""
    value = plain_int(text, maximum)
    if value is None:
        raise DomainError(key, value=text, max=maximum)
    return value


# ... and, in amounts, the full-width point and comma.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_DECIMAL = re.compile(r"\d+(?:\.\d*)?|\.\d+", re.ASCII)
_DECIMAL_CHARS = 32  # a spreadsheet cell's float (`3.3333333333333335`) fits; no more is read
HOUR_SUFFIXES = ("小时", "hours", "hour", "hrs", "h")


def plain_decimal(text: str | None) -> float | None:
    """A plain decimal: ASCII or full-width digits, `.` or `,` as the point (`5`, `5.5`,
    `5,5`, `５．５`); None for anything else (a sign, an exponent, `nan`, other digits)."""
    raw = (text or "").strip().translate(_FULL_WIDTH).replace(",", ".")
    if len(raw) > _DECIMAL_CHARS or not _DECIMAL.fullmatch(raw):
        return None
    return float(raw)


def decimal(text: str, maximum: float, key: str, *, zero: bool = False) -> float:
    """`plain_decimal` above 0 (from 0 with `zero`) up to `maximum`, or the refusal `key`
    naming the value (at most 20 characters of it) and the maximum."""
    return _within(plain_decimal(text), text, maximum, key, zero=zero)


def hours(text: str, maximum: float, key: str, *, zero: bool = False) -> float:
    """`decimal` after an optional unit: `5`, `5.5h`, `5 小时`, `５小时`."""
    raw = text.strip().lower()
    for suffix in HOUR_SUFFIXES:
        if raw.endswith(suffix):
            raw = raw.removesuffix(suffix)
            break
    return _within(plain_decimal(raw), text, maximum, key, zero=zero)


def _within(value: float | None, text: str, maximum: float, key: str, *, zero: bool) -> float:
    if value is None or value > maximum or (value == 0 and not zero):
        raise DomainError(key, value=text.strip()[:20], max=f"{maximum:g}")
    return value
