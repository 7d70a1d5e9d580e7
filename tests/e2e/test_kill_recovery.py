"""`kill -9` of a running bot mid-tap-storm, mid-close and mid-fan-out, and of an import
mid-write: no acknowledged tap is lost, no mission is half logged, every page goes out
after a restart (none on record sent twice) and escalation resumes, an import is all or
nothing, and SQLite's integrity check passes."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
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


async def _polled(condition: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
    """Wait for what another process writes to the database: there is no event to wait
    on, so the condition is looked at again every 50 ms."""
    async with asyncio.timeout(timeout):
        while True:
            if condition():
                return
            await asyncio.sleep(0.05)


def _pages_to(sandbox: Any, chat_id: int) -> int:
    return sum(
        1
        for m in sandbox.messages_to(chat_id)
        if str(m.get("text")).startswith("🚨") and "co:1:a" in str(m.get("reply_markup"))
    )


async def test_kill_9_mid_fan_out_pages_everyone_after_a_restart_and_escalation_resumes(
    sandbox: Any, tmp_path: Path
) -> None:
    db_path = tmp_path / "fanout.db"
    await _prepare(db_path, sandbox)
    # Escalation after the default 10 minutes: never before the kill, however slow the
    # machine; the test moves the deadline on record into the past while the bot is down.
    env = _env(db_path, sandbox)
    process = await _started(sandbox, env, tmp_path)
    leader = sandbox.user(LEADER, "队长")
    volunteers = [LEADER + n for n in range(1, TEAM + 1)]
    first, rest = volunteers[: TEAM // 2], volunteers[TEAM // 2 :]
    for chat in rest:  # Telegram is slow to take these pages: the fan-out is half done
        sandbox.slow("sendMessage", 60, chat_id=chat)
    await leader.send(f"/callout mountain {TEAM} 西坡 迷路")
    await leader.wait_for_message("已确认 0/", timeout=30)  # the board

    def recorded() -> set[int]:
        with sqlite3.connect(db_path) as conn:
            return {
                row[0]
                for row in conn.execute(
                    "SELECT v.telegram_id FROM responses r JOIN volunteers v"
                    " ON v.id = r.volunteer_id WHERE r.callout_id = 1 AND r.message_id IS NOT NULL"
                )
            }

    await _polled(lambda: recorded() == set(first), 60)  # the first half delivered, on record
    await _kill(process)
    for chat in rest:
        sandbox.slow("sendMessage", 0, chat_id=chat)
    assert _integrity(db_path) == "ok"
    assert recorded() == set(first)
    assert not any("已提醒" in str(m.get("text")) for m in sandbox.messages_to(LEADER))
    _deadline_passed_while_down(db_path)
    process = await _started(sandbox, env, tmp_path)
    try:
        await sandbox.wait_for(lambda: all(_pages_to(sandbox, v) for v in volunteers), 60)
        # A page on record as delivered is not sent again.
        assert all(_pages_to(sandbox, v) == 1 for v in first)
        # The escalation timer survived the crash: the leader hears who has not replied …
        await leader.wait_for_message("已提醒", timeout=60)
        # … and the one board shows every page out, none left undelivered.
        boards = [m for m in sandbox.messages_to(LEADER) if str(m.get("text")).startswith("📋")]
        assert len(boards) == 1
        board = str(boards[0].get("text"))
        assert f"未回复 {TEAM}：" in board and "已确认 0/" in board and "无法送达" not in board
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    assert _integrity(db_path) == "ok"


def _deadline_passed_while_down(db_path: Path) -> None:
    """Callout #1's escalation deadline is on record, still ahead; it is moved into the past,
    as if the bot had stayed down that long."""
    with sqlite3.connect(db_path) as conn:
        (due,) = conn.execute("SELECT escalate_at FROM callouts WHERE id = 1").fetchone()
        assert due and datetime.fromisoformat(due) > datetime.now(UTC), due
        past = (datetime.now(UTC) - timedelta(seconds=5)).isoformat(timespec="seconds")
        conn.execute("UPDATE callouts SET escalate_at = ? WHERE id = 1", (past,))


def _writing(db_path: Path) -> bool:
    """Another process holds the database's write lock (its transaction is open)."""
    conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def _snapshot(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


async def test_kill_9_mid_import_leaves_the_database_unchanged_and_a_rerun_succeeds(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "import.db"
    env = {**os.environ, "RESCUEBOT_DB": str(db_path), "RESCUEBOT_LANGUAGE": "en"}
    init = await _rescuebot("init", env=env, cwd=tmp_path)
    await init.communicate()
    assert init.returncode == 0
    people = 20_000  # enough that the write transaction lasts a while
    header = "队伍,姓名,手机,职务,技能,Telegram ID,保险公司,保单号,保险起期,保险止期"
    rows = [
        f"SD,队员{n},139{n:08d},队员,山地搜救,,中国平安财产保险,PA{n:06d},2026-01-01,2026-12-31"
        for n in range(people)
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    before = _snapshot(db_path)
    process = await _rescuebot("import", "roster", str(roster), env=env, cwd=tmp_path)
    held = 0
    async with asyncio.timeout(120):
        while held < 3:  # the lock seen held three times running: the import is writing
            assert process.returncode is None, "the import ended before it was seen writing"
            held = held + 1 if _writing(db_path) else 0
            await asyncio.sleep(0.01)
    await _kill(process)
    assert _integrity(db_path) == "ok"
    assert _snapshot(db_path) == before  # all or nothing: nothing
    rerun = await _rescuebot("import", "roster", str(roster), env=env, cwd=tmp_path)
    out, err = await asyncio.wait_for(rerun.communicate(), 120)
    assert rerun.returncode == 0, (out + err).decode()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == people
    assert _integrity(db_path) == "ok"
