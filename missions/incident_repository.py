"""Storage of incident operations: on scene, positions, safety checks, the return, hours.

Each change is one transaction (run in the database thread) with its audit entry.
`responders()` is the read model the board, the alerts and the dashboard share.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso, parse_iso
from common.clock import iso_precise as precise
from missions.actions import INCIDENT_BUTTON
from missions.incident import Mark, Phase, Responder, ResponderView
from missions.model import GeoPoint, State
from missions.repository import (
    _PERSON_SQL,
    _TAP_SQL,
    Callout,
    PagedPerson,
    _person,
    _when,
    apply_answer,
)
from missions.tap_repository import audit_refused_sync
from storage.db import Database, audit_sync


def _responder(person: PagedPerson) -> Responder:
    return Responder(
        person.volunteer_id,
        person.state,
        answered_at=person.answered_at,
        confirmed_at=person.confirmed_at,
        on_scene_at=person.on_scene_at,
        home_safe_at=person.home_safe_at,
        need_help_at=person.need_help_at,
        recorded_by=person.recorded_by,
    )


# Participants: confirmed, or checked in on scene (standby people count once they turn up).
_TAKING_PART = "(r.state = 'available' OR r.on_scene_at IS NOT NULL)"


@dataclass
class OpenCheck:
    id: int
    callout_id: int
    volunteer_id: int
    sent_at: datetime
    stage: int


@dataclass
class CheckAnswer:
    """`kind`: ok, same, not_yours, unknown."""

    kind: str
    callout: Callout | None = None
    person: PagedPerson | None = None
    was_alerted: bool = False
    help_now: bool = False  # this answer raised the need-help flag


@dataclass
class HomeResult:
    """`kind`: ok, same, not_participant, not_paged, unknown, not_closed."""

    kind: str
    callout: Callout | None = None
    person: PagedPerson | None = None
    counted: float | None = None
    mission_id: int | None = None
    everyone_home: bool = False


@dataclass
class Participation:
    mission_id: int
    callout_id: int | None
    volunteer_id: int
    name: str
    team_code: str
    telegram_id: int | None
    counted_hours: float | None
    confirmed_hours: float | None
    hours: float
    recorded_by: int | None


def _callout(conn: sqlite3.Connection, callout_id: int) -> Callout | None:
    row = conn.execute("SELECT * FROM callouts WHERE id = ?", (callout_id,)).fetchone()
    return Callout.from_row(row) if row else None


def _person_of(conn: sqlite3.Connection, callout_id: int, volunteer_id: int) -> PagedPerson | None:
    row = conn.execute(
        _PERSON_SQL + " AND r.volunteer_id = ?", (callout_id, volunteer_id)
    ).fetchone()
    return _person(row) if row else None


def _mission_of(conn: sqlite3.Connection, callout_id: int) -> int | None:
    row = conn.execute("SELECT id FROM missions WHERE callout_id = ?", (callout_id,)).fetchone()
    return int(row[0]) if row else None


def _set_counted(
    conn: sqlite3.Connection, mission_id: int, volunteer_id: int, counted: float
) -> None:
    """The counted figure; `hours` follows it unless the volunteer already confirmed one."""
    conn.execute(
        "UPDATE mission_participants SET counted_hours = ?, "
        "hours = COALESCE(confirmed_hours, ?) WHERE mission_id = ? AND volunteer_id = ?",
        (counted, counted, mission_id, volunteer_id),
    )


def _finish_return_if_all_home(conn: sqlite3.Connection, callout: Callout, now: datetime) -> bool:
    if not callout.returning:
        return False
    out = conn.execute(
        "SELECT COUNT(*) FROM responses WHERE callout_id = ? AND home_safe_at IS NULL AND "
        "(state = 'available' OR on_scene_at IS NOT NULL)",
        (callout.id,),
    ).fetchone()
    if out[0]:
        return False
    conn.execute("UPDATE callouts SET return_done_at = ? WHERE id = ?", (iso(now), callout.id))
    audit_sync(conn, None, "everyone_home", callout_id=callout.id)
    return True


def _check_in(
    conn: sqlite3.Connection,
    me: PagedPerson,
    callout_id: int,
    now: datetime,
    by: int | None,
    first_check: datetime | None,
) -> bool:
    """On scene (the rule is `Responder.check_in`); the first arrival sets the first check
    round. False if they were on scene already."""
    if not _responder(me).check_in(now, by):
        return False
    conn.execute(
        "UPDATE responses SET on_scene_at = ?, recorded_by = COALESCE(?, recorded_by) "
        "WHERE callout_id = ? AND volunteer_id = ?",
        (iso(now), by, callout_id, me.volunteer_id),
    )
    if first_check is not None:
        conn.execute(
            "UPDATE callouts SET next_check_at = COALESCE(next_check_at, ?) WHERE id = ?",
            (precise(first_check), callout_id),
        )
    audit_sync(
        conn,
        by or me.telegram_id,
        "on_scene",
        callout_id=callout_id,
        volunteer_id=me.volunteer_id,
        **({"by": "leader"} if by is not None else {}),
    )
    return True


def _home(
    conn: sqlite3.Connection, callout: Callout, me: PagedPerson, now: datetime, by: int | None
) -> HomeResult:
    responder = _responder(me)
    if not responder.participant:
        return HomeResult("not_participant", callout, me)
    if not responder.home(now, by):
        return HomeResult("same", callout, me)
    conn.execute(
        "UPDATE responses SET home_safe_at = ?, need_help_at = NULL, "
        "recorded_by = COALESCE(?, recorded_by) WHERE callout_id = ? AND volunteer_id = ?",
        (iso(now), by, callout.id, me.volunteer_id),
    )
    me.home_safe_at = now
    audit_sync(
        conn,
        by or me.telegram_id,
        "home_safe",
        callout_id=callout.id,
        volunteer_id=me.volunteer_id,
        **({"by": "leader"} if by is not None else {}),
    )
    mission_id = _mission_of(conn, callout.id)
    counted = None
    if mission_id is not None and callout.ended_at is not None:
        counted = responder.counted_hours(callout.ended_at)
        _set_counted(conn, mission_id, me.volunteer_id, counted)
        if by is not None:
            conn.execute(
                "UPDATE mission_participants SET recorded_by = ? WHERE mission_id = ? AND "
                "volunteer_id = ?",
                (by, mission_id, me.volunteer_id),
            )
    everyone = _finish_return_if_all_home(conn, callout, now)
    return HomeResult("ok", callout, me, counted, mission_id, everyone)


class IncidentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the read model: board, alerts, dashboard -------------------------------------------
    async def responders(
        self, callout_id: int, *, now: datetime, grace_minutes: float
    ) -> list[ResponderView]:
        """Everyone paged or marked on this callout with state, times, last position,
        need-help and the oldest safety check overdue (past `grace_minutes`)."""
        deadline = precise(now - timedelta(minutes=grace_minutes))
        rows = await self.db.fetchall(
            _PERSON_SQL.replace(
                "SELECT r.*,",
                "SELECT r.*, (SELECT MIN(s.sent_at) FROM safety_checks s WHERE "
                "s.callout_id = r.callout_id AND s.volunteer_id = r.volunteer_id AND "
                "s.answered_at IS NULL AND s.sent_at <= ?) AS overdue_since,",
            ).replace(
                "WHERE r.callout_id = ?", "WHERE r.callout_id = ? ORDER BY v.team_code, v.id"
            ),
            (deadline, callout_id),
        )
        views = []
        for row in rows:
            p = _person(row)
            views.append(
                ResponderView(
                    callout_id=callout_id,
                    volunteer_id=p.volunteer_id,
                    name=p.name,
                    phone=p.phone,
                    team_code=p.team_code,
                    telegram_id=p.telegram_id,
                    phase=_responder(p).phase,
                    state=p.state,
                    eta_minutes=p.eta_minutes,
                    answered_at=p.answered_at,
                    confirmed_at=p.confirmed_at,
                    on_scene_at=p.on_scene_at,
                    home_safe_at=p.home_safe_at,
                    need_help_at=p.need_help_at,
                    recorded_by=p.recorded_by,
                    position=p.position,
                    position_at=p.position_at,
                    check_overdue_since=_when(row["overdue_since"]),
                )
            )
        return views

    async def person(
        self, callout_id: int, telegram_id: int
    ) -> tuple[Callout | None, PagedPerson | None]:
        def work(conn: sqlite3.Connection) -> tuple[Callout | None, PagedPerson | None]:
            row = conn.execute(_TAP_SQL, (telegram_id, callout_id)).fetchone()
            if row is None:
                return None, None
            callout = Callout.from_row(row)
            return callout, (_person(row) if row["volunteer_id"] is not None else None)

        return await self.db.run_transaction(work)

    async def _people_where(self, callout_id: int, condition: str) -> list[PagedPerson]:
        """The callout's paged people meeting `condition` (SQL over `r`/`v`), by team."""
        rows = await self.db.fetchall(
            f"{_PERSON_SQL} AND {condition} ORDER BY v.team_code, v.id", (callout_id,)
        )
        return [_person(r) for r in rows]

    async def participants(self, callout_id: int) -> list[PagedPerson]:
        return await self._people_where(callout_id, _TAKING_PART)

    async def on_scene(self, callout_id: int) -> list[PagedPerson]:
        return await self._people_where(
            callout_id, "r.on_scene_at IS NOT NULL AND r.home_safe_at IS NULL"
        )

    # --- on scene and positions ---------------------------------------------------------------
    async def check_in(
        self,
        callout_id: int,
        volunteer_id: int,
        now: datetime,
        *,
        by: int | None,
        first_check: datetime | None,
    ) -> bool:
        """On scene (DomainError if not confirmed or standby); the first check round is set
        when the first responder arrives."""

        def work(conn: sqlite3.Connection) -> bool:
            me = _person_of(conn, callout_id, volunteer_id)
            assert me is not None
            return _check_in(conn, me, callout_id, now, by, first_check)

        return await self.db.run_transaction(work)

    async def set_position(self, telegram_id: int, point: GeoPoint, now: datetime) -> list[int]:
        """The responder's last known position on every callout they are out on."""

        def work(conn: sqlite3.Connection) -> list[int]:
            rows = conn.execute(
                "SELECT r.callout_id FROM responses r JOIN volunteers v ON v.id = r.volunteer_id "
                "JOIN callouts c ON c.id = r.callout_id WHERE v.telegram_id = ? AND "
                "r.on_scene_at IS NOT NULL AND r.home_safe_at IS NULL AND "
                "(c.status IN ('open','filled') OR (c.return_started_at IS NOT NULL AND "
                "c.return_done_at IS NULL))",
                (telegram_id,),
            ).fetchall()
            ids = [int(r[0]) for r in rows]
            for callout_id in ids:
                conn.execute(
                    "UPDATE responses SET latitude = ?, longitude = ?, position_at = ? "
                    "WHERE callout_id = ? AND volunteer_id = "
                    "(SELECT id FROM volunteers WHERE telegram_id = ?)",
                    (point.latitude, point.longitude, iso(now), callout_id, telegram_id),
                )
            return ids

        return await self.db.run_transaction(work)

    # --- safety checks ------------------------------------------------------------------------
    async def set_check_minutes(
        self, callout_id: int, minutes: float, next_at: datetime | None, actor: int
    ) -> None:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE callouts SET check_minutes = ?, next_check_at = ? WHERE id = ?",
                (minutes, precise(next_at) if next_at else None, callout_id),
            )
            audit_sync(conn, actor, "check_interval", callout_id=callout_id, minutes=minutes)

        await self.db.run_transaction(work)

    async def take_check_round(
        self, callout_id: int, due: datetime, following: datetime | None
    ) -> bool:
        """Claim the round due at `due` once (a timer firing twice sends one round)."""

        def work(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE callouts SET next_check_at = ? WHERE id = ? AND next_check_at = ?",
                (precise(following) if following else None, callout_id, precise(due)),
            )
            return (cur.rowcount or 0) > 0

        return await self.db.run_transaction(work)

    async def add_check(self, callout_id: int, volunteer_id: int, now: datetime) -> int | None:
        """A new check for someone on scene; None if one is still unanswered."""

        def work(conn: sqlite3.Connection) -> int | None:
            waiting = conn.execute(
                "SELECT 1 FROM safety_checks WHERE callout_id = ? AND volunteer_id = ? AND "
                "answered_at IS NULL",
                (callout_id, volunteer_id),
            ).fetchone()
            if waiting:
                return None
            cur = conn.execute(
                "INSERT INTO safety_checks (callout_id, volunteer_id, sent_at) VALUES (?,?,?)",
                (callout_id, volunteer_id, precise(now)),
            )
            return int(cur.lastrowid or 0)

        return await self.db.run_transaction(work)

    async def record_check_message(self, check_id: int, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE safety_checks SET chat_id = ?, message_id = ? WHERE id = ?",
            (chat_id, message_id, check_id),
        )

    async def open_checks(self, callout_id: int) -> list[OpenCheck]:
        rows = await self.db.fetchall(
            "SELECT s.id, s.callout_id, s.volunteer_id, s.sent_at, s.stage FROM safety_checks s "
            "JOIN responses r ON r.callout_id = s.callout_id AND r.volunteer_id = s.volunteer_id "
            "WHERE s.callout_id = ? AND s.answered_at IS NULL AND r.home_safe_at IS NULL "
            "ORDER BY s.sent_at, s.id",
            (callout_id,),
        )
        return [OpenCheck(r[0], r[1], r[2], parse_iso(r[3]), r[4]) for r in rows]

    async def overdue_ids(self, callout_id: int) -> set[int]:
        """Who has a safety check the leaders were alerted about and still no answer."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT volunteer_id FROM safety_checks WHERE callout_id = ? AND "
            "answered_at IS NULL AND stage >= 1",
            (callout_id,),
        )
        return {int(r[0]) for r in rows}

    async def _advance(self, sql: str, key: int, stage: int, action: str, **detail: Any) -> bool:
        """Move an alert stage from `stage - 1` to `stage` once: a timer firing twice (or
        after a restart) alerts nobody twice."""

        def work(conn: sqlite3.Connection) -> bool:
            moved = (conn.execute(sql, (stage, key, stage - 1)).rowcount or 0) > 0
            if moved:
                audit_sync(conn, None, action, stage=stage, **detail)
            return moved

        return await self.db.run_transaction(work)

    async def advance_check(self, check_id: int, stage: int) -> bool:
        return await self._advance(
            "UPDATE safety_checks SET stage = ? WHERE id = ? AND stage = ? AND answered_at IS NULL",
            check_id,
            stage,
            "check_missed",
            check_id=check_id,
        )

    async def answer_check(
        self, callout_id: int, check_id: int, telegram_id: int, answer: str, now: datetime
    ) -> CheckAnswer:
        """I'm OK / Need help; only the person asked may answer. Need help raises the flag
        (I'm OK lowers it)."""

        def work(conn: sqlite3.Connection) -> CheckAnswer:
            row = conn.execute(
                "SELECT s.volunteer_id, s.answer, s.stage, v.telegram_id FROM safety_checks s "
                "JOIN volunteers v ON v.id = s.volunteer_id WHERE s.id = ? AND s.callout_id = ?",
                (check_id, callout_id),
            ).fetchone()
            if row is None:
                return CheckAnswer("unknown")
            if row[3] != telegram_id:
                audit_refused_sync(conn, telegram_id, "tap.not_yours", callout_id, INCIDENT_BUTTON)
                return CheckAnswer("not_yours")
            callout = _callout(conn, callout_id)
            me = _person_of(conn, callout_id, int(row[0]))
            if row[1] == answer:
                return CheckAnswer("same", callout, me)
            conn.execute(
                "UPDATE safety_checks SET answered_at = ?, answer = ? WHERE id = ?",
                (iso(now), answer, check_id),
            )
            help_now = False
            if me is not None and answer == "help":
                help_now = me.need_help_at is None
                conn.execute(
                    "UPDATE responses SET need_help_at = COALESCE(need_help_at, ?) "
                    "WHERE callout_id = ? AND volunteer_id = ?",
                    (iso(now), callout_id, me.volunteer_id),
                )
                me.need_help_at = me.need_help_at or now
            elif me is not None:
                conn.execute(
                    "UPDATE responses SET need_help_at = NULL WHERE callout_id = ? AND "
                    "volunteer_id = ?",
                    (callout_id, me.volunteer_id),
                )
                me.need_help_at = None
            audit_sync(conn, telegram_id, "safety_check", callout_id=callout_id, answer=answer)
            return CheckAnswer("ok", callout, me, was_alerted=row[2] > 0, help_now=help_now)

        return await self.db.run_transaction(work)

    # --- the return ---------------------------------------------------------------------------
    async def returning(self) -> list[Callout]:
        """Closed callouts whose people are not all home safe yet."""
        rows = await self.db.fetchall(
            "SELECT * FROM callouts WHERE return_started_at IS NOT NULL AND "
            "return_done_at IS NULL ORDER BY id"
        )
        return [Callout.from_row(r) for r in rows]

    async def watched(self) -> list[Callout]:
        """Callouts with timers of their own: live ones and those in their return phase."""
        rows = await self.db.fetchall(
            "SELECT * FROM callouts WHERE status IN ('open','filled') OR "
            "(return_started_at IS NOT NULL AND return_done_at IS NULL) ORDER BY id"
        )
        return [Callout.from_row(r) for r in rows]

    async def mark_home_asked(self, callout_id: int, volunteer_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE responses SET home_asked_at = ? WHERE callout_id = ? AND volunteer_id = ?",
            (iso(now), callout_id, volunteer_id),
        )

    async def not_yet_asked_home(self, callout_id: int) -> list[PagedPerson]:
        return await self._people_where(
            callout_id,
            f"{_TAKING_PART} AND r.home_safe_at IS NULL AND r.home_asked_at IS NULL "
            "AND v.telegram_id IS NOT NULL",
        )

    async def advance_return(self, callout_id: int, stage: int) -> bool:
        return await self._advance(
            "UPDATE callouts SET return_stage = ? WHERE id = ? AND return_stage = ? AND "
            "return_done_at IS NULL",
            callout_id,
            stage,
            "return_overdue",
            callout_id=callout_id,
        )

    async def home_safe(self, callout_id: int, telegram_id: int, now: datetime) -> HomeResult:
        """The volunteer's own Home safe tap."""

        def work(conn: sqlite3.Connection) -> HomeResult:
            row = conn.execute(_TAP_SQL, (telegram_id, callout_id)).fetchone()
            if row is None:
                return HomeResult("unknown")
            callout = Callout.from_row(row)
            if row["volunteer_id"] is None:
                audit_refused_sync(conn, telegram_id, "tap.not_yours", callout_id, INCIDENT_BUTTON)
                return HomeResult("not_paged", callout)
            return _home(conn, callout, _person(row), now, None)

        return await self.db.run_transaction(work)

    # --- phone answers (/mark) ------------------------------------------------------------------
    async def mark(
        self,
        callout_id: int,
        volunteer_id: int,
        mark: Mark,
        *,
        eta: int | None,
        leader: int,
        now: datetime,
        first_check: datetime | None,
        language: str,
    ) -> tuple[Callout, PagedPerson, int | None, HomeResult | None]:
        """Record an answer the leader got by phone, as if the volunteer had tapped:
        the headcount, standby promotion, on scene and home safe follow the same rules.
        Someone never paged (not linked, no Telegram, another team) is added to the list.
        Returns (callout, person, promoted standby, home result for `safe`)."""

        def work(
            conn: sqlite3.Connection,
        ) -> tuple[Callout, PagedPerson, int | None, HomeResult | None]:
            callout = _callout(conn, callout_id)
            assert callout is not None
            if _person_of(conn, callout_id, volunteer_id) is None:
                conn.execute(
                    "INSERT INTO responses (callout_id, volunteer_id, state, paged_at, language, "
                    "recorded_by) VALUES (?,?,?,?,?,?)",
                    (callout_id, volunteer_id, State.PAGED.value, iso(now), language, leader),
                )
                conn.execute(
                    "DELETE FROM callout_exclusions WHERE callout_id = ? AND volunteer_id = ?",
                    (callout_id, volunteer_id),
                )
            me = _person_of(conn, callout_id, volunteer_id)
            assert me is not None
            promoted = None
            if mark is Mark.SAFE:
                home = _home(conn, callout, me, now, leader)
                return callout, me, None, home
            others = conn.execute(
                "SELECT COUNT(*) FROM responses WHERE callout_id = ? AND state = 'available' "
                "AND volunteer_id != ?",
                (callout_id, volunteer_id),
            ).fetchone()[0]
            if mark is Mark.UNAVAILABLE and me.on_scene_at is not None:
                from common.errors import DomainError

                raise DomainError("mark.error.on_scene", name=me.name)
            wants = mark is not Mark.UNAVAILABLE
            if not (wants and me.state in (State.AVAILABLE, State.STANDBY)):
                result = apply_answer(
                    conn, callout, me, int(others), wants, now, actor=leader, by=leader
                )
                promoted = result.outcome.promoted if result.outcome else None
            if eta is not None:
                conn.execute(
                    "UPDATE responses SET eta_minutes = ? WHERE callout_id = ? AND "
                    "volunteer_id = ?",
                    (eta, callout_id, volunteer_id),
                )
            if mark is Mark.ON_SCENE:
                me = _person_of(conn, callout_id, volunteer_id)
                assert me is not None
                _check_in(conn, me, callout_id, now, leader, first_check)
            me = _person_of(conn, callout_id, volunteer_id)
            assert me is not None
            return _callout(conn, callout_id) or callout, me, promoted, None

        return await self.db.run_transaction(work)

    # --- hours and the debrief ------------------------------------------------------------------
    async def participation(self, mission_id: int, volunteer_id: int) -> Participation | None:
        rows = await self._participations(
            "p.mission_id = ? AND p.volunteer_id = ?", (mission_id, volunteer_id)
        )
        return rows[0] if rows else None

    async def mission_participants(self, mission_id: int) -> list[Participation]:
        return await self._participations("p.mission_id = ?", (mission_id,))

    async def _participations(self, where: str, params: tuple[object, ...]) -> list[Participation]:
        rows = await self.db.fetchall(
            "SELECT p.mission_id, m.callout_id, p.volunteer_id, v.name, v.team_code, "
            "v.telegram_id, p.counted_hours, p.confirmed_hours, p.hours, p.recorded_by "
            "FROM mission_participants p JOIN missions m ON m.id = p.mission_id "
            f"JOIN volunteers v ON v.id = p.volunteer_id WHERE {where} ORDER BY v.team_code, v.id",
            params,
        )
        return [
            Participation(
                r[0], r[1], r[2], r[3], r[4], r[5],
                None if r[6] is None else float(r[6]),
                None if r[7] is None else float(r[7]),
                float(r[8]), r[9],
            )
            for r in rows
        ]  # fmt: skip

    async def confirm_hours(
        self, mission_id: int, volunteer_id: int, hours: float | None, actor: int | None
    ) -> float | None:
        """Right (hours None: the counted figure) or a correction; the figure kept."""

        def work(conn: sqlite3.Connection) -> float | None:
            row = conn.execute(
                "SELECT counted_hours FROM mission_participants WHERE mission_id = ? AND "
                "volunteer_id = ?",
                (mission_id, volunteer_id),
            ).fetchone()
            if row is None:
                return None
            value = float(row[0]) if hours is None else hours
            conn.execute(
                "UPDATE mission_participants SET confirmed_hours = ?, hours = ?, "
                "correcting_since = NULL WHERE mission_id = ? AND volunteer_id = ?",
                (value, value, mission_id, volunteer_id),
            )
            audit_sync(
                conn,
                actor,
                "hours_confirmed" if hours is None else "hours_corrected",
                mission_id=mission_id,
                volunteer_id=volunteer_id,
                counted=row[0],
                hours=value,
            )
            return value

        return await self.db.run_transaction(work)

    async def start_correction(self, mission_id: int, volunteer_id: int, now: datetime) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            # One correction at a time per person: the latest Correct tap wins.
            conn.execute(
                "UPDATE mission_participants SET correcting_since = NULL WHERE volunteer_id = ?",
                (volunteer_id,),
            )
            cur = conn.execute(
                "UPDATE mission_participants SET correcting_since = ? WHERE mission_id = ? AND "
                "volunteer_id = ?",
                (iso(now), mission_id, volunteer_id),
            )
            return (cur.rowcount or 0) > 0

        return await self.db.run_transaction(work)

    async def correcting(self, telegram_id: int) -> Participation | None:
        rows = await self._participations(
            "v.telegram_id = ? AND p.correcting_since IS NOT NULL", (telegram_id,)
        )
        return rows[0] if rows else None

    async def users_correcting(self) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT v.telegram_id FROM mission_participants p JOIN volunteers v ON "
            "v.id = p.volunteer_id WHERE p.correcting_since IS NOT NULL AND "
            "v.telegram_id IS NOT NULL"
        )
        return {int(r[0]) for r in rows}

    async def mission_of_callout(self, callout_id: int) -> int | None:
        row = await self.db.fetchone("SELECT id FROM missions WHERE callout_id = ?", (callout_id,))
        return int(row[0]) if row else None


__all__ = ["CheckAnswer", "HomeResult", "IncidentRepository", "OpenCheck", "Participation", "Phase"]
