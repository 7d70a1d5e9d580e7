"""`kill -9` of a running bot mid-tap-storm and mid-close: no acknowledged tap is lost,
no mission is half logged, and SQLite's integrity check passes."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from roster.repository import RosterRepository
from storage.db import open_database
from tests.conftest import TEST_TOKEN
from tests.e2e.test_run_process import _rescuebot
from tests.factories import add_volunteer

LEADER = 8300
TEAM = 30


async def _prepare(db_path: Path, sandbox: Any) -> None:
    db = await open_database(db_path)
    try:
        await RosterRepository(db).seed_reference_data()
        await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
        ready: dict[str, Any] = {"skills": ["mountain_search"], "fitness_passed_on": date.today()}
        for n in range(1, TEAM + 1):
            await add_volunteer(db, f"队员{n}", telegram_id=LEADER + n, **ready)
            sandbox.user(LEADER + n, f"队员{n}")
    finally:
        await db.close()


def _env(db_path: Path, sandbox: Any) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_URL": sandbox.api_url,
            "RESCUEBOT_DB": str(db_path), "RESCUEBOT_LANGUAGE": "en"}  # fmt: skip


def _integrity(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def _started(sandbox: Any, env: dict[str, str], cwd: Path) -> Any:
    polls = sum(c.method == "getUpdates" for c in sandbox.calls)
    process = await _rescuebot("run", env=env, cwd=cwd)
    await sandbox.wait_for(lambda: sum(c.method == "getUpdates" for c in sandbox.calls) > polls, 30)
    return process


async def _kill(process: Any) -> None:
    process.send_signal(signal.SIGKILL)
    await process.communicate()


async def test_kill_9_mid_tap_storm_loses_no_acknowledged_tap(sandbox: Any, tmp_path: Path) -> None:
    db_path = tmp_path / "kill.db"
    await _prepare(db_path, sandbox)
    env = _env(db_path, sandbox)
    process = await _started(sandbox, env, tmp_path)
    leader = sandbox.user(LEADER, "队长")
    await leader.send(f"/callout mountain {TEAM} 西坡 迷路")
    pages = []
    for n in range(1, TEAM + 1):
        user = sandbox.user(LEADER + n)
        pages.append((user, await user.wait_for_message(lambda m: bool(m.get("reply_markup")),
                                                         timeout=60)))  # fmt: skip
    queries = [await user.press(page, "co:1:a") for user, page in pages]
    records = [sandbox.world.callback_queries[q] for q in queries]
    await sandbox.wait_for(lambda: sum(r.answer is not None for r in records) >= TEAM // 3, 30)
    await _kill(process)
    acknowledged = {LEADER + n + 1 for n, r in enumerate(records) if r.answer is not None}
    assert _integrity(db_path) == "ok"
    with sqlite3.connect(db_path) as conn:
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT v.telegram_id FROM responses r JOIN volunteers v ON v.id = r.volunteer_id "
                "WHERE r.callout_id = 1 AND r.state IN ('available', 'standby')"
            )
        }
    assert acknowledged <= stored, acknowledged - stored


async def test_kill_9_mid_close_leaves_the_mission_whole_or_not_at_all(
    sandbox: Any, tmp_path: Path
) -> None:
    db_path = tmp_path / "close.db"
    await _prepare(db_path, sandbox)
    env = _env(db_path, sandbox)
    process = await _started(sandbox, env, tmp_path)
    leader = sandbox.user(LEADER, "队长")
    await leader.send(f"/callout mountain {TEAM} 西坡 迷路")
    for n in range(1, TEAM + 1):
        user = sandbox.user(LEADER + n)
        page = await user.wait_for_message(lambda m: bool(m.get("reply_markup")), timeout=60)
        await user.wait_for_answer(await user.press(page, "co:1:a"), timeout=30)
    await leader.send("/close 1 rescued=2")
    await sandbox.wait_for(lambda: any(c.method == "getUpdates" and c.pending
                                       for c in sandbox.calls[-3:]), 30)  # fmt: skip
    await _kill(process)
    assert _integrity(db_path) == "ok"
    with sqlite3.connect(db_path) as conn:
        status = conn.execute("SELECT status FROM callouts WHERE id = 1").fetchone()[0]
        missions = conn.execute("SELECT id FROM missions WHERE callout_id = 1").fetchall()
        participants = conn.execute("SELECT COUNT(*) FROM mission_participants").fetchone()[0]
    if status == "closed":
        assert len(missions) == 1 and participants == TEAM
    else:
        assert missions == [] and participants == 0
    # After a restart the leader can close it (again, or for the first time) cleanly.
    process = await _started(sandbox, env, tmp_path)
    try:
        if status != "closed":
            await leader.send("/close 1 rescued=2")
            # The reply names the year's target (59) in either language.
            await leader.wait_for_message(lambda m: "59" in str(m.get("text")), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    assert _integrity(db_path) == "ok"
