"""`rescuebot export training`: one row per attendee, in the import's own format."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from common.clock import Clock, SystemClock, local_today
from common.dates import parse_date
from i18n.catalogue import t
from roster.phones import display_phone
from storage.db import Database
from training.model import year_bounds
from training.repository import TrainingRepository

HEADERS = ["日期", "队伍", "培训内容", "类别", "学时", "姓名", "手机"]


async def export_training(
    db: Database, *, year: int | None, tz: ZoneInfo, clock: Clock | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Sessions of `year` (this year in `tz` when None); a session without
    attendees still gets one row so it survives a round trip. Kinds are written
    as the Chinese words the importer reads back (绳索, not rope), under Chinese headers."""
    year = year or local_today(clock or SystemClock(), tz).year
    first, last = year_bounds(year)
    rows = await TrainingRepository(db).attendance_rows(first, last)
    return HEADERS, [
        [
            parse_date(r[0]),
            r[1],
            r[2],
            t(f"training.kind.{r[3]}", "zh"),
            r[4],
            r[5] or "",
            display_phone(r[6]) if r[6] else "",
        ]
        for r in rows
    ]
