"""Incident operations end to end: the real bot, the sandbox, intervals of 0.05 min (3 s).

On scene, a missed safety check reaching the leader and then coordinators, Need help, the
return after /close (also across a restart), phone answers with /mark, the debrief and
the hours export. The return tests move a fake clock instead of waiting: whether a tap
beats the overdue alert must not depend on how busy the machine is.
"""

from __future__ import annotations

import csv
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import running_bot
from common.clock import Clock, FakeClock
from common.settings import Settings
from storage.db import Database
from tests.conftest import make_settings
from tests.factories import add_coordinator, add_volunteer

LEADER = 7000
COORD = 7900
TODAY = date.today()
MOUNTAIN = ["mountain_search"]
CALL = "/callout mountain 2 凤凰山西坡 徒步者脚踝受伤 skills=mountain_search"
FAST = "0.05"  # minutes: 3 s


def text_of(message: dict[str, Any]) -> str:
    return str(message.get("text") or "")


@pytest.fixture
def bot_settings(tmp_path: Path, sandbox: Any) -> Settings:
    """The shared `bot_settings` (and so `seeded_db`), with the incident intervals shrunk."""
    return make_settings(
        tmp_path / "bot.db",
        sandbox.api_url,
        RESCUEBOT_CHECK_MINUTES=FAST,
        RESCUEBOT_CHECK_GRACE_MINUTES=FAST,
        RESCUEBOT_RETURN_MINUTES=FAST,
        RESCUEBOT_ESCALATE_MINUTES="60",
    )


async def crew(db: Database, sandbox: Any, members: int = 3) -> None:
    await add_volunteer(db, "李队长", role="leader", telegram_id=LEADER, phone="+8613900000000")
    await add_coordinator(db, COORD)
    sandbox.user(LEADER, "李队长")
    sandbox.user(COORD, "值班员")
    for n in range(1, members + 1):
        sandbox.user(LEADER + n, f"队员{n}")
        await add_volunteer(
            db,
            f"队员{n}",
            telegram_id=LEADER + n,
            phone=f"+861390000000{n}",
            skills=MOUNTAIN,
            fitness_passed_on=TODAY,
        )


@asynccontextmanager
async def called_out(
    sandbox: Any, settings: Settings, clock: Clock | None = None
) -> AsyncIterator[Any]:
    """The bot running and the leader's callout sent; yields the leader."""
    leader = sandbox.user(LEADER)
    async with running_bot(settings, clock, poll_timeout=1):
        await leader.send(CALL)
        yield leader


async def press(user: Any, message: dict[str, Any], data: str) -> str:
    answer = await user.wait_for_answer(await user.press(message, data))
    return str(answer.get("text", ""))


def button(user: Any, message: dict[str, Any], label: str) -> str:
    return next(data for text, data in user.buttons(message) if text == label)


async def confirmed(sandbox: Any, n: int) -> tuple[Any, dict[str, Any]]:
    """Volunteer n taps Available; returns them and their page once it offers On scene."""
    user = sandbox.user(LEADER + n, f"队员{n}")
    page = await user.wait_for_message(lambda m: "出队召集" in text_of(m))
    assert "已确认" in await press(user, page, "co:1:a")
    page = await user.wait_for_message(
        lambda m: m["message_id"] == page["message_id"] and "ic:1:scene" in str(m)
    )
    return user, page


async def on_scene(sandbox: Any, n: int) -> tuple[Any, dict[str, Any], str]:
    """Volunteer n confirms and taps On scene; returns them, their page and the tap's answer."""
    user, page = await confirmed(sandbox, n)
    return user, page, await press(user, page, button(user, page, "到达现场"))


