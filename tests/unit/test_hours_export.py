"""`rescuebot export hours`: one row per volunteer per mission, then each volunteer's total;
confirmed hours count where they exist; the year is the local calendar year."""

from __future__ import annotations

import asyncio
from pathlib import Path

from openpyxl import load_workbook

from bot.cli import main
from roster.repository import RosterRepository
from storage.db import open_database
from tests.factories import add_volunteer


async def _arrange(path: Path) -> None:
    db = await open_database(path)
    try:
        await RosterRepository(db).seed_reference_data()
        zhang = await add_volunteer(db, "张三", phone="+8613700000001")
        li = await add_volunteer(db, "李四", phone="+8613700000002")
        missions = (
            ("2026-03-05T02:00:00+00:00", ((zhang, 5.0, None), (li, 5.0, 6.5))),
            ("2026-12-31T15:00:00+00:00", ((zhang, 9.0, 8.0),)),  # 23:00 in Shanghai: 2026
            ("2026-12-31T17:00:00+00:00", ((zhang, 2.0, None),)),  # 01:00 on 1 January 2027
        )
        for started, people in missions:
            mission_id = await db.execute(
                "INSERT INTO missions (type, teams, started_at, ended_at) VALUES (?,?,?,?)",
                ("mountain", '["SD"]', started, started),
            )
            for volunteer, counted, confirmed in people:
                await db.execute(
                    "INSERT INTO mission_participants (mission_id, volunteer_id, hours, "
                    "counted_hours, confirmed_hours) VALUES (?,?,?,?,?)",
                    (mission_id, volunteer, confirmed or counted, counted, confirmed),
                )
    finally:
        await db.close()


def test_hours_of_a_year_per_mission_and_in_total_with_confirmed_figures_winning(
    cli_db: Path, tmp_path: Path
) -> None:
    asyncio.run(_arrange(cli_db))
    out = tmp_path / "hours.xlsx"
    assert main(["export", "hours", "--year", "2026", "--out", str(out)]) == 0
    rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    assert rows[0][0] == "姓名 name" and rows[0][-1] == "计入 hours"
    by_person = [(r[0], r[3], r[7], r[8], r[9]) for r in rows[1:]]
    assert by_person == [
        ("张三", 1, 5.0, None, 5.0),
        ("张三", 2, 9.0, 8.0, 8.0),
        ("张三", "合计 total (2)", 14.0, 8.0, 13.0),
        ("李四", 1, 5.0, 6.5, 6.5),
        ("李四", "合计 total (1)", 5.0, 6.5, 6.5),
    ]
    assert rows[2][4] == "2026-12-31"
