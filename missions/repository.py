"""Callout, response and mission storage. Each write is one transaction with its audit entry."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import iso, iso_precise, parse_iso
from common.dates import parse_optional_date
from missions.busy_repository import confirmed_elsewhere
from missions.incident import Responder
from missions.model import (
    CalloutRequest,
    Exclusion,
    GeoPoint,
    Headcount,
    MissionEntry,
    Readiness,
    Response,
    State,
    Status,
    TapOutcome,
    next_status,
)
from missions.places import Candidate, Places
from missions.quota_headcount import QuotaHeadcount
from roster.model import Volunteer
from storage.batched_transactions import BatchedTransactions
from storage.db import Database, Row, audit_in, audit_sync


def _when(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


@dataclass
class Callout:
    id: int
    type: str
    teams: tuple[str, ...]
    skills: tuple[str, ...]
    needed: int
    location: str
    description: str
    point: GeoPoint | None
    require_fitness: bool
    called_by: int
    board_chat_id: int | None
    board_message_id: int | None
    status: Status
    created_at: datetime
    filled_at: datetime | None
    ended_at: datetime | None
    escalation_stage: int
    escalate_at: datetime | None
    cancel_reason: str | None
    # Incident operations: the callout's own safety-check interval (None: the setting),
    # the next round, and the return phase after /close.
    check_minutes: float | None = None
    next_check_at: datetime | None = None
    return_started_at: datetime | None = None
    return_stage: int = 0
    return_done_at: datetime | None = None
    # Several teams (missions/places.py): places per team and per skill; empty: one headcount.
    quotas: dict[str, int] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)
    # Teams that joined through the duplicate guard: team → {"by", "place", "needed"}.
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_update_at: datetime | None = None  # the last /update to the responders
    escalation_muted: bool = False  # coordinators muted the repeated alerts

    @property
    def original_teams(self) -> tuple[str, ...]:
        """The caller's own teams (those not added as a joined part)."""
        return tuple(c for c in self.teams if c not in self.parts)

    @property
    def places(self) -> Places:
        return Places(self.needed, self.quotas, self.slots)

    @property
    def returning(self) -> bool:
        """Closed, and not everyone is home safe yet."""
        return self.return_started_at is not None and self.return_done_at is None

    @classmethod
    def from_row(cls, row: Row) -> Callout:
        point = None
        if row["latitude"] is not None and row["longitude"] is not None:
            point = GeoPoint(float(row["latitude"]), float(row["longitude"]))
        return cls(
            id=row["id"],
            type=row["type"],
            teams=tuple(json.loads(row["teams"])),
            skills=tuple(json.loads(row["skills"])),
            needed=row["needed"],
            location=row["location"],
            description=row["description"],
            point=point,
            require_fitness=bool(row["require_fitness"]),
            called_by=row["called_by"],
            board_chat_id=row["board_chat_id"],
            board_message_id=row["board_message_id"],
            status=Status(row["status"]),
            created_at=parse_iso(row["created_at"]),
            filled_at=_when(row["filled_at"]),
            ended_at=_when(row["ended_at"]),
            escalation_stage=row["escalation_stage"],
            escalate_at=_when(row["escalate_at"]),
            cancel_reason=row["cancel_reason"],
            check_minutes=row["check_minutes"],
            next_check_at=_when(row["next_check_at"]),
            return_started_at=_when(row["return_started_at"]),
            return_stage=row["return_stage"],
            return_done_at=_when(row["return_done_at"]),
            quotas=json.loads(row["quotas"]),
            slots=json.loads(row["slots"]),
            parts=json.loads(row["parts"]),
            last_update_at=_when(row["last_update_at"]),
            escalation_muted=bool(row["escalation_muted"]),
        )


@dataclass
class PagedPerson:
    """A response row with what the board and the notices need about the person."""

    volunteer_id: int
    name: str
    phone: str
    team_code: str
    telegram_id: int | None
    language: str | None
    state: State
    eta_minutes: int | None
    reason: str | None
    chat_id: int | None
    message_id: int | None
    answered_at: datetime | None
    confirmed_at: datetime | None
    on_scene_at: datetime | None = None
    home_safe_at: datetime | None = None
    need_help_at: datetime | None = None
    recorded_by: int | None = None
    position: GeoPoint | None = None
    position_at: datetime | None = None
    slot_skills: frozenset[str] = frozenset()

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.volunteer_id, self.team_code, self.slot_skills)

    @property
    def participant(self) -> bool:
        """Confirmed, or on scene (a standby volunteer who turned up anyway)."""
        return self.state is State.AVAILABLE or self.on_scene_at is not None


