"""Roster files (columns as in the README's roster table): all or nothing, upsert by phone.

Every row is checked before anything is written, and every bad row is
reported with its spreadsheet line, so a leader fixes the whole file in one
go. A clean file is applied in one transaction.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from common.dates import parse_optional_date
from common.errors import DomainError
from common.numbers import plain_int
from common.tabular import Column, ImportReport, Row, RowError, read_rows_in_thread
from common.text import has_control_characters, visible
from roster.import_repository import (
    Reader,
    RosterImportRecords,
    RosterSnapshot,
    skill_rows,
    snapshot,
)
from roster.phones import display_phone, normalise_phone
from roster.taxonomy import ROLE_ALIASES, SKILL_ALIASES
from storage.db import Database, utcnow_iso
from storage.unit_of_work import UnitOfWork

# The first header of each column is the Chinese one the exporter writes.
COLUMNS: list[Column] = [
    Column("team", ("队伍", "队伍代码", "所属队伍")),
    Column("name", ("姓名",)),
    Column("phone", ("手机", "手机号", "电话")),
    Column("role", ("职务", "角色"), required=False),
    Column("skills", ("技能",), required=False),
    Column("telegram_id", ("Telegram ID", "telegram"), required=False),
    Column("insurer", ("保险公司",), required=False),
    Column("policy", ("保单号", "policy_no"), required=False),
    Column("insured_from", ("保险起期",), required=False),
    Column("insured_to", ("保险止期",), required=False),
]

# Names the policy columns in a "fill all four or none" message, per language.
_POLICY_LABELS = {
    "insurer": ("保险公司", "insurer"),
    "policy": ("保单号", "policy"),
    "insured_from": ("保险起期", "insured_from"),
    "insured_to": ("保险止期", "insured_to"),
}

_EXTRA_ROLE_NAMES = {"team leader": "leader", "deputy leader": "deputy", "副队": "deputy"}
_SKILL_SEPARATORS = (";", "；", "、", ",", "，", "\n")  # Excel cells may hold line breaks


@dataclass(frozen=True)
class SkillLookup:
    """Skill names as people type them → skill code (case-insensitive)."""

    by_name: dict[str, str]
    codes: tuple[str, ...]
    labels_zh: tuple[str, ...]

    def find(self, token: str) -> str | None:
        key = token.strip().lower()
        if key in self.by_name:
            return self.by_name[key]
        # "急救/红十字救护员" names one skill twice; accept it when both halves agree.
        parts = {self.by_name.get(p.strip().lower()) for p in key.split("/") if p.strip()}
        if len(parts) == 1 and None not in parts:
            return parts.pop()
        return None


async def skill_lookup(db: Reader) -> SkillLookup:
    # Read the table, not the taxonomy: teams may have added their own skills.
    return lookup_of(await skill_rows(db))


def lookup_of(rows: list[tuple[str, str, str]]) -> SkillLookup:
    labels: dict[str, str] = {}
    for code, label_zh, label_en in rows:
        # A label two skills share names the older one (the taxonomy's, not a team's copy).
        labels.setdefault(str(label_zh).lower(), code)
        labels.setdefault(str(label_en).lower(), code)
    # Codes win over labels, labels over aliases: a code always means itself.
    by_name = {alias.lower(): code for alias, code in SKILL_ALIASES.items()}
    by_name |= labels
    by_name |= {str(r[0]).lower(): r[0] for r in rows}
    return SkillLookup(
        by_name=by_name,
        codes=tuple(r[0] for r in rows),
        labels_zh=tuple(dict.fromkeys(r[1] for r in rows)),
    )


def parse_role(text: str) -> str | None:
    key = text.strip().lower()
    return ROLE_ALIASES.get(key) or _EXTRA_ROLE_NAMES.get(key)


@dataclass(frozen=True)
class _Policy:
    insurer: str
    number: str
    start: date
    end: date


@dataclass
class _Entry:
    line: int
    team: str
    name: str
    phone: str
    role: str | None  # None: the column is absent, keep what the person has
    skills: tuple[str, ...] | None  # None: the column is absent, keep theirs
    telegram_id: int | None  # None: keep (importing never unlinks an account)
    policy: _Policy | None


@dataclass
class _Existing:
    id: int
    team: str
    name: str
    role: str
    telegram_id: int | None


class _Validator:
    def __init__(
        self,
        teams: dict[str, str],
        team_list: str,
        skills: SkillLookup,
        present: set[str],
    ) -> None:
        self.teams = teams
        self.team_list = team_list
        self.skills = skills
        self.present = present
        self.errors: list[RowError] = []

    def error(self, line: int, key: str, **params: Any) -> None:
        self.errors.append(RowError(line, key, params))

    def entry(self, row: Row) -> tuple[_Entry | None, str]:
        """The row's entry (None when it has errors) and its phone ('' when invalid)."""
        before = len(self.errors)
        line = row.line
        team_text = row.text("team")
        team = self.teams.get(team_text.upper()) or self.teams.get(team_text)
        if not team_text:
            self.error(line, "roster_import.missing_team", teams=self.team_list)
        elif team is None:
            self.error(line, "error.unknown_team", value=team_text, teams=self.team_list)
        name = row.text("name")
        if not name:
            self.error(line, "roster_import.missing_name")
        elif has_control_characters(name):
            self.error(line, "error.control_characters", value=visible(name))
        phone = ""
        if not row.text("phone"):
            self.error(line, "roster_import.missing_phone")
        else:
            try:
                phone = normalise_phone(row.values.get("phone"))
            except DomainError as exc:
                self.error(line, exc.key, **exc.params)
        role: str | None = None
        if "role" in self.present:
            role_text = row.text("role")
            role = parse_role(role_text) if role_text else "member"
            if role is None:
                self.error(line, "roster_import.unknown_role", value=role_text)
        skills = self._skills(row) if "skills" in self.present else None
        telegram_id = self._telegram_id(row)
        policy = self._policy(row)
        if len(self.errors) > before or team is None:
            return None, phone
        return _Entry(line, team, name, phone, role, skills, telegram_id, policy), phone

    def _skills(self, row: Row) -> tuple[str, ...]:
        text = row.text("skills")
        for separator in _SKILL_SEPARATORS[1:]:
            text = text.replace(separator, _SKILL_SEPARATORS[0])
        codes: list[str] = []
        for token in (t.strip() for t in text.split(_SKILL_SEPARATORS[0])):
            if not token:
                continue
            code = self.skills.find(token)
            if code is None:
                self.error(
                    row.line,
                    "roster_import.unknown_skill",
                    value=token,
                    labels_zh="、".join(self.skills.labels_zh),
                    codes=", ".join(self.skills.codes),
                )
            elif code not in codes:
                codes.append(code)
        return tuple(codes)

    def _telegram_id(self, row: Row) -> int | None:
        text = row.text("telegram_id")
        if not text:
            return None
        telegram_id = plain_int(text)
        if not telegram_id:
            self.error(row.line, "roster_import.bad_telegram_id", value=text)
            return None
        return telegram_id

    def _policy(self, row: Row) -> _Policy | None:
        filled = {name: row.text(name) for name in _POLICY_LABELS}
        if not any(filled.values()):
            return None
        missing = [name for name, value in filled.items() if not value]
        if missing:
            self.error(
                row.line,
                "roster_import.policy_incomplete",
                missing_zh="、".join(_POLICY_LABELS[m][0] for m in missing),
                missing_en=", ".join(_POLICY_LABELS[m][1] for m in missing),
            )
        start = self._date(row, "insured_from")
        end = self._date(row, "insured_to")
        if start and end and end < start:
            self.error(
                row.line,
                "roster_import.insured_to_before_from",
                start=start.isoformat(),
                end=end.isoformat(),
            )
            return None
        if missing or start is None or end is None:
            return None
        return _Policy(filled["insurer"], filled["policy"], start, end)

    def _date(self, row: Row, name: str) -> date | None:
        try:
            return parse_optional_date(row.values.get(name))
        except DomainError:
            self.error(row.line, f"roster_import.bad_{name}", value=row.text(name))
            return None


