"""Skill certificates: default expiry from the skill's validity, and what is due."""

from __future__ import annotations

from datetime import date, timedelta

from common.dates import add_years
from roster.model import SkillHolding, Volunteer

DUE_WITHIN_DAYS = 30


def certificate_expiry(certified_on: date | None, validity_years: int | None) -> date | None:
    """A certificate of 2026-03-05 for a 3-year skill expires on 2029-03-05
    (the same rule the roster import and demo use)."""
    if certified_on is None or validity_years is None:
        return None
    return add_years(certified_on, validity_years)


def certificates_due(
    volunteer: Volunteer, today: date, within: int = DUE_WITHIN_DAYS
) -> list[SkillHolding]:
    """Certificates expired, or expiring within `within` days, soonest first."""
    horizon = today + timedelta(days=within)
    due = [s for s in volunteer.skills if s.expires_on is not None and s.expires_on <= horizon]
    return sorted(due, key=lambda s: s.expires_on or date.max)