@dataclass
class LeftOut:
    volunteer_id: int
    name: str
    phone: str
    team_code: str
    reason: str
    detail: str


@dataclass
class TapResult:
    """`kind`: ok, not_paged (someone else's button), ended, unknown (no such callout)."""

    kind: str
    outcome: TapOutcome | None = None
    callout: Callout | None = None
    person: PagedPerson | None = None
    other: int | None = None  # kind "busy": the open callout the tapper is confirmed on


@dataclass
class Mission:
    id: int
    callout_id: int | None
    type: str
    teams: tuple[str, ...]
    started_at: datetime
    ended_at: datetime
    location: str
    rescued: int
    notes: str
    participants: dict[int, float]
    outcome: str = ""


@dataclass
class Draft:
    id: int
    telegram_id: int
    step: str
    data: dict[str, Any]
    updated_at: datetime


_PERSON_SQL = (
    "SELECT r.*, r.latitude AS pos_lat, r.longitude AS pos_lon, "
    "v.name, v.phone, v.team_code, v.telegram_id FROM responses r "
    "JOIN volunteers v ON v.id = r.volunteer_id WHERE r.callout_id = ?"
)


# The callout, the tapper's response (NULLs if not paged) and the others confirmed.
_TAP_SQL = (
    "SELECT c.*, r.volunteer_id, r.state, r.eta_minutes, r.reason, r.chat_id, r.message_id, "
    "r.answered_at, r.confirmed_at, r.language, r.on_scene_at, r.home_safe_at, r.need_help_at, "
    "r.recorded_by, r.latitude AS pos_lat, r.longitude AS pos_lon, r.position_at, r.slot_skills, "
    "v.name, v.phone, v.team_code, v.telegram_id, "
    "(SELECT COUNT(*) FROM responses o WHERE o.callout_id = c.id AND o.state = 'available' "
    "AND o.volunteer_id != r.volunteer_id) AS others_confirmed "
    "FROM callouts c LEFT JOIN volunteers v ON v.telegram_id = ? "
    "LEFT JOIN responses r ON r.callout_id = c.id AND r.volunteer_id = v.id WHERE c.id = ?"
)


