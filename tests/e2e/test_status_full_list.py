"""`/status` boards carry the live board's *Full list* button, with the same rules:
the file in a private chat, phones only for whom the viewer may see them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import load_workbook

from bot.app import running_bot
from common.settings import Settings
from storage.db import Database
from tests.factories import add_coordinator, add_volunteer

LEADER, MEMBER, COORD, HR_LEADER = 7400, 7401, 7490, 7450
GROUP = -100740
CALL = "/callout mountain 1 凤凰山西坡 徒步者脚踝受伤 skills=mountain_search"


def text_of(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


def has_full_list(message: dict[str, Any]) -> bool:
    return "完整名单" in str(message.get("reply_markup"))


def full_list_button(user: Any, message: dict[str, Any]) -> str:
    return next(data for text, data in user.buttons(message) if text == "完整名单")


async def cells_of(sandbox: Any, document: dict[str, Any]) -> str:
    workbook = load_workbook(io.BytesIO(sandbox.file_bytes(document["document"]["file_id"])))
    return " ".join(
        str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c
    )


async def test_a_status_board_sends_the_full_list_file_like_the_live_board(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await add_volunteer(seeded_db, "李队长", role="leader", telegram_id=LEADER)
    await add_volunteer(
        seeded_db,
        "队员1",
        telegram_id=MEMBER,
        phone="+8613900000001",
        skills=["mountain_search"],
        fitness_passed_on=date.today(),
    )
    await add_volunteer(seeded_db, "王队", team="HR", role="leader", telegram_id=HR_LEADER)
    await add_coordinator(seeded_db, COORD)
    leader = sandbox.user(LEADER, "李队长")
    member = sandbox.user(MEMBER, "队员1")
    coordinator = sandbox.user(COORD, "值班员")
    other_leader = sandbox.user(HR_LEADER, "王队")
    sandbox.group(GROUP, "指挥群")
    async with running_bot(bot_settings, poll_timeout=1):
        await leader.send(CALL)
        page = await member.wait_for_message(lambda m: "出队召集" in text_of(m))
        await member.wait_for_answer(await member.press(page, "co:1:a"))

        # The leader's /status board: the same button, the file with their team's phones.
        await leader.send("/status")
        board = await leader.wait_for_message(
            lambda m: "/status" not in text_of(m) and "#1" in text_of(m) and "队员1" in text_of(m)
        )
        await leader.wait_for_answer(await leader.press(board, full_list_button(leader, board)))
        sent = await leader.wait_for_message(lambda m: "document" in m)
        assert sent["document"]["file_name"] == "callout-1.xlsx"
        assert "139 0000 0001" in await cells_of(sandbox, sent)

        # In a group the board shows no phones and its button refuses: the file is private.
        await coordinator.send("/status 1", chat_id=GROUP)
        in_group = await coordinator.wait_for_message(has_full_list, chat_id=GROUP)
        assert "139" not in text_of(in_group)
        query = await coordinator.press(in_group, full_list_button(coordinator, in_group))
        assert "私聊" in str((await coordinator.wait_for_answer(query)).get("text"))
        assert not any("document" in m for m in coordinator.inbox(GROUP))

        # A coordinator's private /status board: the file with phones.
        await coordinator.send("/status 1")
        mine = await coordinator.wait_for_message(has_full_list)
        await coordinator.press(mine, full_list_button(coordinator, mine))
        sent = await coordinator.wait_for_message(lambda m: "document" in m)
        assert "139 0000 0001" in await cells_of(sandbox, sent)

        # A leader of a team not on the callout has no board, so no button either.
        await other_leader.send("/status")
        none = await other_leader.wait_for_message("目前没有进行中的召集")
        assert not other_leader.buttons(none)
