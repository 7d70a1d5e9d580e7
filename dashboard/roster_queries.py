"""The roster as readiness and expiry need it, read lean: one plain scan per table.

The same rows and models the repositories give (`Volunteer`, `SkillHolding`,
`Policy`), without their per-row conveniences: a page reads thousands of
people, so dates in their stored `YYYY-MM-DD` form are read directly and the
skills come in one scan instead of an `IN (…)` list of every id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.dates import parse_optional_date
from insurance.model import Policy
from roster.model import Role, SkillHolding, Volunteer
from roster.taxonomy import SkillKind, Team
from storage.db import Database

_ROLES = {role.value: role for role in Role}


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # not the stored form: the forgiving parser decides
        return parse_optional_date(text)


@dataclass
class Roster:
    teams: list[Team]
    skills: list[SkillKind]
    people: list[Volunteer]
    policies: dict[int, list[Policy]]


async def load_roster(db: Database, team: str | None) -> Roster:
    """Everyone (or one team's people) with their skills and insurance policies."""
    scope, params = (" WHERE team_code = ?", (team,)) if team else ("", ())
    teams = [
        Team(r[0], r[1], r[2])
        for r in await db.fetchall("SELECT code, name, focus FROM teams ORDER BY rowid")
    ]
    kinds = [
        SkillKind(r[0], r[1], r[2], r[3])
        for r in await db.fetchall(
            "SELECT code, label_zh, label_en, validity_years FROM skills ORDER BY rowid"
        )
    ]
    people = [
        Volunteer(r[0], r[1], r[2], r[3], _ROLES[r[4]], r[5], r[6], bool(r[7]), _day(r[8]))
        for r in await db.fetchall(
            "SELECT id, team_code, name, phone, role, telegram_id, language, active, away_until "
            f"FROM volunteers{scope} ORDER BY id",
            params,
        )
    ]
    by_id = {p.id: p for p in people}
    join = " JOIN volunteers v ON v.id = x.volunteer_id WHERE v.team_code = ?" if team else ""
    for r in await db.fetchall(
        "SELECT x.volunteer_id, x.skill_code, x.certified_on, x.expires_on "
        f"FROM volunteer_skills x{join}",
        params,
    ):
        person = by_id.get(r[0])
        if person is not None:
            person.skills.append(SkillHolding(r[1], _day(r[2]), _day(r[3])))
    policies: dict[int, list[Policy]] = {}
    for r in await db.fetchall(
        "SELECT x.id, x.volunteer_id, x.insurer, x.policy_no, x.coverage, x.start_date, "
        f"x.end_date FROM insurance_policies x{join} ORDER BY x.start_date",
        params,
    ):
        start, end = _day(r[5]), _day(r[6])
        assert start is not None and end is not None
        policies.setdefault(r[1], []).append(Policy(r[0], r[1], r[2], r[3], r[4], start, end))
    return Roster(teams, kinds, people, policies)
