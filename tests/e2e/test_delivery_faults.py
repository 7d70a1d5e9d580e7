"""Delivery under faults, against the sandbox enforcing Telegram's limits: an outage in the
middle of a 263-page fan-out, a board Telegram answers late, users who never started the bot.
(Telegram's outage is switched off by the test, not by a clock; the bot's waits between
tries are shortened.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.common import (
    LEADER,
    PAGE_MARK,
    TELEGRAM_LIMIT,
    chat_of,
    team_settings,
    volunteer_ids,
)
from bot.app import running_bot
from common.settings import Settings
from missions import delivery
from sandbox.server import BotApiSandbox


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.1, 0.3))
    monkeypatch.setattr(delivery, "STILL_OUT_AFTER", 1.0)


def pages_to(box: BotApiSandbox, uid: int) -> list[str]:
    return [str(m.get("text")) for m in box.messages_to(uid) if PAGE_MARK in str(m.get("text"))]


def first_page(box: BotApiSandbox, uid: int) -> dict[str, Any]:
    return next(m for m in box.messages_to(uid) if PAGE_MARK in str(m.get("text")))


def leader_messages_with(box: BotApiSandbox, word: str) -> list[dict[str, Any]]:
    """What the leader got that holds `word` (已确认: a board; 已发出: the callout's reply)."""
    return [m for m in box.messages_to(LEADER) if word in str(m.get("text"))]


def flood_callout(team: int) -> str:
    return f"/callout flood {team} 城西街道 内涝转移群众"


@asynccontextmanager
async def team_on_limits(
    tmp_path: Path, team: int
) -> AsyncIterator[tuple[BotApiSandbox, Settings, Any]]:
    """A sandbox enforcing Telegram's limits with a team of `team` on file; yields it, the
    bot's settings and the leader. The bot is started by the test, so it can arrange faults
    first and check what was sent after the bot stopped."""
    async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
        settings = await team_settings(box, tmp_path, team)
        yield box, settings, box.user(LEADER)


async def test_an_outage_mid_fan_out_loses_no_page_and_the_leader_hears_what_was_still_out(
    tmp_path: Path,
) -> None:
    team = 263
    ids = volunteer_ids(team)
    async with team_on_limits(tmp_path, team) as (box, settings, leader):
        async with running_bot(settings, poll_timeout=1):
            await leader.send(flood_callout(team))
            await box.wait_for(lambda: sum(1 for uid in ids if pages_to(box, uid)) >= 60, 30)
            box.outage(502)
            since = len(box.calls)

            def refused_to(chat: int) -> int:
                return sum(
                    1 for c in box.calls[since:] if c.status == 502 and chat_of(c.params) == chat
                )

            def leader_notice_refused() -> bool:
                return any(
                    c.status == 502 and "条通知未送达" in str(c.params.get("text"))
                    for c in box.calls[since:]
                )

            # Down long enough for every retry step and the leader's notice to have failed.
            await box.wait_for(leader_notice_refused, timeout=30)
            stuck = [uid for uid in ids if refused_to(uid)]
            await box.wait_for(lambda: all(refused_to(uid) >= 3 for uid in stuck), timeout=30)
            box.outage(503)
            await box.wait_for(
                lambda: sum(1 for c in box.calls[since:] if c.status == 503) >= 20, timeout=30
            )
            box.recover()
            await box.wait_for(lambda: all(pages_to(box, uid) for uid in ids), timeout=60)
            notice = await leader.wait_for_message("条通知未送达", timeout=30)
            await leader.wait_for_message("所有通知现已送达", timeout=30)
            await leader.wait_for_message(f"通知 {team} 人", timeout=30)
        assert all(len(pages_to(box, uid)) == 1 for uid in ids)  # none twice: 5xx is not sent
        assert "城西" not in str(notice.get("text"))  # names, not the page
        boards = leader_messages_with(box, "已确认")
        assert len(boards) == 1
        assert sum(1 for c in box.calls if c.status == 429) == 0


async def test_a_board_telegram_answers_late_is_sent_once_and_pages_do_not_wait_for_it(
    tmp_path: Path,
) -> None:
    team = 40
    ids = volunteer_ids(team)
    async with team_on_limits(tmp_path, team) as (box, settings, leader):
        # Longer than the client's usual 5 s wait for an answer; the message arrives anyway.
        box.slow("sendMessage", 6, chat_id=LEADER)
        async with running_bot(settings, poll_timeout=1):
            await leader.send(flood_callout(team))
            await box.wait_for(lambda: all(pages_to(box, uid) for uid in ids), timeout=30)
            assert not box.messages_to(LEADER)  # every page out before the board was answered
            await leader.wait_for_message(f"通知 {team} 人", timeout=30)
            box.slow("sendMessage", 0, chat_id=LEADER)
            page = first_page(box, ids[0])
            await box.user(ids[0]).press(page, "co:1:a")
            await leader.wait_for_message("已确认 1/", timeout=30)  # the one board, updated
        boards = leader_messages_with(box, "已确认")
        assert len(boards) == 1
        replies = leader_messages_with(box, "已发出")
        assert len(replies) == 1


async def test_the_board_is_never_dropped_however_many_429s_it_meets(tmp_path: Path) -> None:
    team = 5
    ids = volunteer_ids(team)
    async with team_on_limits(tmp_path, team) as (box, settings, leader):
        async with running_bot(settings, poll_timeout=1):
            await leader.send(flood_callout(team))
            await leader.wait_for_message(f"通知 {team} 人", timeout=30)
            # The board is sent after the pages; on a busy machine it could go out already
            # showing every tap, and then no edit would meet the 429s.
            await leader.wait_for_message(f"已确认 0/{team}", timeout=30)
            box.inject_429(15, retry_after=0, methods={"editMessageText"})
            for uid in ids:
                user = box.user(uid)
                page = first_page(box, uid)
                await user.press(page, "co:1:a")
            await leader.wait_for_message(f"已确认 {team}/{team}", timeout=60)
        assert sum(1 for c in box.calls if c.status == 429) == 15