async def test_a_missed_safety_check_reaches_the_leader_with_phone_and_position_then_coordinators(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await crew(seeded_db, sandbox)
    coordinator = sandbox.user(COORD)
    async with called_out(sandbox, bot_settings) as leader:
        user, _, answer = await on_scene(sandbox, 1)
        assert "到达现场" in answer
        arrived = time.monotonic()
        await user.send_location(30.25, 120.15)
        await user.wait_for_message("已记录你的位置")
        await leader.wait_for_message(lambda m: "到达现场 1" in text_of(m) and "📋" in text_of(m))
        check = await user.wait_for_message("安全确认")
        assert [label for label, _ in user.buttons(check)] == ["平安", "需要支援"]
        alert = await leader.wait_for_message("未回复安全确认", timeout=15)
        late = time.monotonic() - arrived
        assert "队员1 (SD) 139 0000 0001" in text_of(alert)
        assert "30.25000, 120.15000" in text_of(alert)
        await leader.wait_for_message(lambda m: "📋" in text_of(m) and "安全确认超时" in text_of(m))
        escalated = await coordinator.wait_for_message("仍未回复安全确认", timeout=15)
        assert "队员1 (SD) 139 0000 0001" in text_of(escalated)
        # Answering late tells the leader it is all right.
        assert "平安" in await press(user, check, button(user, check, "平安"))
        await leader.wait_for_message("已回复平安")
    # Interval + grace = 6 s: the leader heard within that (plus the bot's own latency).
    print(f"missed check reported {late:.1f} s after check-in (interval 3 s + grace 3 s)")


async def test_need_help_alerts_the_leader_and_coordinators_at_once_with_the_position(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await crew(seeded_db, sandbox)
    coordinator = sandbox.user(COORD)
    async with called_out(sandbox, bot_settings) as leader:
        user, _, _ = await on_scene(sandbox, 1)
        await user.send_location(30.3, 120.2)
        check = await user.wait_for_message("安全确认")
        asked = time.monotonic()
        assert "已通知" in await press(user, check, button(user, check, "需要支援"))
        for person in (leader, coordinator):
            alert = await person.wait_for_message(lambda m: text_of(m).startswith("🆘"))
            assert "队员1 (SD) 139 0000 0001" in text_of(alert)
            await person.wait_for_message(lambda m: "location" in m)
        print(f"need help reached leader and coordinator in {time.monotonic() - asked:.2f} s")
        # Forged or stale incident buttons are answered, and change nothing.
        for data in ("ic:²:scene", f"ic:{'9' * 30}:scene", "ic:1:ok:x", "ic:1:home", "ic:7:ok:1"):
            query = await user.press(check, data, force=True)
            assert (await user.wait_for_answer(query)).get("text")
        await leader.wait_for_message(lambda m: "📋" in text_of(m) and "请求支援" in text_of(m))


async def test_after_close_the_one_never_home_safe_is_flagged_and_the_debrief_counts(
    sandbox: Any, bot_settings: Settings, seeded_db: Database, tmp_path: Path
) -> None:
    await crew(seeded_db, sandbox)
    coordinator = sandbox.user(COORD)
    clock = FakeClock(datetime.now(UTC))
    async with called_out(sandbox, bot_settings, clock) as leader:
        first, page1 = await confirmed(sandbox, 1)
        second, _ = await confirmed(sandbox, 2)
        await press(first, page1, button(first, page1, "到达现场"))
        await leader.send("/check 1 off")
        await leader.wait_for_message("已关闭安全确认")
        await leader.send("/close 1 rescued=1")
        done = await leader.wait_for_message("已请 2 名参与队员在安全到家后确认")
        assert "/mission 1" in text_of(done)
        ask = await first.wait_for_message("安全到家后请点击")
        await second.wait_for_message("安全到家后请点击")
        board = await leader.wait_for_message(lambda m: "返程中" in text_of(m))
        assert "已安全返回 0/2" in text_of(board)
        await leader.send("/status")
        await leader.wait_for_message(
            lambda m: "/status" not in text_of(m) and "返程中" in text_of(m)
        )
        assert "欢迎回来" in await press(first, ask, button(first, ask, "已安全返回"))
        debrief = await first.wait_for_message("系统记录你的服务时长")
        # The one who never taps Home safe: the leader rings them, then coordinators hear.
        # The fake clock moves past each deadline only now; the timer, re-run every
        # interval while nothing is due, then sends each alert.
        clock.advance(minutes=bot_settings.return_minutes)
        overdue = await leader.wait_for_message("未确认安全返回", timeout=30)
        assert "队员2 (SD) 139 0000 0002" in text_of(overdue) and "队员1" not in text_of(overdue)
        clock.advance(minutes=bot_settings.return_minutes)
        await coordinator.wait_for_message("仍有 1 人未确认安全返回", timeout=30)
        # The debrief: Correct, a wrong figure, then the right one.
        await press(first, debrief, button(first, debrief, "修改"))
        await first.wait_for_message("请直接回复正确的小时数")
        await first.send("七十")
        await first.wait_for_message("不是有效的小时数")
        await first.send("5.5")
        await first.wait_for_message("已记录：召集 #1 服务 5.5 小时")
        await leader.send("/mark 1 队员2 safe")
        await leader.wait_for_message("已记录（电话确认）：队员2")
        await leader.wait_for_message("全员 2 人已安全返回")
        await leader.send("/mission 1")
        record = await leader.wait_for_message("📄 任务 1")
        assert "修改为 5.5 小时" in text_of(record) and "队长代记" in text_of(record)
    from bot.cli import _export

    out = tmp_path / "hours.csv"
    await _export(bot_settings, "hours", None, out)
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    by_name = {r[0]: r for r in rows[1:] if not r[3].startswith("合计")}
    assert by_name["队员1"][8] == "5.5" and by_name["队员1"][9] == "5.5"
    assert by_name["队员2"][8] == ""  # nobody confirmed: the counted figure counts
    assert any(r[0] == "队员1" and r[3].startswith("合计") and r[9] == "5.5" for r in rows)


async def test_a_restart_between_close_and_the_return_loses_nothing(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await crew(seeded_db, sandbox)
    clock = FakeClock(datetime.now(UTC))
    async with called_out(sandbox, bot_settings, clock) as leader:
        first, _ = await confirmed(sandbox, 1)
        second, _ = await confirmed(sandbox, 2)
        await leader.send("/close 1")
        ask1 = await first.wait_for_message("安全到家后请点击")
        ask2 = await second.wait_for_message("安全到家后请点击")
    async with running_bot(bot_settings, clock, poll_timeout=1):
        # Buttons sent before the restart still work, and the return timer is back.
        assert "欢迎回来" in await press(first, ask1, button(first, ask1, "已安全返回"))
        clock.advance(minutes=bot_settings.return_minutes)  # past the deadline only now
        overdue = await leader.wait_for_message("未确认安全返回", timeout=30)
        assert "队员2" in text_of(overdue) and "队员1 (SD)" not in text_of(overdue)
        assert "欢迎回来" in await press(second, ask2, button(second, ask2, "已安全返回"))
        await leader.wait_for_message("全员 2 人已安全返回")


async def test_phone_answers_with_mark_count_in_the_headcount_participants_and_hours(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await crew(seeded_db, sandbox, members=1)
    await add_volunteer(seeded_db, "老王", phone="+8613800007777", skills=MOUNTAIN)  # no Telegram
    async with called_out(sandbox, bot_settings) as leader:
        await confirmed(sandbox, 1)
        await leader.send("/mark 1 老王 available eta=30")
        await leader.wait_for_message("已记录（电话确认）：老王 — 可以出队")
        board = await leader.wait_for_message(
            lambda m: "📋" in text_of(m) and "已确认 2/2" in text_of(m)
        )
        assert "老王 (SD) （30 分钟到）" in text_of(board)
        # The full lists, one tap away under the board, as a spreadsheet.
        await press(leader, board, button(leader, board, "完整名单"))
        sent = await leader.wait_for_message(lambda m: "document" in m)
        assert sent["document"]["file_name"] == "callout-1.xlsx"
        assert "完整名单（3 人）" in str(sent.get("caption"))
        await leader.send("/mark 1 老王 onscene")
        await leader.wait_for_message(lambda m: "📋" in text_of(m) and "到达现场 1" in text_of(m))
        await leader.send("/mark 1 老王 maybe")
        await leader.wait_for_message("不是有效的回复")
        await leader.send("/close 1")
        await leader.wait_for_message("2 人参与")
    rows = await seeded_db.fetchall(
        "SELECT v.name, p.recorded_by FROM mission_participants p JOIN volunteers v "
        "ON v.id = p.volunteer_id ORDER BY v.name"
    )
    assert {r[0]: r[1] for r in rows} == {"老王": LEADER, "队员1": None}
    audit = await seeded_db.fetchall("SELECT detail FROM audit_log WHERE action = 'mark'")
    assert audit and all('"by": "leader"' in r[0] for r in audit)
