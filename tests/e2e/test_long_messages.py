"""A message over Telegram's 4096 characters (the phone list of hundreds of silent
volunteers, a still-out list) arrives in parts instead of being refused as too long."""

from __future__ import annotations

from bot.callout_adapter import callout_service
from missions.actions import Widen
from tests.conftest import BotHarness

LEADER = 60


async def test_a_message_over_4096_characters_arrives_in_parts_with_its_buttons_on_the_last(
    bot: BotHarness,
) -> None:
    bot.sandbox.user(LEADER, "李队长")
    text = "⏰ 召集 #1：\n" + "\n".join(f"队员{n} 139 0000 {n:04d}" for n in range(400))
    assert len(text) > 4096
    notifier = callout_service(bot.app).notifier
    delivery = await notifier.send(LEADER, text, [[("扩大召集", Widen(1))]])

    parts = bot.sandbox.messages_to(LEADER)
    assert len(parts) == 2 and all(len(m["text"]) <= 4096 for m in parts)
    assert "\n".join(m["text"] for m in parts) == text
    assert delivery.message_id == parts[-1]["message_id"]
    assert "reply_markup" in parts[-1] and "reply_markup" not in parts[0]
