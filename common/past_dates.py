"""Records of what has happened are dated today or earlier."""

from __future__ import annotations

from datetime import date

from common.clock import SystemClock, local_today
from common.errors import DomainError
from common.settings import get_settings


def not_in_future(day: date, today: date, key: str) -> date:
    """`day`, or a refusal `key` (with `date` and `today`) when it is after `today`.

    A fitness test, a training session, a certificate or a finished mission dated
    tomorrow is a typo, not a plan: stored, it would count as valid before it exists.
    """
    if day > today:
        raise DomainError(key, date=day.isoformat(), today=today.isoformat())
    return day


def today_here(today: date | None = None) -> date:
    """`today` if the caller knows it (the bot, from its clock), else the calendar day where
    the bureau is (`RESCUEBOT_TIMEZONE`), as for a command-line import."""
    return today if today is not None else local_today(SystemClock(), get_settings().tz)
