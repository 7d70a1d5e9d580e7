"""`rescuebot export training`: one row per attendee, in the import's own format."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from common.clock import Clock, SystemClock, local_today
from common.dates import parse_date
from i18n.catalogue import t
from roster.phones import display_phone
from storage.db import Database
from training.exporter_queries import sessions_with_attendees
from training.importer import COLUMNS
from training.model import year_bounds

# The importer's own first header of each column, so an export imports again unchanged.
HEADERS: list[str] = [column.headers[0] for column in COLUMNS]


async def export_training(
    db: Database, *, year: int | None, tz: ZoneInfo, clock: Clock | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Sessions of `year` (this year in `tz` when None); a session without
    attendees still gets one row so it survives a round trip. Kinds are written
    as the Chinese words the importer reads back (绳索, not rope), under Chinese headers."""
    year = year or local_today(clock or SystemClock(), tz).year
    first, last = year_bounds(year)
    rows = await sessions_with_attendees(db, first, last)
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