async def import_roster(
    db: Database,
    content: bytes,
    filename: str,
    *,
    actor: int | None,
    team_scope: str | None,
    today: date | None = None,  # unused: the importers share one signature
) -> ImportReport:
    """Check every row, then create or update people by phone in one transaction.

    `team_scope`: a leader's own team; rows (or people) of other teams are errors.
    """
    rows = await read_rows_in_thread(content, filename, COLUMNS)
    report = ImportReport(kind="roster")
    # Checking 100,000 rows takes seconds: in a worker thread and outside the write
    # transaction, whose lock every tap needs.
    state = await _State.load(db)
    entries, errors = await asyncio.to_thread(_check, rows, state, team_scope)
    if errors:
        report.errors = errors
        return report
    async with UnitOfWork(db) as uow:
        # Nothing may change between check and write: if the roster did meanwhile (rare),
        # check again against what is there now.
        current = await _State.load(uow.tx)
        if current != state:
            state = current
            entries, errors = await asyncio.to_thread(_check, rows, state, team_scope)
            if errors:
                report.errors = errors
                return report
        await _apply(uow.repo(RosterImportRecords), entries, state, report)
        await uow.audit(
            actor,
            "import_roster",
            file=filename,
            team_scope=team_scope,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return report


@dataclass
class _State:
    """What the database holds now, read once so 263 rows cost a handful of queries."""

    teams: dict[str, str]  # upper-case code or full name → code
    team_list: str
    skills: SkillLookup
    people: dict[str, _Existing]  # by phone
    telegram_holders: dict[int, str]  # telegram id → phone
    skills_of: dict[int, set[str]]
    policies: dict[tuple[int, str, str], tuple[str, str]]  # (id, no, start) → (insurer, end)

    @classmethod
    async def load(cls, reader: Reader) -> _State:
        return cls.of(await snapshot(reader))

    @classmethod
    def of(cls, held: RosterSnapshot) -> _State:
        teams: dict[str, str] = {}
        for code, name in held.teams:
            teams[str(code).upper()] = code
            teams[str(name)] = code
        people: dict[str, _Existing] = {}
        holders: dict[int, str] = {}
        for r in held.people:
            people[r["phone"]] = _Existing(
                r["id"], r["team_code"], r["name"], r["role"], r["telegram_id"]
            )
            if r["telegram_id"] is not None:
                holders[int(r["telegram_id"])] = r["phone"]
        skills_of: dict[int, set[str]] = {}
        for volunteer_id, code in held.skills_held:
            skills_of.setdefault(volunteer_id, set()).add(code)
        return cls(
            teams=teams,
            team_list=", ".join(code for code, _ in held.teams),
            skills=lookup_of(held.skills),
            people=people,
            telegram_holders=holders,
            skills_of=skills_of,
            policies={(r[0], r[1], r[2]): (r[3], r[4]) for r in held.policies},
        )


def _check(
    rows: list[Row], state: _State, team_scope: str | None
) -> tuple[list[_Entry], list[RowError]]:
    present = set(rows[0].values) if rows else set()
    validator = _Validator(state.teams, state.team_list, state.skills, present)
    entries = _valid_entries(rows, state, team_scope, validator)
    _check_account_moves(entries, state, validator)
    return entries, sorted(validator.errors, key=lambda e: e.line)


def _valid_entries(
    rows: list[Row], state: _State, team_scope: str | None, validator: _Validator
) -> list[_Entry]:
    """Each row checked on its own, against the rows before it (duplicates) and the scope."""
    entries: list[_Entry] = []
    phone_lines: dict[str, int] = {}
    telegram_lines: dict[int, int] = {}
    for row in rows:
        entry, phone = validator.entry(row)
        # Duplicates are checked on bad rows too, so one pass reports everything.
        first = phone_lines.setdefault(phone, row.line) if phone else row.line
        if first != row.line:
            validator.error(
                row.line,
                "roster_import.duplicate_phone",
                phone=display_phone(phone),
                other_line=first,
            )
            continue
        if entry is None:
            continue
        if entry.telegram_id is not None:
            other = telegram_lines.setdefault(entry.telegram_id, entry.line)
            if other != entry.line:
                validator.error(
                    entry.line,
                    "roster_import.duplicate_telegram_id",
                    value=entry.telegram_id,
                    other_line=other,
                )
                continue
        if team_scope is None or _in_scope(entry, state, team_scope, validator):
            entries.append(entry)
    return entries


def _in_scope(entry: _Entry, state: _State, team_scope: str, validator: _Validator) -> bool:
    """A leader's file names only their own team, and only people already in it (or new)."""
    known = state.people.get(entry.phone)
    if entry.team != team_scope:
        validator.error(entry.line, "roster_import.other_team", team=entry.team, scope=team_scope)
        return False
    if known is not None and known.team != team_scope:
        validator.error(
            entry.line, "roster_import.other_team_person", team=known.team, scope=team_scope
        )
        return False
    return True


def _check_account_moves(entries: list[_Entry], state: _State, validator: _Validator) -> None:
    """An account may move to this row only if its current holder lets go of it in the same
    file (their own row names another account)."""
    named = {e.phone: e.telegram_id for e in entries if e.telegram_id is not None}
    for entry in entries:
        if entry.telegram_id is None:
            continue
        holder = state.telegram_holders.get(entry.telegram_id)
        if holder is None or holder == entry.phone:
            continue
        if named.get(holder) in (None, entry.telegram_id):
            validator.error(
                entry.line,
                "roster_import.telegram_taken",
                value=entry.telegram_id,
                team=state.people[holder].team,
            )


@dataclass
class _Changes:
    """The batched writes of a checked file, and what they do to the report."""

    updates: list[tuple[object, ...]] = field(default_factory=list)
    skills_gone: list[tuple[int, str]] = field(default_factory=list)
    skills_added: list[tuple[int, str]] = field(default_factory=list)
    policies: list[tuple[object, ...]] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


async def _apply(
    records: RosterImportRecords, entries: list[_Entry], state: _State, report: ImportReport
) -> None:
    """Write the checked rows, in the caller's unit of work."""
    now = utcnow_iso()
    moving = [
        (known.id,)
        for entry in entries
        if (known := state.people.get(entry.phone)) is not None
        and known.telegram_id is not None
        and entry.telegram_id not in (None, known.telegram_id)
    ]
    await records.free_accounts(moving)
    new = [e for e in entries if e.phone not in state.people]
    ids = {phone: known.id for phone, known in state.people.items()}
    if new:
        ids = await records.add_people(
            [(e.team, e.name, e.phone, e.role or "member", e.telegram_id, now, now) for e in new]
        )
    report.created = len(new)
    changes = _Changes()
    for entry in entries:
        _plan_entry(entry, ids[entry.phone], state, now, changes)
    report.updated, report.unchanged = changes.updated, changes.unchanged
    await records.update_people(changes.updates)
    await records.change_skills(changes.skills_gone, changes.skills_added)
    await records.upsert_policies(changes.policies)


def _plan_entry(
    entry: _Entry, volunteer_id: int, state: _State, now: str, changes: _Changes
) -> None:
    """What one checked row changes (pure): person, skills (the difference), policy."""
    known = state.people.get(entry.phone)
    changed = False
    if known is not None:
        role = entry.role or known.role
        telegram_id = entry.telegram_id or known.telegram_id
        if (entry.team, entry.name, role, telegram_id) != (
            known.team,
            known.name,
            known.role,
            known.telegram_id,
        ):
            changed = True
            changes.updates.append((entry.team, entry.name, role, telegram_id, now, volunteer_id))
    if entry.skills is not None:
        held = state.skills_of.get(volunteer_id, set())
        # Skills kept keep their certificate dates; only the difference is written.
        gone = [(volunteer_id, s) for s in sorted(held - set(entry.skills))]
        added = [(volunteer_id, s) for s in entry.skills if s not in held]
        changed = changed or bool(gone or added)
        changes.skills_gone += gone
        changes.skills_added += added
    if entry.policy is not None:
        policy = entry.policy
        start, end = policy.start.isoformat(), policy.end.isoformat()
        if state.policies.get((volunteer_id, policy.number, start)) != (policy.insurer, end):
            changed = True
            changes.policies.append((volunteer_id, policy.insurer, policy.number, start, end))
    if known is not None:
        if changed:
            changes.updated += 1
        else:
            changes.unchanged += 1
