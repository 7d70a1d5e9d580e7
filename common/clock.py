"""Time as a dependency: services ask a clock, so tests can move time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self._now = moment


def local_today(clock: Clock, tz: ZoneInfo) -> date:
    """The calendar day where the bureau is (the year boundary too)."""
    return clock.now().astimezone(tz).date()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_precise(moment: datetime) -> str:
    """UTC ISO text to the microsecond, for short deadlines (a 3-second grace in tests must
    not lose a second to rounding). Compared in SQL only with text of the same form."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
