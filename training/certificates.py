"""Skill certificates: default expiry from the skill's validity, and what is due."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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


async def set_certificate(
    conn: Any,
    volunteer_id: int,
    skill_code: str,
    certified_on: date | None,
    expires_on: date | None = None,
) -> None:
    """Record a certificate inside the caller's transaction; without an explicit
    expiry it gets the skill's default validity, so callout targeting (which
    reads volunteer_skills.expires_on) sees it expire on time."""
    if expires_on is None:
        async with conn.execute(
            "SELECT validity_years FROM skills WHERE code = ?", (skill_code,)
        ) as cur:
            row = await cur.fetchone()
        expires_on = certificate_expiry(certified_on, row[0] if row else None)
    await conn.execute(
        "INSERT INTO volunteer_skills (volunteer_id, skill_code, certified_on, expires_on) "
        "VALUES (?,?,?,?) ON CONFLICT(volunteer_id, skill_code) DO UPDATE SET "
        "certified_on = excluded.certified_on, expires_on = excluded.expires_on",
        (
            volunteer_id,
            skill_code,
            certified_on.isoformat() if certified_on else None,
            expires_on.isoformat() if expires_on else None,
        ),
    )
