"""Whole numbers typed by people or carried in button data.

`str.isdigit()` accepts '²' and other digits `int()` refuses, and `int()` accepts
numbers SQLite cannot store; every count, id and year read from input goes through here.
"""

from __future__ import annotations

from common.errors import DomainError

INT64_MAX = 2**63 - 1  # the largest integer SQLite stores


def plain_int(text: str | None, maximum: int = INT64_MAX) -> int | None:
    """The value of ASCII digits `text` if it is at most `maximum`, else None."""
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
