"""`rescuebot export insurance`: one row per policy, in the import's own format."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import Clock, SystemClock, local_today
from i18n.catalogue import t
from insurance.importer import COLUMNS
from insurance.model import InsuranceState, Policy, insurance_status
from insurance.repository import InsuranceRepository
from roster.phones import display_phone
from roster.service import RosterService
from storage.db import Database

# The headers are Chinese, so are the status words under them.
_LANG = "zh"
# The importer's own first header of each column, so an export imports again unchanged;
# then the state today, which the importer ignores.
_FIRST_HEADER = {column.name: column.headers[0] for column in COLUMNS}
_EXPORTED = ("team", "name", "phone", "insurer", "policy", "coverage", "start", "end")
HEADERS: list[str] = [_FIRST_HEADER[name] for name in _EXPORTED] + [t("report.col.status", _LANG)]


def policy_state(policy: Policy, mine: list[Policy], today: date) -> str:
    """This policy's own state today: a policy that ended reads expired whatever
    the person's cover; one in force reads as the person's cover (a renewal on file
    keeps it valid rather than expiring); one not started yet says so."""
    if policy.end < today:
        return t("report.state.expired", _LANG)
    if policy.start > today:
        return t("export.state.not_started", _LANG)
    state = insurance_status(mine, today).state
    if state not in (InsuranceState.VALID, InsuranceState.EXPIRING):
        state = InsuranceState.VALID
    return t(f"report.state.{state.value}", _LANG)


async def export_insurance(
    db: Database, *, year: int | None, tz: ZoneInfo, clock: Clock | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Policies in force at any time in `year` (all when None), each with its state today.

    The headers are those the importer reads, so an export edited in Excel
    can be imported again (the state column is ignored on import).
    """
    today = local_today(clock or SystemClock(), tz)
    people = await RosterService(db).all_volunteers()
    policies = await InsuranceRepository(db).policies_by_volunteer()
    rows: list[list[Any]] = []
    for v in sorted(people, key=lambda p: (p.team_code, p.name)):
        mine = policies.get(v.id, [])
        for p in mine:
            if year is not None and not (p.start.year <= year <= p.end.year):
                continue
            rows.append(
                [
                    v.team_code,
                    v.name,
                    display_phone(v.phone),
                    p.insurer,
                    p.policy_no,
                    p.coverage,
                    p.start,
                    p.end,
                    policy_state(p, mine, today),
                ]
            )
    return HEADERS, rows
