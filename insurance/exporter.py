"""`rescuebot export insurance`: one row per policy, in the import's own format."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from common.clock import Clock, SystemClock, local_today
from insurance.model import insurance_status
from insurance.repository import InsuranceRepository
from roster.repository import RosterRepository
from storage.db import Database

HEADERS = ["队伍", "姓名", "手机", "保险公司", "保单号", "保额", "保险起期", "保险止期", "状态"]


async def export_insurance(
    db: Database, *, year: int | None, tz: ZoneInfo, clock: Clock | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Policies in force at any time in `year` (all when None), with today's status.

    The headers are those the importer reads, so an export edited in Excel
    can be imported again.
    """
    today = local_today(clock or SystemClock(), tz)
    people = await RosterRepository(db).all_volunteers()
    policies = await InsuranceRepository(db).policies_by_volunteer()
    rows: list[list[Any]] = []
    for v in sorted(people, key=lambda p: (p.team_code, p.name)):
        mine = policies.get(v.id, [])
        state = insurance_status(mine, today).state.value
        for p in mine:
            if year is not None and not (p.start.year <= year <= p.end.year):
                continue
            rows.append(
                [
                    v.team_code,
                    v.name,
                    v.phone,
                    p.insurer,
                    p.policy_no,
                    p.coverage,
                    p.start.isoformat(),
                    p.end.isoformat(),
                    state,
                ]
            )
    return HEADERS, rows
