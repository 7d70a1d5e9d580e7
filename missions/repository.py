"""Callout, response and mission storage. Each write is one unit of work with its audit entry.

The entities live in missions/entities.py; they are re-exported here for the modules that
read them with the repository. Missions logged and the dialog's drafts are stored by
missions/mission_repository.py and missions/draft_repository.py, which `CalloutRepository`
builds on; the tap path's transactions are missions/tap_repository.py's (`TapStore`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from common.clock import iso, iso_precise, parse_iso
from common.dates import parse_optional_date
from missions.draft_repository import DraftStore
from missions.entities import (
    Callout,
    Draft,
    LeftOut,
    Mission,
    NewCallout,
    PagedPerson,
    Pages,
)
from missions.incident import Responder
from missions.mission_repository import MissionStore, year_bounds
from missions.model import (
    Exclusion,
    Readiness,
    State,
    Status,
)
from missions.tap_repository import _TAP_SQL, TapResult, TapStore, apply_answer
from roster.model import Volunteer
from storage.db import Database
from storage.unit_of_work import Transaction, UnitOfWork


def _when(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


_PERSON_SQL = (
    "SELECT r.*, r.latitude AS pos_lat, r.longitude AS pos_lon, "
    "v.name, v.phone, v.team_code, v.telegram_id FROM responses r "
    "JOIN volunteers v ON v.id = r.volunteer_id WHERE r.callout_id = ?"
)


# Kept for the modules that read them with the repository (missions/incident_repository.py).
_person = PagedPerson.from_row

__all__ = [
    "_TAP_SQL",
    "Callout",
    "CalloutRepository",
    "Draft",
    "LeftOut",
    "Mission",
    "PagedPerson",
    "TapResult",
    "apply_answer",
    "year_bounds",
]


class PageRecords:
    """A callout's pages and left-out people, written inside a unit of work (a new callout,
    a widened one, a joined part)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add(
        self,
        callout_id: int,
        paged: list[Volunteer],
        languages: dict[int, str],
        left_out: list[Exclusion],
        now: datetime,
        slot_skills: dict[int, list[str]] | None = None,
    ) -> None:
        held = slot_skills or {}
        await self.tx.executemany(
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
        await self.tx.executemany(
            "INSERT INTO callout_exclusions (callout_id, volunteer_id, reason, detail) "
            "VALUES (?,?,?,?) ON CONFLICT(callout_id, volunteer_id) DO UPDATE SET "
            "reason = excluded.reason, detail = excluded.detail",
            [(callout_id, e.volunteer_id, e.reason.value, e.detail) for e in left_out],
        )
        if paged:
            # Someone left out earlier (e.g. not insured then) but paged now is no longer left out.
            marks = ",".join("?" * len(paged))
            await self.tx.execute(
                f"DELETE FROM callout_exclusions WHERE callout_id = ? "
                f"AND volunteer_id IN ({marks})",
                (callout_id, *[v.id for v in paged]),
            )


class CalloutRepository(MissionStore, DraftStore, TapStore):
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
    async def create(self, new: NewCallout, pages: Pages) -> int:
        request, point = new.request, new.point
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "INSERT INTO callouts (type, teams, skills, needed, location, latitude, longitude, "
                "description, require_fitness, called_by, status, created_at, escalate_at, "
                "quotas, slots) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    request.type,
                    json.dumps(list(new.teams)),
                    json.dumps(list(request.skills)),
                    request.needed,
                    request.location,
                    point.latitude if point else None,
                    point.longitude if point else None,
                    request.description,
                    int(new.require_fitness),
                    new.called_by,
                    Status.OPEN.value,
                    iso(new.now),
                    iso(new.escalate_at) if new.escalate_at else None,
                    json.dumps(new.quotas),
                    json.dumps(request.slots),
                ),
            )
            callout_id = written.lastrowid
            await uow.repo(PageRecords).add(
                callout_id,
                pages.paged,
                pages.languages,
                pages.left_out,
                new.now,
                pages.slot_skills,
            )
            await uow.audit(
                new.called_by,
                "callout",
                callout_id=callout_id,
                type=request.type,
                teams=list(new.teams),
                needed=request.needed,
                paged=len(pages.paged),
                left_out=len(pages.left_out),
            )
        return callout_id

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
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "UPDATE callouts SET teams = ? WHERE id = ?", (json.dumps(list(teams)), callout_id)
            )
            await uow.repo(PageRecords).add(
                callout_id, paged, languages, left_out, now, slot_skills
            )
            await uow.audit(
                actor, "widen", callout_id=callout_id, teams=list(teams), paged=len(paged)
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
        return [PagedPerson.from_row(r) for r in rows]

    async def people_by_ids(self, callout_id: int, ids: list[int]) -> dict[int, PagedPerson]:
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(
            _PERSON_SQL + f" AND r.volunteer_id IN ({marks})", (callout_id, *ids)
        )
        return {r["volunteer_id"]: PagedPerson.from_row(r) for r in rows}

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

    # --- escalation -------------------------------------------------------------------------
    async def advance_escalation(
        self, callout_id: int, stage: int, next_at: datetime | None
    ) -> bool:
        """Move to `stage` once (a timer firing twice after a restart does nothing twice)."""
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "UPDATE callouts SET escalation_stage = ?, escalate_at = ? WHERE id = ? AND "
                "escalation_stage = ? AND status IN ('open','filled')",
                (stage, iso(next_at) if next_at else None, callout_id, stage - 1),
            )
            moved = written.rowcount > 0
            if moved:
                await uow.audit(None, "escalate", callout_id=callout_id, stage=stage)
            return moved

    # --- the end of a callout ---------------------------------------------------------------
    async def cancel(self, callout_id: int, actor: int, reason: str, now: datetime) -> bool:
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "UPDATE callouts SET status = 'cancelled', ended_at = ?, cancel_reason = ?, "
                "escalate_at = NULL WHERE id = ? AND status IN ('open','filled')",
                (iso(now), reason, callout_id),
            )
            done = written.rowcount > 0
            if done:
                await uow.tx.execute(
                    "UPDATE responses SET state = 'no_reply' WHERE callout_id = ? "
                    "AND state = 'paged'",
                    (callout_id,),
                )
                # Cancelled with people already on scene: they still have to come home, so
                # the return phase runs as after a close (no mission is logged).
                await uow.tx.execute(
                    "UPDATE callouts SET return_started_at = ?, return_stage = 0, "
                    "next_check_at = NULL WHERE id = ? AND EXISTS (SELECT 1 FROM responses "
                    "WHERE callout_id = ? AND on_scene_at IS NOT NULL AND home_safe_at IS NULL)",
                    (iso_precise(now), callout_id, callout_id),
                )
                await uow.audit(actor, "cancel", callout_id=callout_id, reason=reason)
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
        async with UnitOfWork(self.db) as uow:
            tx = uow.tx
            written = await tx.execute(
                "UPDATE callouts SET status = 'closed', ended_at = ?, escalate_at = NULL "
                "WHERE id = ? AND status IN ('open','filled')",
                (iso(now), callout_id),
            )
            if not written.rowcount:
                return None
            row = await tx.fetchone("SELECT * FROM callouts WHERE id = ?", (callout_id,))
            assert row is not None
            callout = Callout.from_row(row)
            # Participants: the confirmed, and standby people who checked in on scene.
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
                for r in await tx.fetchall(
                    "SELECT volunteer_id, state, answered_at, confirmed_at, on_scene_at, "
                    "home_safe_at, recorded_by FROM responses WHERE callout_id = ? AND "
                    "(state = 'available' OR on_scene_at IS NOT NULL)",
                    (callout_id,),
                )
            ]
            # Whoever never answered the page did not reply, for the record.
            await tx.execute(
                "UPDATE responses SET state = 'no_reply' WHERE callout_id = ? AND state = 'paged'",
                (callout_id,),
            )
            # The return phase: until everyone out there is home safe (or marked).
            out = any(p.home_safe_at is None for p in confirmed)
            await tx.execute(
                "UPDATE callouts SET return_started_at = ?, return_stage = 0, "
                "return_done_at = ?, next_check_at = NULL WHERE id = ?",
                (iso_precise(now), None if out else iso(now), callout_id),
            )
            written = await tx.execute(
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
            mission_id = written.lastrowid
            await tx.executemany(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours, "
                "counted_hours, recorded_by) VALUES (?,?,?,?,?)",
                [
                    (mission_id, p.volunteer_id, hours, hours, p.recorded_by)
                    for p in confirmed
                    for hours in [p.counted_hours(now)]
                ],
            )
            await uow.audit(
                actor,
                "close",
                callout_id=callout_id,
                mission_id=mission_id,
                rescued=rescued,
                participants=len(confirmed),
            )
        return mission_id
