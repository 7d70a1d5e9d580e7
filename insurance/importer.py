"""`rescuebot import insurance FILE` and `/import insurance`: one row per insured person.

All or nothing: every row is checked first and every bad row reported by its
line number; only a clean file is written, in one transaction.
"""

from __future__ import annotations

import asyncio
from datetime import date

from common.dates import parse_date
from common.errors import DomainError
from common.tabular import (
    Column,
    ImportReport,
    Row,
    RowChecker,
    RowError,
    read_rows_in_thread,
)
from insurance.model import parse_coverage
from insurance.repository import PolicyInput, PolicyRecords
from roster.model import Volunteer
from roster.people_index import PeopleIndex
from roster.service import RosterService
from storage.db import Database
from storage.unit_of_work import UnitOfWork

COLUMNS = [
    Column("phone", ("手机", "手机号", "电话", "mobile"), required=False),
    Column("name", ("姓名", "被保险人"), required=False),
    Column("team", ("队伍", "团队"), required=False),
    Column("insurer", ("保险公司", "承保公司"), required=False),
    Column("policy", ("保单号", "policy_no", "policy_number"), required=False),
    Column("coverage", ("保额", "保险金额"), required=False),
    Column("start", ("保险起期", "insured_from", "start_date", "起保日期")),
    Column("end", ("保险止期", "insured_to", "end_date", "终保日期")),
]


def _parse_row(
    row: Row, people: PeopleIndex, team_scope: str | None
) -> tuple[tuple[Volunteer, PolicyInput] | None, list[RowError]]:
    """The row's person and policy, or None and every error on the line."""
    checker = RowChecker(row.line)
    volunteer = checker.check(people.find, row)
    if volunteer is not None and team_scope is not None and volunteer.team_code != team_scope:
        checker.error("records.other_team", name=volunteer.name, team=team_scope)
    coverage = checker.check(_coverage, row.text("coverage"))
    start = checker.check(parse_date, row.values.get("start") or "")
    end = checker.check(parse_date, row.values.get("end") or "")
    if start is not None and end is not None and end < start:
        checker.error("records.end_before_start", start=start.isoformat(), end=end.isoformat())
    if checker.errors or volunteer is None or start is None or end is None:
        return None, checker.errors
    return (
        volunteer,
        PolicyInput(
            insurer=row.text("insurer"),
            policy_no=row.text("policy"),
            coverage=coverage,
            start=start,
            end=end,
        ),
    ), []


def _coverage(text: str) -> float | None:
    try:
        return parse_coverage(text)
    except ValueError:
        raise DomainError("records.bad_coverage", value=text) from None


def _check_rows(
    rows: list[Row], people: PeopleIndex, team_scope: str | None
) -> tuple[list[tuple[Volunteer, PolicyInput]], list[RowError]]:
    parsed: list[tuple[Volunteer, PolicyInput]] = []
    errors: list[RowError] = []
    for row in rows:
        entry, row_errors = _parse_row(row, people, team_scope)
        errors += row_errors
        if entry is not None:
            parsed.append(entry)
    return parsed, errors


async def import_insurance(
    db: Database,
    content: bytes,
    filename: str,
    *,
    actor: int | None,
    team_scope: str | None,
    today: date | None = None,  # unused: the importers share one signature
) -> ImportReport:
    report = ImportReport(kind="insurance")
    rows = await read_rows_in_thread(content, filename, COLUMNS)
    if rows and "phone" not in rows[0].values and "name" not in rows[0].values:
        raise DomainError("records.need_person_column", line=rows[0].line - 1)
    people = await PeopleIndex.load(RosterService(db))
    # Pure checks of up to 100,000 rows: in a worker thread, so taps are answered meanwhile.
    parsed, report.errors = await asyncio.to_thread(_check_rows, rows, people, team_scope)
    if report.errors:
        return report
    async with UnitOfWork(db) as uow:
        policies = uow.repo(PolicyRecords)
        for volunteer, policy in parsed:
            outcome = await policies.upsert(volunteer.id, policy)
            setattr(report, outcome, getattr(report, outcome) + 1)
        await uow.audit(
            actor,
            "import_insurance",
            file=filename,
            rows=len(parsed),
            created=report.created,
            updated=report.updated,
        )
    return report
