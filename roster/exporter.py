"""The roster as a table that `roster.importer` reads back unchanged."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any

from common.dates import parse_date
from roster.import_repository import (
    export_people,
    policies_in_force,
    skill_rows,
    skills_held_in_order,
)
from roster.importer import COLUMNS, skill_lookup
from roster.phones import display_phone
from roster.taxonomy import ROLE_ALIASES
from storage.db import Database

HEADERS: list[str] = [column.headers[0] for column in COLUMNS]

# The Chinese word the importer reads back for each role (队员, 副队长, 队长).
_ROLE_ZH = {code: word for word, code in ROLE_ALIASES.items() if not word.isascii()}


async def export_roster(
    db: Database, *, year: int | None, tz: tzinfo | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Everyone, by team, leaders first; with `year`, the policy covering that year.

    Dates are `date` objects so an XLSX gets real Excel dates; CSV writes them
    as YYYY-MM-DD. `tz` is part of the exporter signature; a roster needs no "today".
    """
    people = await export_people(db)
    lookup = await skill_lookup(db)
    labels: dict[str, str] = {}
    for code, label_zh, _ in await skill_rows(db):
        # A label two skills share would come back as the wrong skill: write the code then.
        labels[code] = label_zh if lookup.find(label_zh) == code else code
    skills: dict[int, list[str]] = {}
    for volunteer_id, code in await skills_held_in_order(db):
        skills.setdefault(volunteer_id, []).append(labels[code])

    policies: dict[int, tuple[str, str, date, date]] = {}
    # Ascending order, so the latest policy of each person is the one left in the dict.
    for r in await policies_in_force(db, year):
        policies[r[0]] = (r[1], r[2], parse_date(r[3]), parse_date(r[4]))

    rows: list[list[Any]] = []
    for p in people:
        policy = policies.get(p["id"])
        rows.append(
            [
                p["team_code"],
                p["name"],
                display_phone(p["phone"]),
                _ROLE_ZH.get(p["role"], p["role"]),
                "、".join(skills.get(p["id"], [])),
                p["telegram_id"],
                *(policy if policy else (None, None, None, None)),
            ]
        )
    return HEADERS, rows
