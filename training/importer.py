"""`rescuebot import training FILE` and `/import training`.

One row per attendee; rows with the same team, date and title are one
session. A row without name and phone records a session nobody is listed for
yet. All or nothing, every bad row reported by its line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from common.dates import parse_date
from common.errors import DomainError
from common.tabular import Column, ImportReport, Row, RowError, read_rows
from storage.db import Database, audit_in
from training.model import parse_hours, parse_kind
from training.people import PeopleIndex

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
) -> ImportReport:
    report = ImportReport(kind="training")
    rows = read_rows(content, filename, COLUMNS)
    people = await PeopleIndex.load(db)
    sessions: dict[tuple[str, date, str], _Session] = {}
    for row in rows:
        try:
            _add_row(row, people, sessions, team_scope)
        except DomainError as error:
            report.errors.append(RowError(row.line, error.key, error.params))
    if report.errors:
        return report
    async with db.transaction() as conn:
        for s in sessions.values():
            async with conn.execute(
                "SELECT id, kind, hours FROM training_sessions "
                "WHERE team_code = ? AND date = ? AND title = ?",
                (s.team_code, s.day.isoformat(), s.title),
            ) as cur:
                existing = await cur.fetchone()
            changed = False
            if existing is None:
                cur2 = await conn.execute(
                    "INSERT INTO training_sessions (team_code, date, title, kind, hours, "
                    "created_by) VALUES (?,?,?,?,?,?)",
                    (s.team_code, s.day.isoformat(), s.title, s.kind, s.hours, actor),
                )
                session_id = int(cur2.lastrowid or 0)
            else:
                session_id = int(existing[0])
                if (existing[1], existing[2]) != (s.kind, s.hours):
                    await conn.execute(
                        "UPDATE training_sessions SET kind = ?, hours = ? WHERE id = ?",
                        (s.kind, s.hours, session_id),
                    )
                    changed = True
            for volunteer_id in sorted(s.attendees):
                cur3 = await conn.execute(
                    "INSERT INTO training_attendance (session_id, volunteer_id) VALUES (?,?) "
                    "ON CONFLICT DO NOTHING",
                    (session_id, volunteer_id),
                )
                changed = changed or (cur3.rowcount or 0) > 0
            if existing is None:
                report.created += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
        await audit_in(
            conn, actor, "import_training", file=filename, sessions=len(sessions), rows=len(rows)
        )
    return report


def _add_row(
    row: Row,
    people: PeopleIndex,
    sessions: dict[tuple[str, date, str], _Session],
    team_scope: str | None,
) -> None:
    day = parse_date(row.values.get("date") or "")
    team = people.team(row.text("team"))
    if team_scope is not None and team.code != team_scope:
        raise DomainError("records.other_team_session", team=team.code, own=team_scope)
    title = row.text("title")
    if not title:
        raise DomainError("training.no_title")
    kind = parse_kind(row.text("kind"))
    hours = parse_hours(row.values.get("hours"))
    key = (team.code, day, title)
    session = sessions.get(key)
    if session is None:
        session = sessions[key] = _Session(team.code, day, title, kind, hours, row.line)
    elif (session.kind, session.hours) != (kind, hours):
        raise DomainError("training.inconsistent", line=session.first_line, title=title)
    if row.text("phone") or row.text("name"):
        # Names are looked up within the session's team; a phone finds anyone.
        if not row.text("phone") and not row.text("team"):
            raise DomainError("records.no_person")
        person_row = Row(row.line, {**row.values, "team": team.code})
        person = people.find(person_row)
        if team_scope is not None and person.team_code != team_scope:
            # A leader's file credits only their own team's people (as for the other imports).
            raise DomainError("records.other_team", name=person.name, team=team_scope)
        session.attendees.add(person.id)
