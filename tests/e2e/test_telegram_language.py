"""Telegram's language wins when a person never chose one with /lang: also in what the
bot sends on its own (pages, the board redrawn as replies arrive)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.driver import Driver, driven_bot
from tests.factories import add_volunteer

LEADER, MEMBER, CHINESE_MEMBER = 8201, 8202, 8203


@pytest.fixture
async def driver(sandbox: Any, tmp_path: Path) -> AsyncIterator[Driver]:
    settings = make_settings(tmp_path / "lang.db", sandbox.api_url)  # default language: zh
    async with driven_bot(sandbox, settings) as driver:
        ready = {"skills": ["mountain_search"], "fitness_passed_on": date.today()}
        await add_volunteer(driver.db, "Leader", role="leader", telegram_id=LEADER)
        await add_volunteer(driver.db, "Member", telegram_id=MEMBER, **ready)  # type: ignore[arg-type]
        await add_volunteer(driver.db, "成员", telegram_id=CHINESE_MEMBER, **ready)  # type: ignore[arg-type]
        for user_id, code in ((LEADER, "en"), (MEMBER, "en-GB"), (CHINESE_MEMBER, "zh-hans")):
            await driver.sandbox.user(user_id, "x", language_code=code).send("/help")
        await driver.deliver()
        yield driver


async def test_an_english_leaders_board_stays_english_and_english_volunteers_get_english_pages(
    driver: Driver,
) -> None:
    leader, member = driver.sandbox.user(LEADER), driver.sandbox.user(MEMBER)
    await leader.send("/callout mountain 2 West-slope hiker lost")
    await driver.deliver()
    page = member.inbox()[-1]
    assert "Available" in str(page["reply_markup"]), page
    assert "可以出队" in str(driver.sandbox.user(CHINESE_MEMBER).inbox()[-1]["reply_markup"])
    await member.press(page, next(d for _, d in member.buttons(page) if d.endswith(":a")))
    await driver.deliver()
    boards = [m for m in leader.inbox() if "#1" in str(m.get("text"))]
    board = str(boards[0]["text"])
    assert board.isascii() or "Member" in board, board
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in board.replace("成员", "")), board
