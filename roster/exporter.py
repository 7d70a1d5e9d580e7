"""The roster as a table that `roster.importer` reads back unchanged."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from i18n.labels import join
from roster.exporter_queries import (
    latest_policies,
    people_by_team,
    skill_codes_by_volunteer,
    skill_labels_zh,
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
    people = await people_by_team(db)
    lookup = await skill_lookup(db)
    labels: dict[str, str] = {}
    for code, label_zh in (await skill_labels_zh(db)).items():
        # A label two skills share would come back as the wrong skill: write the code then.
        labels[code] = label_zh if lookup.find(label_zh) == code else code
    # Skills are written as the Chinese labels the importer reads back, so their list is too.
    skills = {
        volunteer_id: [labels[code] for code in codes]
        for volunteer_id, codes in (await skill_codes_by_volunteer(db)).items()
    }
    policies = await latest_policies(db, year)

    rows: list[list[Any]] = []
    for p in people:
        policy = policies.get(p["id"])
        rows.append(
            [
                p["team_code"],
                p["name"],
                display_phone(p["phone"]),
                _ROLE_ZH.get(p["role"], p["role"]),
                join(skills.get(p["id"], []), "zh"),
                p["telegram_id"],
                *(policy if policy else (None, None, None, None)),
            ]
        )
    return HEADERS, rows
