"""Missions: logged at `/close` or by hand, numbered within the local year, listed for
reports. Part of `CalloutRepository` (missions/repository.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from common.clock import iso, parse_iso
from missions.entities import Mission
from missions.model import MissionEntry
from storage.db import Database
from storage.unit_of_work import Transaction, UnitOfWork


def year_bounds(year: int, tz: ZoneInfo) -> tuple[str, str]:
    """The local calendar year as a half-open UTC ISO range (the year boundary is local)."""
    start = datetime.combine(date(year, 1, 1), time(0), tz)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tz)
    return iso(start), iso(end)


@dataclass(frozen=True)
class DemoMission:
    """A made-up mission of the demo year: nobody's act, so no author and no callout."""

    type: str
    teams: list[str]
    started_at: datetime
    ended_at: datetime
    location: str
    rescued: int
    notes: str
    hours: dict[int, float]  # participant → hours


class MissionRecords:
    """Missions written inside a unit of work (bound to its transaction)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add_demo(self, mission: DemoMission) -> int:
        written = await self.tx.execute(
            "INSERT INTO missions (type, teams, started_at, ended_at, location, rescued, "
            "outcome, notes) VALUES (?,?,?,?,?,?,?,?)",
            (
                mission.type,
                json.dumps(mission.teams),
                iso(mission.started_at),
                iso(mission.ended_at),
                mission.location,
                mission.rescued,
                "",
                mission.notes,
            ),
        )
        await self.tx.executemany(
            "INSERT INTO mission_participants (mission_id, volunteer_id, hours) VALUES (?,?,?)",
            [(written.lastrowid, vid, hours) for vid, hours in mission.hours.items()],
        )
        return written.lastrowid


class MissionStore:
    db: Database

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
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
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
            mission_id = written.lastrowid
            await uow.tx.executemany(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours, "
                "counted_hours, recorded_by) VALUES (?,?,?,?,?)",
                [(mission_id, vid, entry.hours, entry.hours, actor) for vid in participants],
            )
            await uow.audit(
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
