"""The tap path's storage: a volunteer's Available/Unavailable or ETA, and a leader's
phone answer (`apply_answer`), each applied by the headcount rule inside one transaction.

A tap is one trip to the database thread (`Database.run_transaction`): a whole team
tapping at once queues on the one connection, so every round trip saved is latency for
all of them. `CalloutRepository` (missions/repository.py) builds on `TapStore`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from common.clock import iso, parse_iso
from missions.actions import TAP_BUTTON
from missions.busy_repository import confirmed_elsewhere
from missions.entities import Callout, PagedPerson
from missions.model import Headcount, Response, State, Status, TapOutcome, next_status
from missions.places import Candidate
from missions.quota_headcount import QuotaHeadcount
from storage.batched_transactions import BatchedTransactions
from storage.db import Database, audit_sync


def _when(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


@dataclass
class TapResult:
    """`kind`: ok, not_paged (someone else's button), ended, unknown (no such callout)."""

    kind: str
    outcome: TapOutcome | None = None
    callout: Callout | None = None
    person: PagedPerson | None = None
    other: int | None = None  # kind "busy": the open callout the tapper is confirmed on


# Result kinds whose refusal the transaction itself audited (no second trip).
AUDITED_IN_TRANSACTION = frozenset({"not_paged", "not_yours"})


def audit_refused_sync(
    conn: sqlite3.Connection, telegram_id: int, reason: str, callout_id: int, what: str
) -> None:
    """A refused press, audited inside the transaction that found it refused."""
    audit_sync(conn, telegram_id, "refused", what=what, reason=reason, callout_id=callout_id)


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


@dataclass(frozen=True)
class Answering:
    """Who gives an answer and when: `by` is the leader who recorded a phone answer
    (None: the volunteer tapped)."""

    available: bool
    now: datetime
    actor: int
    by: int | None


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
        audit_refused_sync(conn, telegram_id, "tap.not_yours", callout_id, TAP_BUTTON)
        return TapResult("not_paged", callout=callout)
    me = PagedPerson.from_row(row)
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
    answering = Answering(available, now, actor, by)
    if not callout.places.plain:
        return _apply_placed_answer(conn, callout, me, answering)
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
    return _store_answer(conn, callout, me, count, outcome, answering)


def _apply_placed_answer(
    conn: sqlite3.Connection, callout: Callout, me: PagedPerson, answering: Answering
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
    outcome = count.answer(me.volunteer_id, answering.available, answering.now)
    return _store_answer(conn, callout, me, count, outcome, answering)


def _store_answer(
    conn: sqlite3.Connection,
    callout: Callout,
    me: PagedPerson,
    count: Headcount | QuotaHeadcount,
    outcome: TapOutcome,
    answering: Answering,
) -> TapResult:
    available, now, by = answering.available, answering.now, answering.by
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
        answering.actor,
        "tap" if by is None else "mark",
        callout_id=callout_id,
        volunteer_id=me.volunteer_id,
        answer="available" if available else "unavailable",
        state=outcome.state.value,
        promoted=outcome.promoted,
        **({"by": "leader"} if by is not None else {}),
    )
    return TapResult("ok", outcome=outcome, callout=callout, person=me)


class TapStore:
    db: Database

    async def refused(
        self, telegram_id: int, reason: str, callout_id: int | None, what: str = TAP_BUTTON
    ) -> None:
        """A refused press found outside a transaction (only refusals pay this trip)."""
        await self.db.audit(telegram_id, "refused", what=what, reason=reason, callout_id=callout_id)

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

    async def presser(self, callout_id: int, telegram_id: int) -> TapResult:
        """Who pressed a page's button that writes nothing (*Stay*): "ok" with the callout
        and their page, or why they may not (a stranger's press audited as for a tap)."""

        def read(conn: sqlite3.Connection) -> TapResult:
            found = _tapper(conn, callout_id, telegram_id)
            if isinstance(found, TapResult):
                return found
            callout, me, _ = found
            return TapResult("ok", callout=callout, person=me)

        return await BatchedTransactions.of(self.db).run(read)

    async def set_eta(self, callout_id: int, telegram_id: int, minutes: int) -> TapResult:
        """An ETA tap: batched like `tap`."""
        return await BatchedTransactions.of(self.db).run(
            lambda conn: _apply_eta(conn, callout_id, telegram_id, minutes)
        )
