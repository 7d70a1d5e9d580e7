"""People link their Telegram account and see what their role allows — through the sandbox."""

from __future__ import annotations

from typing import Any

from tests.conftest import BotHarness
from tests.factories import add_coordinator, add_volunteer

LEADER_ID = 5001
MEMBER_ID = 5002
STRANGER_ID = 5003
COORDINATOR_ID = 5009


def _text(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def test_an_unknown_person_is_offered_a_share_phone_button(bot: BotHarness) -> None:
    user = bot.sandbox.user(STRANGER_ID, "王芳")
    await user.send("/start")
    await user.wait_for_message("分享手机号")
    keyboard = user.reply_keyboard
    assert keyboard is not None
    assert keyboard[0][0]["request_contact"] is True


async def test_sharing_ones_own_roster_phone_links_the_account_and_me_shows_team_and_skills(
    bot: BotHarness,
) -> None:
    await add_volunteer(
        bot.db, "陈静", team="SD", phone="+8613912345678", skills=["mountain_search", "rope"]
    )
    user = bot.sandbox.user(6001, "陈静")
    await user.send("/start")
    await user.wait_for_message("分享手机号")
    await user.share_contact("+86 139 1234 5678")
    await user.wait_for_message("已绑定：陈静")
    await user.send("/me")
    record = await user.wait_for_message("陈静 的档案")
    assert "山地公益救援中心" in _text(record)
    assert "山地搜救" in _text(record) and "绳索救援" in _text(record)
    row = await bot.db.fetchone("SELECT telegram_id FROM volunteers WHERE name = '陈静'")
    assert row is not None and row[0] == 6001


async def test_a_forwarded_contact_of_someone_else_links_nothing(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "赵磊", phone="+8613911112222")
    user = bot.sandbox.user(6002, "冒名者")
    await user.share_contact("+8613911112222", user_id=6999)
    await user.wait_for_message("只能分享你自己的手机号")
    row = await bot.db.fetchone("SELECT telegram_id FROM volunteers WHERE name = '赵磊'")
    assert row is not None and row[0] is None


async def test_a_phone_not_on_the_roster_is_told_to_ask_the_leader(bot: BotHarness) -> None:
    user = bot.sandbox.user(6003, "路人", language_code="en")
    await user.share_contact("+8613700000000")
    await user.wait_for_message("not in the roster")


async def test_an_unknown_person_is_refused_politely_and_told_how_to_link(bot: BotHarness) -> None:
    user = bot.sandbox.user(STRANGER_ID, "Stranger", language_code="en")
    for command in ("/roster", "/me", "/roster SD", "/invite 张"):
        await user.send(command)
        reply = await user.wait_for_message("I don't know you yet")
        assert "/start" in _text(reply)


async def test_a_leader_sees_their_own_roster_with_phones_in_private(bot: BotHarness) -> None:
    await add_volunteer(
        bot.db, "刘队", role="leader", telegram_id=LEADER_ID, phone="+8613800001111"
    )
    await add_volunteer(bot.db, "孙队员", phone="+8613800002222")
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/roster")
    listing = await leader.wait_for_message("山地公益救援中心")
    assert "孙队员" in _text(listing)
    assert "138 0000 2222" in _text(listing)


async def test_a_leader_cannot_see_another_teams_roster(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "刘队", role="leader", telegram_id=LEADER_ID)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/roster HR")
    await leader.wait_for_message("只能查看本队名单")


async def test_a_member_cannot_see_the_roster(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "孙队员", telegram_id=MEMBER_ID)
    member = bot.sandbox.user(MEMBER_ID, "孙队员")
    await member.send("/roster")
    await member.wait_for_message("只对队长、副队长和协调员开放")


async def test_phones_stay_hidden_when_the_roster_is_asked_for_in_a_group(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "刘队", role="leader", telegram_id=LEADER_ID)
    await add_volunteer(bot.db, "孙队员", phone="+8613800002222")
    bot.sandbox.group(-100500, "山地队群")
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/roster", chat_id=-100500)
    listing = await leader.wait_for_message("孙队员", chat_id=-100500)
    assert "2222" not in _text(listing)
    assert "只在私聊中显示" in _text(listing)


async def test_a_coordinator_sees_any_team(bot: BotHarness) -> None:
    await add_coordinator(bot.db, COORDINATOR_ID)
    await add_volunteer(bot.db, "周水手", team="HR")
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员")
    await coordinator.send("/roster HR")
    listing = await coordinator.wait_for_message("宏瑞水上应急救援中心")
    assert "周水手" in _text(listing)


async def test_an_invite_code_links_once(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "刘队", role="leader", telegram_id=LEADER_ID)
    await add_volunteer(bot.db, "吴新人", phone="+8613800003333")
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/invite 吴新人")
    created = await leader.wait_for_message("一次性邀请码")
    code = _text(created).split("/start ")[1].split()[0].split("，")[0]
    newcomer = bot.sandbox.user(6100, "吴新人")
    await newcomer.send(f"/start {code}")
    await newcomer.wait_for_message("已绑定：吴新人")
    other = bot.sandbox.user(6101, "别人")
    await other.send(f"/start {code}")
    await other.wait_for_message("已经用过")


async def test_help_lists_only_what_the_role_may_use(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "孙队员", telegram_id=MEMBER_ID)
    member = bot.sandbox.user(MEMBER_ID, "孙队员")
    await member.send("/help")
    text = _text(await member.wait_for_message("队员可用命令"))
    assert "/me" in text and "/away" in text
    assert "/callout" not in text and "/roster" not in text


async def test_lang_switches_the_language_and_it_sticks(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "孙队员", telegram_id=MEMBER_ID)
    member = bot.sandbox.user(MEMBER_ID, "孙队员")
    await member.send("/lang en")
    await member.wait_for_message("English from now on")
    await member.send("/help")
    await member.wait_for_message("Commands for volunteers")
    await member.send("/lang fr")
    await member.wait_for_message("Usage: /lang zh or /lang en")


async def test_away_and_back_are_recorded(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "孙队员", telegram_id=MEMBER_ID)
    member = bot.sandbox.user(MEMBER_ID, "孙队员")
    await member.send("/away 3")
    await member.wait_for_message("外出至")
    row = await bot.db.fetchone(
        "SELECT away_until FROM volunteers WHERE telegram_id = ?", (MEMBER_ID,)
    )
    assert row is not None and row[0] is not None
    await member.send("/away soon")
    await member.wait_for_message("用法：/away")
    await member.send("/back")
    await member.wait_for_message("欢迎回来")
    row = await bot.db.fetchone(
        "SELECT away_until FROM volunteers WHERE telegram_id = ?", (MEMBER_ID,)
    )
    assert row is not None and row[0] is None


async def test_the_command_menus_are_registered_in_both_languages(bot: BotHarness) -> None:
    calls = [c for c in bot.sandbox.calls if c.method == "setMyCommands"]
    languages = {c.params.get("language_code") for c in calls}
    assert {"zh", "en"} <= languages


async def test_an_unknown_command_or_stray_text_gets_a_pointer_to_help(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "孙队员", telegram_id=MEMBER_ID)
    member = bot.sandbox.user(MEMBER_ID, "孙队员")
    await member.send("/calout mountain 4 x")
    await member.wait_for_message("没有 /calout 这个命令")
    await member.send("我明天有空")
    await member.wait_for_message("我只听懂命令")
    await member.send_document("名单.xlsx", b"PK", caption="新名单")
    await member.wait_for_message("/import roster")


async def test_a_stranger_typing_anything_is_told_how_to_link(bot: BotHarness) -> None:
    stranger = bot.sandbox.user(STRANGER_ID, "Stranger", language_code="en")
    await stranger.send("hello?")
    await stranger.wait_for_message("I don't know you yet")
    await stranger.send("/nonsense")
    await stranger.wait_for_message("I don't know you yet")
