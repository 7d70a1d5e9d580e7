"""Files sent in chat are parsed off the event loop and bounded: taps never wait for them."""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from typing import Any

import pytest

from common import tabular
from tests.conftest import BotHarness
from tests.factories import add_coordinator, add_volunteer
from tests.unit.test_import_files import _far_cell_xlsx

COORDINATOR = 9100
LEADER = 7000
VOLUNTEER = 7001


async def test_taps_are_answered_while_an_import_is_being_parsed(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_coordinator(bot.db, COORDINATOR)
    await add_volunteer(bot.db, "李队长", role="leader", telegram_id=LEADER)
    await add_volunteer(bot.db, "队员1", telegram_id=VOLUNTEER, fitness_passed_on=date.today())
    leader = bot.sandbox.user(LEADER, "李队长")
    volunteer = bot.sandbox.user(VOLUNTEER, "队员1")
    coordinator = bot.sandbox.user(COORDINATOR, "值班员")
    await leader.send("/callout flood 1 北江大堤 巡堤")
    page = await volunteer.wait_for_message(lambda m: bool(m.get("reply_markup")))

    # The parser is held inside until the test lets it go: if parsing ran on the event
    # loop, nothing (the tap included) could be answered while it is held.
    entered, release = threading.Event(), threading.Event()
    parsing = threading.Event()
    original = tabular.read_rows

    def held_parser(*args: Any) -> list[tabular.Row]:
        parsing.set()
        entered.set()
        release.wait(30)
        parsing.clear()
        return original(*args)

    monkeypatch.setattr(tabular, "read_rows", held_parser)
    content = "team,name,phone\nSD,张伟,13900000001\n".encode()
    await coordinator.send_document("roster.csv", content, caption="/import roster")
    assert await asyncio.to_thread(entered.wait, 10)

    data = volunteer.buttons(page)[0][1]  # Available
    query = await volunteer.press(page, data)
    await volunteer.wait_for_answer(query)
    assert parsing.is_set()  # answered while the file was still being parsed
    release.set()
    await coordinator.wait_for_message("新增 1", timeout=20)


async def test_a_hostile_xlsx_sent_in_chat_is_refused_with_what_to_do(bot: BotHarness) -> None:
    await add_coordinator(bot.db, COORDINATOR)
    coordinator = bot.sandbox.user(COORDINATOR, "值班员")
    await coordinator.send_document("roster.xlsx", _far_cell_xlsx(), caption="/import roster")
    reply = await coordinator.wait_for_message("A1:XFD1048576", timeout=20)
    assert "Ctrl+End" in str(reply["text"])
    count = await bot.db.fetchone("SELECT COUNT(*) FROM volunteers")
    assert count is not None and count[0] == 0
