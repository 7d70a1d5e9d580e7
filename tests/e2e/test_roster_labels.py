"""/roster names skills and the team in the reader's language, as /me does."""

from __future__ import annotations

from tests.conftest import BotHarness
from tests.factories import add_volunteer

LEADER_ID = 7301


async def test_the_roster_shows_skill_names_and_the_teams_english_name_to_an_english_reader(
    bot: BotHarness,
) -> None:
    await add_volunteer(bot.db, "Liu", role="leader", telegram_id=LEADER_ID)
    await add_volunteer(bot.db, "孙队员", skills=["first_aid", "rope"])
    leader = bot.sandbox.user(LEADER_ID, "Liu", language_code="en")
    await leader.send("/roster")
    listing = str((await leader.wait_for_message("Mountain Rescue Centre")).get("text"))
    assert "first aid, rope rescue" in listing
    assert "first_aid" not in listing


async def test_the_roster_shows_chinese_skill_names_to_a_chinese_reader(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "刘队", role="leader", telegram_id=LEADER_ID)
    await add_volunteer(bot.db, "孙队员", skills=["first_aid", "rope"])
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/roster")
    listing = str((await leader.wait_for_message("山地公益救援中心")).get("text"))
    assert "急救、绳索救援" in listing
