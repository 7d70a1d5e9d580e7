"""Everything one dashboard shows, as one JSON-ready dict, built in one pass.

A handful of range queries (the live callouts with all their responses in one
read, the roster once, the year's missions) and grouping in Python, so a page
for thousands of volunteers and ten open callouts builds in well under 200 ms.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import iso, parse_iso
from dashboard import page_queries, parts_queries
from dashboard.board import Placed, alerts, grouped, place
from dashboard.parts import callout_parts
from dashboard.roster_queries import load_roster
from dashboard.view import Viewer
from i18n.catalogue import all_keys, has, t
from i18n.labels import bilingual
from insurance.model import EXPIRING_DAYS, InsuranceState, insurance_status
from missions.entities import Callout
from missions.incident import Phase, ResponderView
from missions.incident_repository import IncidentRepository
from missions.model import type_label
from missions.parts_text import part_view
from reports import model as reports
from reports import queries
from roster.phones import display_phone
from storage.db import Database


@dataclass(frozen=True)
class PageConfig:
    tz: ZoneInfo
    mission_target: int
    tile_url: str
    # The incident timers' settings: when a safety check or a return counts as overdue.
    grace_minutes: float = 10.0
    return_minutes: float = 120.0


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


async def _callouts(
    db: Database, viewer: Viewer, config: PageConfig, now: datetime
) -> list[dict[str, Any]]:
    """Live callouts and those in their return phase (until everyone is home safe), each
    with its responders as the incident read model has them."""
    incidents = IncidentRepository(db)
    callouts = [c for c in await incidents.watched() if viewer.sees_callout(c.teams)]
    if not callouts:
        return []
    ids = [c.id for c in callouts]

    async def responders(callout_id: int) -> list[ResponderView]:
        return await incidents.responders(callout_id, now=now, grace_minutes=config.grace_minutes)

    with_slots = [c.id for c in callouts if c.slots]
    people, why, excluded, skills = await asyncio.gather(
        asyncio.gather(*(responders(i) for i in ids)),
        page_queries.answer_reasons(db, ids),
        page_queries.left_out(db, ids),
        parts_queries.slot_skills(db, with_slots),
    )
    built = [
        {
            **_callout(c, views, why, excluded[c.id], viewer, config, now),
            # Per team and per skill slot, confirmed k/n, as on the chat board.
            "parts": callout_parts(c, views, skills.get(c.id, {}), viewer.lang),
        }
        for c, views in zip(callouts, people, strict=True)
    ]
    # Someone needing help or overdue puts their callout at the top of the page.
    built.sort(key=lambda c: (not c["alerts"], c["phase"] != "open", c["id"]))
    return built


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # Read back from the database, times are already UTC: no conversion per person.
    return moment.isoformat(timespec="seconds") if moment.tzinfo is UTC else iso(moment)


def _person(placed: Placed, reason: str | None, viewer: Viewer) -> dict[str, Any]:
    lang = viewer.lang
    p = placed.person
    # The one time the page shows: home, else arrival, else the answer.
    if p.home_safe_at is not None:
        times = {"home_safe": _when(p.home_safe_at)}
    elif p.on_scene_at is not None:
        times = {"on_scene": _when(p.on_scene_at)}
    else:
        times = {"answered": _when(p.answered_at)} if p.answered_at is not None else {}
    return {
        "id": p.volunteer_id,
        "name": p.name,
        "team": p.team_code,
        "state": placed.group,
        "eta": p.eta_minutes if p.phase is Phase.CONFIRMED else None,
        "reason": _label("reason", reason, lang) if reason else None,
        "times": times,
        "flags": [
            {
                "code": f.code,
                "label": _label("dashboard.flag", f.code, lang),
                "since": _when(f.since),
                "alert": f.alert,
            }
            for f in placed.flags
        ],
        "phone": display_phone(p.phone) if viewer.sees_phone(p.team_code) else None,
        "position": (
            [p.position.latitude, p.position.longitude] if p.position is not None else None
        ),
        "position_at": _when(p.position_at),
        "on_map": placed.shows_on_map,
    }


def _callout(
    callout: Callout,
    views: list[ResponderView],
    reasons: dict[tuple[int, int], str],
    left_out: list[Any],
    viewer: Viewer,
    config: PageConfig,
    now: datetime,
) -> dict[str, Any]:
    lang = viewer.lang
    returning = callout.return_started_at if callout.returning else None
    placed = [
        place(v, returning_since=returning, return_minutes=config.return_minutes, now=now)
        for v in views
    ]
    participants = [v for v in views if v.participant]
    counted = Counter(v.team_code for v in participants)

    def person(one: Placed) -> dict[str, Any]:
        return _person(one, reasons.get((callout.id, one.person.volunteer_id)), viewer)

    point = [callout.point.latitude, callout.point.longitude] if callout.point else None
    return {
        "id": callout.id,
        "type": callout.type,
        "type_label": type_label(callout.type, lang),
        "location": callout.location,
        "description": callout.description,
        "status": callout.status.value,
        "status_label": _label("status", callout.status.value, lang),
        "phase": "return" if returning is not None else "open",
        "teams": list(callout.teams),
        "skills": list(callout.skills),
        "needed": callout.needed,
        # Several teams: each quota and slot, and each joined part's own request.
        "quotas": dict(callout.quotas),
        "slots": dict(callout.slots),
        "joined_parts": [part_view(team, part) for team, part in callout.parts.items()],
        "confirmed": len(participants),
        "on_scene": sum(1 for v in views if v.phase is Phase.ON_SCENE),
        "home": {
            "safe": sum(1 for v in participants if v.home_safe_at is not None),
            "total": len(participants),
        },
        "by_team": {team: counted.get(team, 0) for team in callout.teams},
        "created_at": iso(callout.created_at),
        "ended_at": _when(callout.ended_at),
        "return_started_at": _when(returning),
        "point": point,
        "alerts": [person(one) for one in alerts(placed)],
        "groups": [
            {
                "state": state,
                "label": _label("dashboard.state", state, lang),
                "people": [person(one) for one in members],
            }
            for state, members in grouped(placed, returning is not None)
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
    rows = await page_queries.mission_starts(db, start, end)
    monthly = [0] * 12
    for started in rows:
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
    skill_label = {k.code: bilingual(k.label_zh, k.label_en, lang) for k in roster.skills}
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
        _callouts(db, viewer, config, now), _missions(db, config, today), roster_parts()
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