def _person(row: Row) -> PagedPerson:
    return PagedPerson(
        volunteer_id=row["volunteer_id"],
        name=row["name"],
        phone=row["phone"],
        team_code=row["team_code"],
        telegram_id=row["telegram_id"],
        language=row["language"],
        state=State(row["state"]),
        eta_minutes=row["eta_minutes"],
        reason=row["reason"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        answered_at=_when(row["answered_at"]),
        confirmed_at=_when(row["confirmed_at"]),
        on_scene_at=_when(row["on_scene_at"]),
        home_safe_at=_when(row["home_safe_at"]),
        need_help_at=_when(row["need_help_at"]),
        recorded_by=row["recorded_by"],
        position=(
            GeoPoint(float(row["pos_lat"]), float(row["pos_lon"]))
            if row["pos_lat"] is not None and row["pos_lon"] is not None
            else None
        ),
        position_at=_when(row["position_at"]),
        slot_skills=(
            frozenset(json.loads(row["slot_skills"]))
            if "slot_skills" in row.keys()  # noqa: SIM118 (`in` on a Row looks at values)
            else frozenset()
        ),
    )


def _draft(row: Row) -> Draft:
    return Draft(
        row["id"],
        row["telegram_id"],
        row["step"],
        json.loads(row["data"]),
        parse_iso(row["updated_at"]),
    )


def _tapper(
    conn: sqlite3.Connection, callout_id: int, telegram_id: int
) -> TapResult | tuple[Callout, PagedPerson, int]:
    """One read for the callout, the tapper's page and how many others are confirmed;
    or the answer when there is nothing to apply (unknown, not paged, ended)."""
    row = conn.execute(_TAP_SQL, (telegram_id, callout_id)).fetchone()
    if row is None:
        return TapResult("unknown")
    callout = Callout.from_row(row)
    if row["volunteer_id"] is None:
        audit_sync(conn, telegram_id, "tap_refused", callout_id=callout_id)
        return TapResult("not_paged", callout=callout)
    me = _person(row)
    if callout.status.ended:
        return TapResult("ended", callout=callout, person=me)
    if me.team_code not in callout.teams:
        # Their team's part of the callout was cancelled (missions/parts_repository.py).
        return TapResult("part_cancelled", callout=callout, person=me)
    return callout, me, int(row["others_confirmed"])


def _apply_eta(
    conn: sqlite3.Connection, callout_id: int, telegram_id: int, minutes: int
) -> TapResult:
    """`CalloutRepository.set_eta`'s transaction, run in the database thread."""
    found = _tapper(conn, callout_id, telegram_id)
    if isinstance(found, TapResult):
        return found
    callout, me, _ = found
    if me.state not in (State.AVAILABLE, State.STANDBY):
        return TapResult("ok", TapOutcome(me.state, changed=False), callout, me)
    changed = me.eta_minutes != minutes
    if changed:
        conn.execute(
            "UPDATE responses SET eta_minutes = ? WHERE callout_id = ? AND volunteer_id = ?",
            (minutes, callout_id, me.volunteer_id),
        )
        me.eta_minutes = minutes
        audit_sync(
            conn,
            telegram_id,
            "tap",
            callout_id=callout_id,
            volunteer_id=me.volunteer_id,
            answer="eta",
            eta=minutes,
        )
    return TapResult("ok", TapOutcome(me.state, changed=changed), callout, me)


def _apply_tap(
    conn: sqlite3.Connection,
    callout_id: int,
    telegram_id: int,
    available: bool,
    now: datetime,
    allow_busy: bool = False,
) -> TapResult:
    """`CalloutRepository.tap`'s transaction, run in the database thread; the rule is
    `Headcount`'s."""
    found = _tapper(conn, callout_id, telegram_id)
    if isinstance(found, TapResult):
        return found
    callout, me, others_confirmed = found
    if me.on_scene_at is not None:
        # Someone already on scene answers with the safety checks and Home safe; an old
        # Available/Unavailable button must not take them off the list.
        return TapResult("ok", TapOutcome(me.state, changed=False), callout, me)
    if available and not allow_busy and me.state not in (State.AVAILABLE, State.STANDBY):
        # One person, one incident: confirmed elsewhere, they are asked to choose first.
        other = confirmed_elsewhere(conn, me.volunteer_id, callout_id)
        if other is not None:
            return TapResult("busy", callout=callout, person=me, other=other)
    return apply_answer(
        conn, callout, me, others_confirmed, available, now, actor=telegram_id, by=None
    )


def apply_answer(
    conn: sqlite3.Connection,
    callout: Callout,
    me: PagedPerson,
    others_confirmed: int,
    available: bool,
    now: datetime,
    *,
    actor: int,
    by: int | None,
) -> TapResult:
    """Available/Unavailable for `me` by the headcount rule, with the audit entry; `by` is
    the leader who recorded a phone answer (None: the volunteer tapped)."""
    callout_id = callout.id
    if not callout.places.plain:
        return _apply_placed_answer(conn, callout, me, available, now, actor=actor, by=by)
    # The headcount needs how many others are confirmed and, when a confirmed volunteer
    # withdraws, the first standby: a tap costs the same however many people were paged.
    responses = {
        me.volunteer_id: Response(
            me.volunteer_id, me.state, me.answered_at, me.confirmed_at, me.eta_minutes
        )
    }
    if not available and me.state is State.AVAILABLE:
        first = conn.execute(
            "SELECT volunteer_id, state, answered_at, confirmed_at, eta_minutes "
            "FROM responses WHERE callout_id = ? AND state = 'standby' "
            "ORDER BY answered_at, volunteer_id LIMIT 1",
            (callout_id,),
        ).fetchone()
        if first is not None:
            responses[first[0]] = Response(
                first[0], State(first[1]), _when(first[2]), _when(first[3]), first[4]
            )
    count = Headcount(callout.needed, responses, others_confirmed=others_confirmed)
    outcome = count.answer(me.volunteer_id, available, now)
    return _store_answer(conn, callout, me, count, outcome, available, now, actor=actor, by=by)


def _apply_placed_answer(
    conn: sqlite3.Connection,
    callout: Callout,
    me: PagedPerson,
    available: bool,
    now: datetime,
    *,
    actor: int,
    by: int | None,
) -> TapResult:
    """The same with quotas or slots: who holds which place needs everyone confirmed and
    on standby (with their team and slot skills), read in the same transaction."""
    rows = conn.execute(
        "SELECT r.volunteer_id, r.state, r.answered_at, r.confirmed_at, r.eta_minutes, "
        "v.team_code, r.slot_skills FROM responses r JOIN volunteers v ON v.id = r.volunteer_id "
        "WHERE r.callout_id = ? AND (r.state IN ('available','standby') OR r.volunteer_id = ?)",
        (callout.id, me.volunteer_id),
    ).fetchall()
    responses: dict[int, Response] = {}
    people: dict[int, Candidate] = {}
    for r in rows:
        responses[r[0]] = Response(r[0], State(r[1]), _when(r[2]), _when(r[3]), r[4])
        people[r[0]] = Candidate(r[0], r[5], frozenset(json.loads(r[6])))
    count = QuotaHeadcount(callout.needed, responses, places=callout.places, people=people)
    outcome = count.answer(me.volunteer_id, available, now)
    return _store_answer(conn, callout, me, count, outcome, available, now, actor=actor, by=by)


def _store_answer(
    conn: sqlite3.Connection,
    callout: Callout,
    me: PagedPerson,
    count: Headcount | QuotaHeadcount,
    outcome: TapOutcome,
    available: bool,
    now: datetime,
    *,
    actor: int,
    by: int | None,
) -> TapResult:
    callout_id = callout.id
    if not outcome.changed:
        return TapResult("ok", outcome=outcome, callout=callout, person=me)
    touched = (
        {me.volunteer_id}
        | ({outcome.promoted} if outcome.promoted else set())
        | set(outcome.also_promoted)
    )
    for volunteer_id in touched:
        r = count.responses[volunteer_id]
        conn.execute(
            "UPDATE responses SET state = ?, answered_at = ?, confirmed_at = ?, "
            "eta_minutes = ? WHERE callout_id = ? AND volunteer_id = ?",
            (
                r.state.value,
                iso(r.answered_at) if r.answered_at else None,
                iso(r.confirmed_at) if r.confirmed_at else None,
                r.eta_minutes,
                callout_id,
                volunteer_id,
            ),
        )
    if by is not None:
        conn.execute(
            "UPDATE responses SET recorded_by = ? WHERE callout_id = ? AND volunteer_id = ?",
            (by, callout_id, me.volunteer_id),
        )
    status = next_status(callout.status, count.filled)
    if status != callout.status:
        conn.execute(
            "UPDATE callouts SET status = ?, filled_at = ? WHERE id = ?",
            (status.value, iso(now) if status is Status.FILLED else None, callout_id),
        )
        callout.status = status
    me.state = outcome.state
    me.answered_at = count.responses[me.volunteer_id].answered_at
    me.confirmed_at = count.responses[me.volunteer_id].confirmed_at
    me.eta_minutes = count.responses[me.volunteer_id].eta_minutes
    audit_sync(
        conn,
        actor,
        "tap" if by is None else "mark",
        callout_id=callout_id,
        volunteer_id=me.volunteer_id,
        answer="available" if available else "unavailable",
        state=outcome.state.value,
        promoted=outcome.promoted,
        **({"by": "leader"} if by is not None else {}),
    )
    return TapResult("ok", outcome=outcome, callout=callout, person=me)


def year_bounds(year: int, tz: ZoneInfo) -> tuple[str, str]:
    """The local calendar year as a half-open UTC ISO range (the year boundary is local)."""
    start = datetime.combine(date(year, 1, 1), time(0), tz)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tz)
    return iso(start), iso(end)


class CalloutRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- who can be paged ------------------------------------------------------------
    async def readiness(self, volunteer_ids: list[int], day: date) -> dict[int, Readiness]:
        if not volunteer_ids:
            return {}
        marks = ",".join("?" * len(volunteer_ids))
        insured = {
            int(r[0])
            for r in await self.db.fetchall(
                f"SELECT DISTINCT volunteer_id FROM insurance_policies WHERE volunteer_id IN "
                f"({marks}) AND start_date <= ? AND end_date >= ?",
                (*volunteer_ids, day.isoformat(), day.isoformat()),
            )
        }
        fitness = {
            int(r[0]): parse_optional_date(r[1])
            for r in await self.db.fetchall(
                f"SELECT volunteer_id, MAX(date) FROM fitness_tests WHERE passed = 1 AND "
                f"volunteer_id IN ({marks}) AND date <= ? GROUP BY volunteer_id",
                (*volunteer_ids, day.isoformat()),
            )
        }
        return {i: Readiness(i in insured, fitness.get(i)) for i in volunteer_ids}

    async def languages(self, volunteer_ids: list[int]) -> dict[int, str | None]:
        if not volunteer_ids:
            return {}
        marks = ",".join("?" * len(volunteer_ids))
        rows = await self.db.fetchall(
            f"SELECT v.id, COALESCE(ul.language, v.language, tl.language) FROM volunteers v "
            f"LEFT JOIN user_languages ul ON ul.telegram_id = v.telegram_id "
            f"LEFT JOIN telegram_languages tl ON tl.telegram_id = v.telegram_id "
            f"WHERE v.id IN ({marks})",
            volunteer_ids,
        )
        return {int(r[0]): r[1] for r in rows}

    # --- callouts -------------------------------------------------------------------------
    async def create(
        self,
        request: CalloutRequest,
        *,
        teams: tuple[str, ...],
        require_fitness: bool,
        point: GeoPoint | None,
        called_by: int,
        now: datetime,
        escalate_at: datetime | None,
        paged: list[Volunteer],
        languages: dict[int, str],
        left_out: list[Exclusion],
        quotas: dict[str, int] | None = None,
        slot_skills: dict[int, list[str]] | None = None,
    ) -> int:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO callouts (type, teams, skills, needed, location, latitude, longitude, "
                "description, require_fitness, called_by, status, created_at, escalate_at, "
                "quotas, slots) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    request.type,
                    json.dumps(list(teams)),
                    json.dumps(list(request.skills)),
                    request.needed,
                    request.location,
                    point.latitude if point else None,
                    point.longitude if point else None,
                    request.description,
                    int(require_fitness),
                    called_by,
                    Status.OPEN.value,
                    iso(now),
                    iso(escalate_at) if escalate_at else None,
                    json.dumps(quotas or {}),
                    json.dumps(request.slots),
                ),
            )
            callout_id = int(cur.lastrowid or 0)
            await self._add_pages(conn, callout_id, paged, languages, left_out, now, slot_skills)
            await audit_in(
                conn,
                called_by,
                "callout",
                callout_id=callout_id,
                type=request.type,
                teams=list(teams),
                needed=request.needed,
                paged=len(paged),
                left_out=len(left_out),
            )
        return callout_id

    @staticmethod
    async def _add_pages(
        conn: Any,
        callout_id: int,
        paged: list[Volunteer],
        languages: dict[int, str],
        left_out: list[Exclusion],
        now: datetime,
        slot_skills: dict[int, list[str]] | None = None,
    ) -> None:
        held = slot_skills or {}
        await conn.executemany(
            "INSERT INTO responses (callout_id, volunteer_id, state, paged_at, language, "
            "slot_skills) VALUES (?,?,?,?,?,?)",
            [
                (
                    callout_id,
                    v.id,
                    State.PAGED.value,
                    iso(now),
                    languages[v.id],
                    json.dumps(held.get(v.id, [])),
                )
                for v in paged
            ],
        )
        await conn.executemany(
            "INSERT INTO callout_exclusions (callout_id, volunteer_id, reason, detail) "
            "VALUES (?,?,?,?) ON CONFLICT(callout_id, volunteer_id) DO UPDATE SET "
            "reason = excluded.reason, detail = excluded.detail",
            [(callout_id, e.volunteer_id, e.reason.value, e.detail) for e in left_out],
        )
        if paged:
            # Someone left out earlier (e.g. not insured then) but paged now is no longer left out.
            marks = ",".join("?" * len(paged))
            await conn.execute(
                f"DELETE FROM callout_exclusions WHERE callout_id = ? "
                f"AND volunteer_id IN ({marks})",
                (callout_id, *[v.id for v in paged]),
            )

    async def widen(
        self,
        callout_id: int,
        *,
        teams: tuple[str, ...],
        actor: int,
        now: datetime,
        paged: list[Volunteer],
        languages: dict[int, str],
        left_out: list[Exclusion],
        slot_skills: dict[int, list[str]] | None = None,
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE callouts SET teams = ? WHERE id = ?", (json.dumps(list(teams)), callout_id)
            )
            await self._add_pages(conn, callout_id, paged, languages, left_out, now, slot_skills)
            await audit_in(
                conn, actor, "widen", callout_id=callout_id, teams=list(teams), paged=len(paged)
            )

    async def get(self, callout_id: int) -> Callout | None:
        row = await self.db.fetchone("SELECT * FROM callouts WHERE id = ?", (callout_id,))
        return Callout.from_row(row) if row else None

    async def live(self) -> list[Callout]:
        """Open and filled callouts (not yet closed or cancelled), oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM callouts WHERE status IN ('open','filled') ORDER BY id"
        )
        return [Callout.from_row(r) for r in rows]

    async def set_board(self, callout_id: int, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE callouts SET board_chat_id = ?, board_message_id = ? WHERE id = ?",
            (chat_id, message_id, callout_id),
        )

    async def people(self, callout_id: int) -> list[PagedPerson]:
        rows = await self.db.fetchall(_PERSON_SQL + " ORDER BY v.team_code, v.id", (callout_id,))
        return [_person(r) for r in rows]

    async def people_by_ids(self, callout_id: int, ids: list[int]) -> dict[int, PagedPerson]:
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(
            _PERSON_SQL + f" AND r.volunteer_id IN ({marks})", (callout_id, *ids)
        )
        return {r["volunteer_id"]: _person(r) for r in rows}

    async def left_out(self, callout_id: int) -> list[LeftOut]:
        rows = await self.db.fetchall(
            "SELECT e.volunteer_id, v.name, v.phone, v.team_code, e.reason, e.detail "
            "FROM callout_exclusions e JOIN volunteers v ON v.id = e.volunteer_id "
            "WHERE e.callout_id = ? ORDER BY v.team_code, v.id",
            (callout_id,),
        )
        return [LeftOut(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    async def record_delivery(
        self, callout_id: int, volunteer_id: int, chat_id: int, message_id: int
    ) -> None:
        await self.db.execute(
            "UPDATE responses SET chat_id = ?, message_id = ? WHERE callout_id = ? AND "
            "volunteer_id = ?",
            (chat_id, message_id, callout_id, volunteer_id),
        )

    async def record_pages(
        self,
        callout_id: int,
        delivered: list[tuple[int, int, int]],
        undeliverable: list[tuple[int, str]],
    ) -> None:
        """Many pages' outcomes in one trip to the database thread: (volunteer, chat, message)
        for those delivered, (volunteer, reason) for those that cannot be."""

        def write(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "UPDATE responses SET chat_id = ?, message_id = ? WHERE callout_id = ? AND "
                "volunteer_id = ?",
                [(chat, message, callout_id, volunteer) for volunteer, chat, message in delivered],
            )
            # Only a page nobody answered yet: a tap that raced the error wins.
            conn.executemany(
                "UPDATE responses SET state = 'undeliverable', reason = ? WHERE callout_id = ? "
                "AND volunteer_id = ? AND state = 'paged'",
                [(reason, callout_id, volunteer) for volunteer, reason in undeliverable],
            )

        await self.db.run_transaction(write)

    async def mark_undeliverable(self, callout_id: int, volunteer_id: int, reason: str) -> None:
        # Only a page nobody answered yet: a tap that raced the error wins.
        await self.db.execute(
            "UPDATE responses SET state = 'undeliverable', reason = ? WHERE callout_id = ? AND "
            "volunteer_id = ? AND state = 'paged'",
            (reason, callout_id, volunteer_id),
        )

    # --- taps -------------------------------------------------------------------------------
    async def tap(
        self,
        callout_id: int,
        telegram_id: int,
        available: bool,
        now: datetime,
        *,
        allow_busy: bool = False,
    ) -> TapResult:
        """Apply one Available/Unavailable tap atomically (BEGIN IMMEDIATE: no over-filling).

        The whole transaction is one trip to the database thread (`_apply_tap`): a whole
        team tapping at once queues on the one connection, so every round trip saved is
        latency for all of them; taps that arrive while one is applied share the next trip
        (`BatchedTransactions`), each still in a savepoint of its own.
        """
        return await BatchedTransactions.of(self.db).run(
            lambda conn: _apply_tap(conn, callout_id, telegram_id, available, now, allow_busy)
        )

    async def set_eta(self, callout_id: int, telegram_id: int, minutes: int) -> TapResult:
        """An ETA tap: batched like `tap`."""
        return await BatchedTransactions.of(self.db).run(
            lambda conn: _apply_eta(conn, callout_id, telegram_id, minutes)
        )

    # --- escalation -------------------------------------------------------------------------
    async def advance_escalation(
        self, callout_id: int, stage: int, next_at: datetime | None
    ) -> bool:
        """Move to `stage` once (a timer firing twice after a restart does nothing twice)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE callouts SET escalation_stage = ?, escalate_at = ? WHERE id = ? AND "
                "escalation_stage = ? AND status IN ('open','filled')",
                (stage, iso(next_at) if next_at else None, callout_id, stage - 1),
            )
            moved = (cur.rowcount or 0) > 0
            if moved:
                await audit_in(conn, None, "escalate", callout_id=callout_id, stage=stage)
            return moved

    # --- the end of a callout ---------------------------------------------------------------
    async def cancel(self, callout_id: int, actor: int, reason: str, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE callouts SET status = 'cancelled', ended_at = ?, cancel_reason = ?, "
                "escalate_at = NULL WHERE id = ? AND status IN ('open','filled')",
                (iso(now), reason, callout_id),
            )
            done = (cur.rowcount or 0) > 0
            if done:
                await conn.execute(
                    "UPDATE responses SET state = 'no_reply' WHERE callout_id = ? "
                    "AND state = 'paged'",
                    (callout_id,),
                )
                # Cancelled with people already on scene: they still have to come home, so
                # the return phase runs as after a close (no mission is logged).
                await conn.execute(
                    "UPDATE callouts SET return_started_at = ?, return_stage = 0, "
                    "next_check_at = NULL WHERE id = ? AND EXISTS (SELECT 1 FROM responses "
                    "WHERE callout_id = ? AND on_scene_at IS NOT NULL AND home_safe_at IS NULL)",
                    (iso_precise(now), callout_id, callout_id),
                )
                await audit_in(conn, actor, "cancel", callout_id=callout_id, reason=reason)
            return done

    async def close(
        self,
        callout_id: int,
        actor: int,
        rescued: int,
        notes: str,
        now: datetime,
        outcome: str = "",
    ) -> int | None:
        """Close and log the mission in one transaction; None if it was already ended."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE callouts SET status = 'closed', ended_at = ?, escalate_at = NULL "
                "WHERE id = ? AND status IN ('open','filled')",
                (iso(now), callout_id),
            )
            if not cur.rowcount:
                return None
            async with conn.execute("SELECT * FROM callouts WHERE id = ?", (callout_id,)) as c:
                row = await c.fetchone()
            assert row is not None
            callout = Callout.from_row(row)
            # Participants: the confirmed, and standby people who checked in on scene.
            async with conn.execute(
                "SELECT volunteer_id, state, answered_at, confirmed_at, on_scene_at, "
                "home_safe_at, recorded_by FROM responses WHERE callout_id = ? AND "
                "(state = 'available' OR on_scene_at IS NOT NULL)",
                (callout_id,),
            ) as c:
                confirmed = [
                    Responder(
                        int(r[0]),
                        State(r[1]),
                        answered_at=_when(r[2]),
                        confirmed_at=_when(r[3]),
                        on_scene_at=_when(r[4]),
                        home_safe_at=_when(r[5]),
                        recorded_by=r[6],
                    )
                    for r in await c.fetchall()
                ]
            # Whoever never answered the page did not reply, for the record.
            await conn.execute(
                "UPDATE responses SET state = 'no_reply' WHERE callout_id = ? AND state = 'paged'",
                (callout_id,),
            )
            # The return phase: until everyone out there is home safe (or marked).
            out = any(p.home_safe_at is None for p in confirmed)
            await conn.execute(
                "UPDATE callouts SET return_started_at = ?, return_stage = 0, "
                "return_done_at = ?, next_check_at = NULL WHERE id = ?",
                (iso_precise(now), None if out else iso(now), callout_id),
            )
            cur = await conn.execute(
                "INSERT INTO missions (callout_id, type, teams, started_at, ended_at, location, "
                "rescued, outcome, notes, created_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    callout_id,
                    callout.type,
                    json.dumps(list(callout.teams)),
                    iso(callout.created_at),
                    iso(now),
                    callout.location,
                    rescued,
                    outcome,
                    notes,
                    actor,
                ),
            )
            mission_id = int(cur.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours, "
                "counted_hours, recorded_by) VALUES (?,?,?,?,?)",
                [
                    (mission_id, p.volunteer_id, hours, hours, p.recorded_by)
                    for p in confirmed
                    for hours in [p.counted_hours(now)]
                ],
            )
            await audit_in(
                conn,
                actor,
                "close",
                callout_id=callout_id,
                mission_id=mission_id,
                rescued=rescued,
                participants=len(confirmed),
            )
        return mission_id

    async def add_mission(
        self,
        entry: MissionEntry,
        *,
        tz: ZoneInfo,
        actor: int | None,
        location: str = "",
        participants: tuple[int, ...] = (),
    ) -> int:
        """The mission with its place, outcome and participants (each credited with the
        mission's hours, recorded by the leader who logged it)."""
        start = datetime.combine(entry.day, time(0), tz)
        end = start + timedelta(hours=entry.hours)
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO missions (type, teams, started_at, ended_at, location, rescued, "
                "outcome, notes, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    entry.type,
                    json.dumps(list(entry.teams)),
                    iso(start),
                    iso(end),
                    location or entry.place,
                    entry.rescued,
                    entry.outcome,
                    entry.notes,
                    actor,
                ),
            )
            mission_id = int(cur.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours, "
                "counted_hours, recorded_by) VALUES (?,?,?,?,?)",
                [(mission_id, vid, entry.hours, entry.hours, actor) for vid in participants],
            )
            await audit_in(
                conn,
                actor,
                "mission_add",
                mission_id=mission_id,
                type=entry.type,
                day=entry.day.isoformat(),
                teams=list(entry.teams),
                participants=len(participants),
            )
        return mission_id

    async def mission_number(self, mission_id: int, tz: ZoneInfo) -> tuple[int, int]:
        """(N, year): this is the N-th mission started in its local calendar year."""
        row = await self.db.fetchone("SELECT started_at FROM missions WHERE id = ?", (mission_id,))
        assert row is not None
        year = parse_iso(row[0]).astimezone(tz).year
        start, end = year_bounds(year, tz)
        counted = await self.db.fetchone(
            "SELECT COUNT(*) FROM missions WHERE started_at >= ? AND started_at < ? AND "
            "(started_at < ? OR (started_at = ? AND id <= ?))",
            (start, end, row[0], row[0], mission_id),
        )
        return (int(counted[0]) if counted else 0), year

    async def missions(self, year: int | None, tz: ZoneInfo) -> list[Mission]:
        if year is None:
            rows = await self.db.fetchall("SELECT * FROM missions ORDER BY started_at, id")
        else:
            start, end = year_bounds(year, tz)
            rows = await self.db.fetchall(
                "SELECT * FROM missions WHERE started_at >= ? AND started_at < ? "
                "ORDER BY started_at, id",
                (start, end),
            )
        ids = [r["id"] for r in rows]
        hours: dict[int, dict[int, float]] = {i: {} for i in ids}
        if ids:
            marks = ",".join("?" * len(ids))
            for p in await self.db.fetchall(
                f"SELECT mission_id, volunteer_id, hours FROM mission_participants "
                f"WHERE mission_id IN ({marks})",
                ids,
            ):
                hours[p[0]][p[1]] = float(p[2])
        return [
            Mission(
                id=r["id"],
                callout_id=r["callout_id"],
                type=r["type"],
                teams=tuple(json.loads(r["teams"])),
                started_at=parse_iso(r["started_at"]),
                ended_at=parse_iso(r["ended_at"]),
                location=r["location"],
                rescued=r["rescued"],
                notes=r["notes"],
                participants=hours[r["id"]],
                outcome=r["outcome"],
            )
            for r in rows
        ]

    # --- drafts: the dialog, a shared map point, a request the duplicate guard held ----------
    async def save_draft(
        self,
        telegram_id: int,
        step: str,
        data: dict[str, Any],
        now: datetime,
        draft_id: int | None = None,
    ) -> int:
        payload = json.dumps(data, ensure_ascii=False)
        if draft_id is None:
            return await self.db.execute(
                "INSERT INTO callout_drafts (telegram_id, step, data, created_at, updated_at) "
                "VALUES (?,?,?,?,?)",
                (telegram_id, step, payload, iso(now), iso(now)),
            )
        await self.db.execute(
            "UPDATE callout_drafts SET step = ?, data = ?, updated_at = ? WHERE id = ?",
            (step, payload, iso(now), draft_id),
        )
        return draft_id

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self.db.fetchone("SELECT * FROM callout_drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    async def latest_draft(self, telegram_id: int, steps: tuple[str, ...]) -> Draft | None:
        marks = ",".join("?" * len(steps))
        row = await self.db.fetchone(
            f"SELECT * FROM callout_drafts WHERE telegram_id = ? AND step IN ({marks}) "
            f"ORDER BY id DESC LIMIT 1",
            (telegram_id, *steps),
        )
        return _draft(row) if row else None

    async def drop_draft(self, draft_id: int) -> None:
        await self.db.execute("DELETE FROM callout_drafts WHERE id = ?", (draft_id,))

    async def users_in_step(self, step: str) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT telegram_id FROM callout_drafts WHERE step = ?", (step,)
        )
        return {int(r[0]) for r in rows}
