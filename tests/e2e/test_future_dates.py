"""Records dated after today are refused in chat, with the date and today's date."""

from __future__ import annotations

from datetime import timedelta

from common.clock import SystemClock, local_today
from tests.conftest import BotHarness
from tests.factories import add_volunteer

LEADER_ID = 7201


async def test_a_fitness_test_or_certificate_dated_tomorrow_is_refused_and_not_saved(
    bot: BotHarness,
) -> None:
    today = local_today(SystemClock(), bot.settings.tz)
    tomorrow = (today + timedelta(days=1)).isoformat()
    await add_volunteer(bot.db, "刘队", role="leader", telegram_id=LEADER_ID)
    await add_volunteer(bot.db, "张伟")
    leader = bot.sandbox.user(LEADER_ID, "刘队", language_code="en")
    await leader.send(f"/fitness 张伟 pullups=5 date={tomorrow}")
    refused = await leader.wait_for_message("is after today")
    assert tomorrow in str(refused.get("text")) and today.isoformat() in str(refused.get("text"))
    await leader.send(f"/cert 张伟 first_aid {tomorrow}")
    await leader.wait_for_message("certificate date")
    assert await bot.db.fetchall("SELECT * FROM fitness_tests") == []
    assert (
        await bot.db.fetchall("SELECT * FROM volunteer_skills WHERE certified_on = ?", (tomorrow,))
        == []
    )
