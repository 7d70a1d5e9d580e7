"""`rescuebot import fitness FILE` and `/import fitness`: one row per person tested.

Columns: date, phone (or name and team), and one column per standards item
(by code or Chinese label); a blank cell is an item not tested. Results of the
same person and day are merged, so a second sheet can add the hike later. A test dated
after today is refused with its line.
"""

from __future__ import annotations

import asyncio
from datetime import date

from common.dates import parse_date
from common.errors import DomainError
from common.past_dates import not_in_future, today_here
from common.tabular import (
    Column,
    ImportReport,
    Row,
    RowChecker,
    RowError,
    read_rows_in_thread,
)
from roster import service as roster_service
from roster.model import Volunteer
from roster.people_index import PeopleIndex
from roster.service import RosterService
from storage.db import Database
from storage.unit_of_work import UnitOfWork
from training.fitness import Standards, default_standards
from training.service import merge_fitness

BASE_COLUMNS = [
    Column("date", ("日期", "测试日期")),
    Column("phone", ("手机", "手机号", "电话"), required=False),
    Column("name", ("姓名",), required=False),
    Column("team", ("队伍", "团队"), required=False),
]


def columns_for(standards: Standards) -> list[Column]:
    items = [
        Column(i.code, (i.label_zh, i.label_en, *i.aliases), required=False)
        for i in standards.items
    ]
    return BASE_COLUMNS + items


async def import_fitness(
    db: Database,
    content: bytes,
    filename: str,
    *,
    actor: int | None,
    team_scope: str | None,
    today: date | None = None,
    standards: Standards | None = None,
) -> ImportReport:
    today = today_here(today)
    standards = standards or default_standards()
    report = ImportReport(kind="fitness")
    rows = await read_rows_in_thread(content, filename, columns_for(standards))
    if rows and not any(code in rows[0].values for code in standards.codes()):
        raise DomainError(
            "fitness.no_item_columns", items=", ".join(standards.codes()), line=rows[0].line - 1
        )
    people = await PeopleIndex.load(RosterService(db))
    # Pure checks of up to 100,000 rows: in a worker thread, so taps are answered meanwhile.
    parsed, report.errors = await asyncio.to_thread(
        _check_rows, rows, people, standards, team_scope, today
    )
    if report.errors:
        return report
    async with UnitOfWork(db) as uow:
        births = await roster_service.birth_dates(uow)
        for (volunteer_id, day), values in parsed.items():
            _, outcome = await merge_fitness(
                uow, standards, volunteer_id, day, values, births.get(volunteer_id)
            )
            setattr(report, outcome, getattr(report, outcome) + 1)
        await uow.audit(actor, "import_fitness", file=filename, tests=len(parsed))
    return report


def _parse_row(
    row: Row, people: PeopleIndex, standards: Standards, team_scope: str | None, today: date
) -> tuple[tuple[Volunteer, date, dict[str, float]] | None, list[RowError]]:
    """The row's person, day and item values, or None and every error on the line."""
    checker = RowChecker(row.line)
    volunteer = checker.check(people.find, row)
    if volunteer is not None and team_scope is not None and volunteer.team_code != team_scope:
        checker.error("records.other_team", name=volunteer.name, team=team_scope)
    day = checker.check(parse_date, row.values.get("date") or "")
    if day is not None:
        day = checker.check(not_in_future, day, today, "future.fitness")
    values: dict[str, float] = {}
    blank = True
    for item in standards.items:
        raw = row.values.get(item.code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        blank = False
        value = checker.check(item.parse, raw)
        if value is not None:
            values[item.code] = value
    if blank:
        checker.error("fitness.no_values", items=", ".join(standards.codes()))
    if checker.errors or volunteer is None or day is None:
        return None, checker.errors
    return (volunteer, day, values), []


def _check_rows(
    rows: list[Row], people: PeopleIndex, standards: Standards, team_scope: str | None, today: date
) -> tuple[dict[tuple[int, date], dict[str, float]], list[RowError]]:
    parsed: dict[tuple[int, date], dict[str, float]] = {}
    errors: list[RowError] = []
    for row in rows:
        entry, row_errors = _parse_row(row, people, standards, team_scope, today)
        errors += row_errors
        if entry is not None:
            volunteer, day, values = entry
            parsed.setdefault((volunteer.id, day), {}).update(values)
    return parsed, errors
