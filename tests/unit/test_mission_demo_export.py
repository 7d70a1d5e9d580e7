"""The demo year of missions and the missions export."""

from __future__ import annotations

import random
from datetime import date
from zoneinfo import ZoneInfo

from missions.demo import MISSIONS_PER_YEAR, seed_missions
from missions.exporter import export_missions
from storage.db import Database
from tests.factories import add_volunteer

TZ = ZoneInfo("Asia/Shanghai")


async def test_the_demo_adds_a_year_of_missions_with_participants_and_the_export_lists_them(
    db: Database,
) -> None:
    for n, team in enumerate(["SD", "LT", "HR", "MA", "QM", "330"] * 5):
        await add_volunteer(db, f"V{n}", team=team)
    await seed_missions(db, random.Random(59), date(2026, 6, 1))
    headers, rows = await export_missions(db, year=None, tz=TZ)
    assert len(rows) == MISSIONS_PER_YEAR and headers[0] == "id"
    assert all(row[7] >= 1 and row[8] > 0 for row in rows)
    in_2026 = (await export_missions(db, year=2026, tz=TZ))[1]
    assert 0 < len(in_2026) < MISSIONS_PER_YEAR


async def test_the_demo_adds_nothing_without_a_roster(db: Database) -> None:
    await seed_missions(db, random.Random(1), date(2026, 6, 1))
    assert (await export_missions(db, year=None, tz=TZ))[1] == []
