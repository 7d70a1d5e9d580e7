"""`rescuebot import training FILE` and `/import training`.

One row per attendee; rows with the same team, date and title are one
session. A row without name and phone records a session nobody is listed for
yet. All or nothing, every bad row reported by its line number; a session dated after
today is refused.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

from common.dates import parse_date
from common.past_dates import not_in_future, today_here
from common.tabular import (
    Column,
    ImportReport,
    Row,
    RowChecker,
    RowError,
    read_rows_in_thread,
)
from roster.people_index import PeopleIndex
from roster.service import RosterService
from storage.db import Database
from storage.unit_of_work import UnitOfWork
from training.model import parse_hours, parse_kind, parse_title
from training.repository import SessionRecords

COLUMNS = [
    Column("date", ("日期", "培训日期")),
    Column("team", ("队伍", "团队")),
    Column("title", ("培训内容", "标题", "名称", "课程")),
    Column("kind", ("类别", "类型", "type"), required=False),
    Column("hours", ("学时", "时长", "小时")),
    Column("name", ("姓名", "参训人员"), required=False),
    Column("phone", ("手机", "手机号", "电话"), required=False),
]


@dataclass
class _Session:
    team_code: str
    day: date
    title: str
    kind: str
    hours: float
    first_line: int
    attendees: set[int] = field(default_factory=set)


async def import_training(
    db: Database,
    content: bytes,
    filename: str,
    *,
    actor: int | None,
    team_scope: str | None,
    today: date | None = None,
) -> ImportReport:
    report = ImportReport(kind="training")
    today = today_here(today)
    rows = await read_rows_in_thread(content, filename, COLUMNS)
    people = await PeopleIndex.load(RosterService(db))
    # Pure checks of up to 100,000 rows: in a worker thread, so taps are answered meanwhile.
    sessions, report.errors = await asyncio.to_thread(_check_rows, rows, people, team_scope, today)
    if report.errors:
        return report
    async with UnitOfWork(db) as uow:
        records = uow.repo(SessionRecords)
        for s in sessions.values():
            outcome = await records.merge(
                s.team_code, s.day, s.title, s.kind, s.hours, s.attendees, actor
            )
            setattr(report, outcome, getattr(report, outcome) + 1)
        await uow.audit(
            actor, "import_training", file=filename, sessions=len(sessions), rows=len(rows)
        )
    return report


def _check_rows(
    rows: list[Row], people: PeopleIndex, team_scope: str | None, today: date
) -> tuple[dict[tuple[str, date, str], _Session], list[RowError]]:
    sessions: dict[tuple[str, date, str], _Session] = {}
    errors: list[RowError] = []
    for row in rows:
        errors += _add_row(row, people, sessions, team_scope, today)
    return sessions, errors


def _add_row(
    row: Row,
    people: PeopleIndex,
    sessions: dict[tuple[str, date, str], _Session],
    team_scope: str | None,
    today: date,
) -> list[RowError]:
    """Adds the row to its session; returns every error on the line (nothing added then)."""
    checker = RowChecker(row.line)
    day = checker.check(parse_date, row.values.get("date") or "")
    if day is not None:
        day = checker.check(not_in_future, day, today, "training.future")
    team = checker.check(people.team, row.text("team"))
    if team is not None and team_scope is not None and team.code != team_scope:
        checker.error("records.other_team_session", team=team.code, own=team_scope)
    title = checker.check(parse_title, row.text("title"))
    kind = checker.check(parse_kind, row.text("kind"))
    hours = checker.check(parse_hours, row.values.get("hours"))
    attendee = None
    # Names are looked up within the session's team (a missing team is reported above);
    # a phone finds anyone.
    if row.text("phone") or (row.text("name") and team is not None):
        person_row = Row(row.line, {**row.values, "team": team.code if team else ""})
        attendee = checker.check(people.find, person_row)
        if attendee is not None and team_scope is not None and attendee.team_code != team_scope:
            # A leader's file credits only their own team's people (as for the other imports).
            checker.error("records.other_team", name=attendee.name, team=team_scope)
    if checker.errors or day is None or team is None or title is None:
        return checker.errors
    assert kind is not None and hours is not None
    key = (team.code, day, title)
    session = sessions.get(key)
    if session is None:
        session = sessions[key] = _Session(team.code, day, title, kind, hours, row.line)
    elif (session.kind, session.hours) != (kind, hours):
        checker.error("training.inconsistent", line=session.first_line, title=title)
        return checker.errors
    if attendee is not None:
        session.attendees.add(attendee.id)
    return []
