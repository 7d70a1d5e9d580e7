"""`rescuebot export hours`: every volunteer's hours per mission and per year, for the
volunteer-service records (CSV/XLSX written by the caller).

One row per volunteer per mission (the hours the bot counted, the hours the volunteer
confirmed or corrected, and the figure that counts: confirmed where it exists), then a
total row after each volunteer's missions.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from common.clock import parse_iso
from missions.hours_queries import participant_hours
from missions.model import type_label
from roster.phones import display_phone
from storage.db import Database

HEADERS = [
    "姓名 name",
    "队伍 team",
    "手机 phone",
    "任务 mission",
    "日期 date",
    "类型 type",
    "召集 callout",
    "系统记录 counted hours",
    "本人确认 confirmed hours",
    "计入 hours",
]
TOTAL = "合计 total"


async def export_hours(
    db: Database, *, year: int | None, tz: ZoneInfo
) -> tuple[list[str], list[list[Any]]]:
    rows = await participant_hours(db, year=year, tz=tz)
    out: list[list[Any]] = []
    current: int | None = None
    totals = [0.0, 0.0, 0.0]
    count = 0
    person: list[Any] = []

    def close_person() -> None:
        if current is not None:
            out.append([*person, f"{TOTAL} ({count})", "", "", "", *(round(x, 1) for x in totals)])

    for r in rows:
        if r[0] != current:
            close_person()
            current, totals, count = r[0], [0.0, 0.0, 0.0], 0
            person = [r[1], r[2], display_phone(r[3])]
        counted = float(r[8]) if r[8] is not None else float(r[10])
        confirmed = float(r[9]) if r[9] is not None else None
        out.append(
            [
                *person,
                r[4],
                parse_iso(r[5]).astimezone(tz).strftime("%Y-%m-%d"),
                f"{type_label(r[6], 'zh')} {r[6]}",
                f"#{r[7]}" if r[7] else "",
                counted,
                "" if confirmed is None else confirmed,
                float(r[10]),
            ]
        )
        totals[0] += counted
        totals[1] += confirmed or 0.0
        totals[2] += float(r[10])
        count += 1
    close_person()
    return HEADERS, out
