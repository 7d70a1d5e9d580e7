"""Who cannot be reached is on the board with the reason; paid broadcast pages go as such."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import LEADER, PAGE_MARK, team_settings, volunteer_ids
from bot.app import running_bot
from sandbox.server import BotApiSandbox


async def test_a_volunteer_who_never_opened_the_bot_is_undeliverable_with_that_reason(
    tmp_path: Path,
) -> None:
    ids = volunteer_ids(3)
    async with BotApiSandbox(rate_limit_per_second=30) as box:
        settings = await team_settings(box, tmp_path, 3)
        box.never_started(ids[0])
        leader = box.user(LEADER)
        async with running_bot(settings, poll_timeout=1):
            await leader.send("/callout flood 2 城西街道 内涝转移群众")
            board = await leader.wait_for_message(
                lambda m: "从未打开过机器人" in str(m.get("text")), timeout=30
            )
        assert "无法送达 1" in str(board.get("text"))
        assert not box.messages_to(ids[0])
        assert all(box.messages_to(uid) for uid in ids[1:])


async def test_with_paid_broadcast_on_pages_go_as_paid_broadcasts_and_nothing_else_does(
    tmp_path: Path,
) -> None:
    ids = volunteer_ids(5)
    async with BotApiSandbox(rate_limit_per_second=30) as box:
        settings = await team_settings(box, tmp_path, 5)
        settings = settings.model_copy(update={"paid_broadcast": True})
        leader = box.user(LEADER)
        async with running_bot(settings, poll_timeout=1):
            await leader.send("/callout flood 2 城西街道 内涝转移群众")
            await leader.wait_for_message("已发出", timeout=30)
        sends = [c for c in box.calls if c.method == "sendMessage" and c.ok]
        paid = [c for c in sends if c.params.get("allow_paid_broadcast")]
        assert {int(c.params["chat_id"]) for c in paid} == set(ids)
        assert all(PAGE_MARK in str(c.params.get("text")) for c in paid)
        assert all(int(c.params["chat_id"]) == LEADER for c in sends if c not in paid)
