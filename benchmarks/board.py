"""The board's redraw: what one edit of the caller's board, and of a team board, costs at
263 to 26,300 responses.

    python -m benchmarks.board [--responses 263,2630,26300] [--runs 5] [--boards caller,team]

Seeds a temporary database with one callout of team SD (300 needed) whose N responses are
in every state as after a big tap storm — 300 confirmed (a third on scene), standby, a fifth
unavailable, 2 % undeliverable, the rest not yet answered — and 50 people left out, then
times what one redraw of the caller's board does (`CalloutService.board_for_caller`: the
reads and the text) and prints the median of the runs per size. The team board: the same
N responses split between SD and HR (`team=SD:150,HR:150`), timing one redraw of SD's team
board (`TeamBoards.text`, what the coalesced redraw does per team board). The target:
roughly flat in N and well under 50 ms at 26,300. Exit status 1 if 26,300 (when measured)
misses 50 ms. No sandbox: the redraw's cost is the bot's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import FakeClock, iso
from missions.service import CalloutConfig, CalloutService
from roster.repository import RosterRepository
from storage.db import Database, open_database
from storage.unit_of_work import UnitOfWork

TARGET_SECONDS = 0.050
LEADER = 5_000_000
NEEDED = 300
REASONS = ("not_linked", "away", "uninsured", "skill_expired", "no_fitness")


class _NoMessages:
    """The redraw sends nothing; a notifier only to satisfy the service."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the board benchmark sends nothing ({name})")


async def seed(
    db: Database,
    responses: int,
    now: datetime,
    rng: random.Random,
    teams: tuple[str, ...] = ("SD",),
) -> None:
    """The callout: of team SD, or of `teams` with the people taking turns between them and
    the headcount shared out as quotas."""
    await RosterRepository(db).seed_reference_data()
    stamp = iso(now)
    people = [(LEADER, "SD", "李队长", "+8613900000000", "leader", LEADER, 1, stamp, stamp)]
    people += [
        (vid, teams[vid % len(teams)], f"队员{vid:05d}", f"+86139{vid:08d}", "member",
         8_000_000 + vid, 1, stamp, stamp)
        for vid in range(1, responses + 51)
    ]  # fmt: skip
    quotas = {team: NEEDED // len(teams) for team in teams} if len(teams) > 1 else {}
    rows = []
    for vid in range(1, responses + 1):
        answered = iso(now - timedelta(seconds=rng.randint(60, 3000)))
        scene = None
        if vid <= min(NEEDED, responses * 2 // 3):
            state = "available"
            scene = iso(now - timedelta(minutes=rng.randint(1, 50))) if vid % 3 == 0 else None
        elif vid <= NEEDED + responses // 10:
            state = "standby"
        elif rng.random() < 0.2:
            state = "unavailable"
        elif rng.random() < 0.02:
            state = "undeliverable"
        else:
            state = "paged"
        rows.append(
            (1, vid, state, rng.choice((15, 30, None)) if state == "available" else None,
             "blocked" if state == "undeliverable" else None, 8_000_000 + vid, vid,
             iso(now - timedelta(hours=1)), None if state == "paged" else answered,
             answered if state == "available" else None, scene)
        )  # fmt: skip
    extra = range(responses + 1, responses + 51)
    left_out = [(1, vid, REASONS[vid % len(REASONS)], "") for vid in extra]
    async with UnitOfWork(db) as uow:
        await uow.tx.executemany(
            "INSERT INTO volunteers (id, team_code, name, phone, role, telegram_id, active, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            people,
        )
        await uow.tx.execute(
            "INSERT INTO callouts (id, type, teams, skills, needed, location, description, "
            "require_fitness, called_by, status, created_at, board_chat_id, board_message_id, "
            "quotas) VALUES (1, 'flood', ?, '[]', ?, '城西街道', '内涝转移群众', 0, ?, 'filled', "
            "?, ?, 1, ?)",
            (
                json.dumps(list(teams)),
                NEEDED,
                LEADER,
                iso(now - timedelta(hours=1)),
                LEADER,
                json.dumps(quotas),
            ),
        )
        await uow.tx.executemany(
            "INSERT INTO responses (callout_id, volunteer_id, state, eta_minutes, reason, "
            "chat_id, message_id, paged_at, answered_at, confirmed_at, on_scene_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        await uow.tx.executemany("INSERT INTO callout_exclusions VALUES (?,?,?,?)", left_out)


async def _redraw(service: CalloutService, team: bool) -> str:
    """One redraw: the caller's board, or SD's team board as its leader sees it."""
    if not team:
        board = await service.board_for_caller(1)
        assert board is not None
        return board[2]
    viewer = await service.actor(LEADER)
    return await service.team_boards.text(1, viewer, "SD")


async def measure(responses: int, runs: int, team: bool = False) -> tuple[float, int]:
    """(median seconds of a redraw, board length)."""
    now = datetime.now(UTC)
    teams = ("SD", "HR") if team else ("SD",)
    with tempfile.TemporaryDirectory(prefix="rescuebot-board-") as folder:
        db = await open_database(Path(folder) / "bench.db")
        try:
            await seed(db, responses, now, random.Random(263), teams)
            config = CalloutConfig(
                language="zh", escalate_minutes=10, tz=ZoneInfo("Asia/Shanghai"), mission_target=59
            )
            service = CalloutService(
                db,
                RosterRepository(db),
                _NoMessages(),
                FakeClock(now),
                config,
            )
            times, size = [], 0
            confirmed = min(NEEDED, responses * 2 // 3)
            expected = (
                f"全部已确认 {confirmed}/{NEEDED}" if team else f"已确认 {confirmed}/{NEEDED}"
            )
            for _ in range(runs + 1):  # the first warms the caches (labels, the caller)
                started = time.perf_counter()
                text = await _redraw(service, team)
                times.append(time.perf_counter() - started)
                size = len(text)
                assert expected in text, text[:300]
        finally:
            await db.close()
    return statistics.median(times[1:]), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.board", description=__doc__)
    parser.add_argument("--responses", default="263,2630,26300")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--boards", default="caller,team")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.responses.split(",")]
    ok = True
    for kind in args.boards.split(","):
        name = "board_for_caller" if kind == "caller" else "TeamBoards.text, SD of SD+HR"
        print(f"{kind} board redraw ({name}), median of {args.runs}")
        for n in sizes:
            seconds, length = asyncio.run(measure(n, args.runs, team=kind == "team"))
            print(
                f"  {n:>6} responses: {seconds * 1000:7.1f} ms  (board {length} characters; "
                f"ratio to the {TARGET_SECONDS * 1000:.0f} ms target "
                f"{seconds / TARGET_SECONDS:.2f})"
            )
            if n >= 26300 and seconds >= TARGET_SECONDS:
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
