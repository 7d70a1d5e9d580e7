"""The missions table for `rescuebot export missions` (CSV/XLSX written by the caller)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from missions.model import type_label
from missions.repository import CalloutRepository
from storage.db import Database

HEADERS = [
    "id",
    "类型 type",
    "队伍 teams",
    "开始 start",
    "结束 end",
    "时长 hours",
    "地点 location",
    "参与人数 participants",
    "人时 person-hours",
    "获救 rescued",
    "结果 outcome",
    "召集 callout",
    "备注 notes",
]


async def export_missions(
    db: Database, *, year: int | None, tz: ZoneInfo
) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = []
    for mission in await CalloutRepository(db).missions(year, tz):
        start = mission.started_at.astimezone(tz)
        end = mission.ended_at.astimezone(tz)
        rows.append(
            [
                mission.id,
                f"{type_label(mission.type, 'zh')} {mission.type}",
                ",".join(mission.teams),
                # Naive local times: XLSX cells hold no zone, and these are typed dates.
                start.replace(tzinfo=None, second=0, microsecond=0),
                end.replace(tzinfo=None, second=0, microsecond=0),
                round((end - start).total_seconds() / 3600, 1),
                mission.location,
                len(mission.participants),
                round(sum(mission.participants.values()), 1),
                mission.rescued,
                mission.outcome,
                f"#{mission.callout_id}" if mission.callout_id else "",
                mission.notes,
            ]
        )
    return HEADERS, rows
