"""Everything one dashboard shows, as one JSON-ready dict, built in one pass.

A handful of range queries (the live callouts with all their responses in one
read, the roster once, the year's missions) and grouping in Python, so a page
for thousands of volunteers and ten open callouts builds in well under 200 ms.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import iso, parse_iso
from dashboard.board import COUNTED_STATES, Responder, ResponderReader, grouped
from dashboard.roster_data import load_roster
from dashboard.view import Viewer
from i18n.catalogue import all_keys, has, t
from insurance.model import EXPIRING_DAYS, InsuranceState, insurance_status
from missions.model import type_label
from reports import model as reports
from reports import queries
from roster.phones import display_phone
from storage.db import Database

# A closed or cancelled callout stays on the dashboard this long (its people head home).
RECENTLY_ENDED = timedelta(hours=12)


@dataclass(frozen=True)
class PageConfig:
    tz: ZoneInfo
    mission_target: int
    tile_url: str


@dataclass
class RosterCache:
    """Readiness and expiry change by the day, not by the tap: a live screen redrawn for
    every burst of taps reuses them for `seconds` instead of re-reading the roster."""

    seconds: float = 30.0
    _parts: dict[Any, tuple[float, dict[str, Any]]] = field(default_factory=dict)

    def get(self, key: Any) -> dict[str, Any] | None:
        found = self._parts.get(key)
        if found is None or time.monotonic() - found[0] > self.seconds:
            return None
        return found[1]

    def put(self, key: Any, parts: dict[str, Any]) -> None:
        if len(self._parts) > 64:  # a handful of scopes in practice; never unbounded
            self._parts.clear()
        self._parts[key] = (time.monotonic(), parts)


def _label(prefix: str, name: str, lang: str) -> str:
    key = f"{prefix}.{name}"
    return t(key, lang) if has(key) else name.replace("_", " ")


def labels(lang: str) -> dict[str, str]:
    """The page's own texts (`dashboard.*`), in the viewer's language."""
    return {k: v.get(lang) or v["zh"] for k, v in all_keys().items() if k.startswith("dashboard.")}


async def _callouts(db: Database, viewer: Viewer, now: datetime) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT * FROM callouts WHERE status IN ('open','filled') OR ended_at >= ? ORDER BY id",
        (iso(now - RECENTLY_ENDED),),
    )
    callouts = [r for r in rows if viewer.sees_callout(tuple(json.loads(r["teams"])))]
    if not callouts:
        return []
    ids = [int(r["id"]) for r in callouts]
    marks = ",".join("?" * len(ids))
    people: dict[int, list[Responder]] = {i: [] for i in ids}
    reader: ResponderReader | None = None
    for row in await db.fetchall(
        "SELECT r.*, v.name, v.phone, v.team_code, v.telegram_id FROM responses r "
        f"JOIN volunteers v ON v.id = r.volunteer_id WHERE r.callout_id IN ({marks}) "
        "ORDER BY v.team_code, v.id",
        ids,
    ):
        reader = reader or ResponderReader(row.keys())
        people[int(row["callout_id"])].append(reader.read(row))
    left_out: dict[int, list[Any]] = {i: [] for i in ids}
    for row in await db.fetchall(
        "SELECT e.callout_id, v.name, v.phone, v.team_code, e.reason, e.detail "
        "FROM callout_exclusions e JOIN volunteers v ON v.id = e.volunteer_id "
        f"WHERE e.callout_id IN ({marks}) ORDER BY v.team_code, v.id",
        ids,
    ):
        left_out[int(row[0])].append(row)
    return [_callout(r, people[int(r["id"])], left_out[int(r["id"])], viewer) for r in callouts]


def _person(p: Responder, viewer: Viewer) -> dict[str, Any]:
    lang = viewer.lang
    return {
        "name": p.name,
        "team": p.team,
        "state": p.state,
        "eta": p.eta_minutes,
        "reason": _label("reason", p.reason, lang) if p.reason else None,
        "times": dict(p.times),
        "flags": [{"code": f, "label": _label("dashboard.flag", f, lang)} for f in p.flags],
        "phone": display_phone(p.phone) if viewer.sees_phone(p.team) else None,
        "position": list(p.position) if p.position else None,
    }


def _callout(row: Any, people: list[Responder], left_out: list[Any], viewer: Viewer) -> Any:
    lang = viewer.lang
    teams = tuple(json.loads(row["teams"]))
    counted = Counter(p.team for p in people if p.state in COUNTED_STATES)
    point = (
        [float(row["latitude"]), float(row["longitude"])]
        if row["latitude"] is not None and row["longitude"] is not None
        else None
    )
    return {
        "id": int(row["id"]),
        "type": row["type"],
        "type_label": type_label(row["type"], lang),
        "location": row["location"],
        "description": row["description"],
        "status": row["status"],
        "status_label": _label("status", row["status"], lang),
        "teams": list(teams),
        "skills": json.loads(row["skills"]),
        "needed": int(row["needed"]),
        "confirmed": sum(counted.values()),
        "by_team": {team: counted.get(team, 0) for team in teams},
        "created_at": row["created_at"],
        "ended_at": row["ended_at"],
        "point": point,
        "groups": [
            {
                "state": state,
                "label": _label("dashboard.state", state, lang),
                "people": [_person(p, viewer) for p in members],
            }
            for state, members in grouped(people)
        ],
        "left_out": [
            {
                "name": r[1],
                "team": r[3],
                "reason": _label("reason", r[4], lang),
                "detail": r[5] or "",
                "phone": display_phone(r[2]) if viewer.sees_phone(r[3]) else None,
            }
            for r in left_out
        ],
    }


async def _missions(db: Database, config: PageConfig, today: date) -> dict[str, Any]:
    start, end = reports.year_range_utc(today.year, config.tz)
    rows = await db.fetchall(
        "SELECT started_at FROM missions WHERE started_at >= ? AND started_at < ?", (start, end)
    )
    monthly = [0] * 12
    for (started,) in rows:
        monthly[parse_iso(started).astimezone(config.tz).month - 1] += 1
    return {
        "year": today.year,
        "target": config.mission_target,
        "count": len(rows),
        "monthly": monthly,
        "month": today.month,
    }


async def _roster_parts(db: Database, viewer: Viewer, today: date) -> dict[str, Any]:
    """Readiness per team × skill (the reports' own rules) and what runs out within 30 days."""
    lang = viewer.lang
    roster = await load_roster(db, None if viewer.coordinator else viewer.team)
    policies = roster.policies
    passes = await queries.load_fitness(db, upto=today)
    people = [p for p in roster.people if viewer.sees_team(p.team_code)]
    skill_codes = [k.code for k in roster.skills]
    readiness = reports.readiness_report(
        people,
        reports.readiness_from(people, policies, passes, today),
        [team for team in roster.teams if viewer.sees_team(team.code)],
        skill_codes,
        day=today,
    )
    skill_label = {k.code: (k.label_zh if lang == "zh" else k.label_en) for k in roster.skills}
    used = [c for c in skill_codes if any(c in row.skills for row in readiness.teams)]
    horizon = today + timedelta(days=EXPIRING_DAYS)
    insurance: list[dict[str, Any]] = []
    certificates: list[dict[str, Any]] = []
    for person in people:
        if not person.active:
            continue
        held = policies.get(person.id, [])
        # Only a policy ending within the window can make the cover run out in it.
        status = (
            insurance_status(held, today) if any(today <= p.end <= horizon for p in held) else None
        )
        if (
            status is not None
            and status.state is InsuranceState.EXPIRING
            and status.until is not None
        ):
            insurance.append(
                {
                    "name": person.name,
                    "team": person.team_code,
                    "until": status.until.isoformat(),
                    "days": status.days_left,
                }
            )
        for holding in person.skills:
            if holding.expires_on is not None and today <= holding.expires_on <= horizon:
                certificates.append(
                    {
                        "name": person.name,
                        "team": person.team_code,
                        "skill": skill_label.get(holding.code, holding.code),
                        "until": holding.expires_on.isoformat(),
                        "days": (holding.expires_on - today).days,
                    }
                )
    insurance.sort(key=lambda x: (x["until"], x["team"], x["name"]))
    certificates.sort(key=lambda x: (x["until"], x["team"], x["name"]))

    def cell(d: reports.Deployability) -> list[int]:
        return [d.ready, d.total]

    return {
        "readiness": {
            "skills": [{"code": c, "label": skill_label.get(c, c)} for c in used],
            "rows": [
                {
                    "team": row.team.code,
                    "name": row.team.name,
                    "general": cell(row.general),
                    "fitness": cell(row.fitness),
                    "skills": {c: cell(d) for c, d in row.skills.items()},
                }
                for row in readiness.teams
            ],
        },
        "expiring": {"insurance": insurance, "certificates": certificates},
    }


async def build_page(
    db: Database,
    viewer: Viewer,
    config: PageConfig,
    now: datetime,
    cache: RosterCache | None = None,
) -> dict[str, Any]:
    today = now.astimezone(config.tz).date()
    key = (viewer.lang, viewer.coordinator, viewer.team, today)
    cached = cache.get(key) if cache is not None else None

    async def roster_parts() -> dict[str, Any]:
        if cached is not None:
            return cached
        parts = await _roster_parts(db, viewer, today)
        if cache is not None:
            cache.put(key, parts)
        return parts

    # Together: while the database thread runs one part's queries, this one groups another's.
    callouts, missions, parts = await asyncio.gather(
        _callouts(db, viewer, now), _missions(db, config, today), roster_parts()
    )
    return {
        "lang": viewer.lang,
        "viewer": {"kind": viewer.kind, "team": viewer.team, "phones": not viewer.wall},
        "generated_at": iso(now),
        "tile_url": config.tile_url,
        "labels": labels(viewer.lang),
        "callouts": callouts,
        "missions": missions,
        **parts,
    }
