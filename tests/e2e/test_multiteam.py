"""Several teams on one incident, end to end through the sandbox: quotas and slots."""

from __future__ import annotations

from typing import Any

from bot.app import running_bot
from common.settings import Settings
from storage.db import Database
from tests.conftest import BotHarness
from tests.e2e.test_callouts import fast_db, fast_settings, page_of, tap, text_of  # noqa: F401
from tests.factories import add_coordinator, add_volunteer

COORD = 8900


async def test_a_coordinators_two_team_callout_with_a_slot_fills_each_team_and_the_slot(
    bot: BotHarness,
) -> None:
    await add_coordinator(bot.db, COORD)
    people: dict[str, int] = {}
    for uid, name, team, skills in (
        (8001, "宏一", "HR", []),
        (8002, "宏二", "HR", []),
        (8003, "宏船", "HR", ["boat"]),
        (8011, "汽一", "QM", []),
        (8012, "汽二", "QM", []),
    ):
        bot.sandbox.user(uid, name)
        await add_volunteer(bot.db, name, team=team, telegram_id=uid, skills=skills)
        people[name] = uid
    coordinator = bot.sandbox.user(COORD, "值班员")
    await coordinator.send("/callout flood 4 江心洲 team=HR:2,QM:2 need=boat:1")
    await coordinator.wait_for_message("通知 5 人")
    pages: dict[str, Any] = {name: await page_of(bot.sandbox, uid) for name, uid in people.items()}
    assert "本队名额：HR 2 人" in text_of(pages["宏一"][1])
    answers = {name: await tap(*pages[name], "co:1:a") for name in people}
    # HR's two places go to the first two; QM's second place is the boat slot's.
    assert "已确认" in answers["宏一"] and "已确认" in answers["宏二"]
    assert "待命" in answers["宏船"] and "已确认" in answers["汽一"] and "待命" in answers["汽二"]
    await coordinator.wait_for_message(
        lambda m: "各队：HR 2/2 · QM 1/2" in text_of(m) and "技能名额：船艇驾驶 0/1" in text_of(m)
    )
    # An HR place frees up: HR's boat holder moves up into the slot, which leaves a free
    # place that QM's standby may now take.
    await tap(*pages["宏一"], "co:1:u")
    for name in ("宏船", "汽二"):
        await bot.sandbox.user(people[name], name).wait_for_message("待命转为确认")
    board = await coordinator.wait_for_message(
        lambda m: "各队：HR 2/2 · QM 2/2" in text_of(m) and "船艇驾驶 1/1" in text_of(m)
    )
    assert "已确认 4/4" in text_of(board)


async def test_quotas_that_do_not_add_up_are_answered_and_nothing_is_paged(
    bot: BotHarness,
) -> None:
    await add_coordinator(bot.db, COORD)
    await add_volunteer(bot.db, "宏一", team="HR", telegram_id=8001)
    coordinator = bot.sandbox.user(COORD, "值班员")
    await coordinator.send("/callout flood 5 江心洲 team=HR:3,QM:3")
    await coordinator.wait_for_message("合计 6 人")
    await coordinator.send("/callout flood 2 江心洲 need=boat:3 team=HR")
    await coordinator.wait_for_message("超过需要人数 2")
    assert bot.sandbox.messages_to(8001) == []


SD_LEADER, HR_LEADER = 8100, 8200


async def two_flood_teams(bot: BotHarness) -> tuple[Any, Any]:
    """SD's and HR's leaders, each with two members who can be paged."""
    for leader, team in ((SD_LEADER, "SD"), (HR_LEADER, "HR")):
        await add_volunteer(bot.db, f"{team}队长", team=team, role="leader", telegram_id=leader)
        for n in (1, 2):
            bot.sandbox.user(leader + n, f"{team}{n}")
            await add_volunteer(bot.db, f"{team}{n}", team=team, telegram_id=leader + n)
    return bot.sandbox.user(SD_LEADER, "SD队长"), bot.sandbox.user(HR_LEADER, "HR队长")


async def test_two_callouts_of_one_type_in_different_places_raise_no_warning(
    bot: BotHarness,
) -> None:
    sd, hr = await two_flood_teams(bot)
    await sd.send("/callout flood 2 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    await hr.send("/callout flood 2 滨江公园")
    await hr.wait_for_message("召集 #2 已发出")
    assert not any("同类召集" in text_of(m) for m in hr.inbox())


async def test_the_same_incident_twice_warns_and_joining_keeps_both_parts(
    bot: BotHarness,
) -> None:
    sd, hr = await two_flood_teams(bot)
    await sd.send("/callout flood 2 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    await hr.send("/callout flood 2 江心洲 北岸集合")
    warning = await hr.wait_for_message("同类召集 #1")
    join = hr.buttons(warning)[0][1]
    draft = join.split(":")[3]
    # Someone else's button, or one without its token, is refused and answered.
    forged = await hr.press(warning, f"co:1:join:{draft}", force=True)
    assert "不是发给你的" in (await hr.wait_for_answer(forged)).get("text", "")
    stolen = await sd.press(warning, join, force=True)
    assert "不是发给你的" in (await sd.wait_for_answer(stolen)).get("text", "")
    await hr.press(warning, join)
    await hr.wait_for_message("已加入召集 #1，新通知 2 人")
    _, page = await page_of(bot.sandbox, HR_LEADER + 1)
    assert "本队集合地点：江心洲" in text_of(page) and "本队名额：HR 2 人" in text_of(page)
    board = await sd.wait_for_message(
        lambda m: "各队：SD 0/2 · HR 0/2" in text_of(m) and "加入的队伍 HR" in text_of(m)
    )
    assert "已确认 0/4" in text_of(board)
    # HR's leader has a board of HR's part and manages that part only.
    await hr.wait_for_message(lambda m: "本队部分：HR · 全部已确认 0/4" in text_of(m))
    await hr.send("/close 1")
    await hr.wait_for_message("只能由召集人或协调员")
    count = await bot.db.fetchone("SELECT COUNT(*), MIN(status) FROM callouts")
    assert count is not None and tuple(count) == (1, "open")


async def test_an_update_reaches_confirmed_and_standby_with_a_pin_but_not_the_unavailable(
    bot: BotHarness,
) -> None:
    sd, _ = await two_flood_teams(bot)
    bot.sandbox.user(SD_LEADER + 3, "SD3")
    await add_volunteer(bot.db, "SD3", team="SD", telegram_id=SD_LEADER + 3)
    await sd.send("/callout flood 1 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    going, standby, out = [await page_of(bot.sandbox, SD_LEADER + n) for n in (1, 2, 3)]
    assert "已确认" in await tap(*going, "co:1:a")
    assert "待命" in await tap(*standby, "co:1:a")
    await tap(*out, "co:1:u")
    await sd.send_location(31.95, 118.72)
    await sd.wait_for_message("已收到位置")
    await sd.send("/update 1 集合点改到北门，带上绳索")
    await sd.wait_for_message("通报已发给召集 #1 的 2 位")
    for user, _ in (going, standby):
        await user.wait_for_message("集合点改到北门")
        await user.wait_for_message(lambda m: "location" in m)
    assert not any("集合点改到北门" in text_of(m) for m in out[0].inbox())
    board = await sd.wait_for_message(lambda m: "最近通报：" in text_of(m))
    # A reply to the board is an update too.
    await sd.send("已到达桥头", reply_to=board)
    await sd.wait_for_message("通报已发给召集 #1 的 2 位")
    await going[0].wait_for_message("已到达桥头")


async def test_an_update_without_text_is_answered_with_the_usage(bot: BotHarness) -> None:
    sd, _ = await two_flood_teams(bot)
    await sd.send("/update 1")
    await sd.wait_for_message("用法：/update 编号 内容")


async def test_the_phone_list_names_an_undeliverable_person_with_the_reason(
    sandbox: Any,
    fast_settings: Settings,  # noqa: F811
    fast_db: Database,  # noqa: F811
) -> None:
    await add_volunteer(fast_db, "SD队长", team="SD", role="leader", telegram_id=SD_LEADER)
    for n, name in ((1, "能收到"), (2, "屏蔽者")):
        sandbox.user(SD_LEADER + n, name)
        await add_volunteer(fast_db, name, team="SD", telegram_id=SD_LEADER + n)
    sandbox.block(SD_LEADER + 2)
    leader = sandbox.user(SD_LEADER, "SD队长")
    async with running_bot(fast_settings, poll_timeout=1):
        await leader.send("/callout flood 2 江心洲")
        note = await leader.wait_for_message("可以打电话给他们", timeout=15)
    assert "能收到 (SD) 138" in text_of(note)
    assert "收不到召集消息" in text_of(note)
    assert "屏蔽者 (SD) 138" in text_of(note) and "已屏蔽机器人" in text_of(note)


async def test_each_teams_leader_gets_a_board_of_their_part_and_cancels_only_that_part(
    bot: BotHarness,
) -> None:
    await add_coordinator(bot.db, COORD)
    for leader, team in ((8050, "HR"), (8060, "QM")):
        bot.sandbox.user(leader, f"{team}队长")
        await add_volunteer(bot.db, f"{team}队长", team=team, role="leader", telegram_id=leader)
        bot.sandbox.user(leader + 1, f"{team}队员")
        await add_volunteer(bot.db, f"{team}队员", team=team, telegram_id=leader + 1)
    coordinator = bot.sandbox.user(COORD, "值班员")
    hr, qm = bot.sandbox.user(8050, "HR队长"), bot.sandbox.user(8060, "QM队长")
    await coordinator.send("/callout flood 4 江心洲 team=HR:2,QM:2")
    await hr.wait_for_message(lambda m: "本队部分：HR · 全部已确认 0/4" in text_of(m))
    await qm.wait_for_message(lambda m: "本队部分：QM · 全部已确认 0/4" in text_of(m))
    await tap(*await page_of(bot.sandbox, 8051), "co:1:a")
    # Both team boards are edited in place: HR's part 1/2, the overall total on both.
    board = await hr.wait_for_message(lambda m: "全部已确认 1/4" in text_of(m))
    assert "已确认 1/2" in text_of(board) and "HR队员" in text_of(board)
    assert "QM队员" not in text_of(board)
    await qm.wait_for_message(
        lambda m: "全部已确认 1/4" in text_of(m) and "已确认 0/2" in text_of(m)
    )
    qm_member = await page_of(bot.sandbox, 8061)
    await qm.send("/cancel 1 不需要船了")
    await qm.wait_for_message("已取消召集 #1 中 QM 的部分")
    assert "部分已取消" in await tap(*qm_member, "co:1:a", force=True)
    await coordinator.wait_for_message(
        lambda m: (
            "已确认 1/2" in text_of(m)
            and "各队：HR 1/2" in text_of(m)
            and "QM" not in text_of(m).split("\n")[2]
        )
    )
    # The last team left cannot cancel the coordinator's callout: that is the whole of it.
    await hr.send("/cancel 1")
    await hr.wait_for_message("只能由召集人或协调员")


async def test_a_person_confirmed_on_one_callout_is_asked_before_joining_another(
    bot: BotHarness,
) -> None:
    sd, _ = await two_flood_teams(bot)
    await add_coordinator(bot.db, COORD)
    coordinator = bot.sandbox.user(COORD, "值班员")
    await sd.send("/callout flood 2 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    first = await page_of(bot.sandbox, SD_LEADER + 1)
    assert "已确认" in await tap(*first, "co:1:a")
    await coordinator.send("/callout flood 2 滨江公园 team=SD")
    await coordinator.wait_for_message("召集 #2 已发出")
    member = bot.sandbox.user(SD_LEADER + 1, "SD1")
    second = await member.wait_for_message(lambda m: "出队召集 #2" in text_of(m))
    assert "你已确认参加召集 #1" in text_of(second)
    await coordinator.wait_for_message(lambda m: "在其他召集中 1：SD1 (#1)" in text_of(m))
    assert "请先选择" in await tap(member, second, "co:2:a")
    question = await member.wait_for_message("要退出 #1 改去 #2")
    assert [label for label, _ in member.buttons(question)] == ["改去 #2", "留在 #1"]
    assert "你留在召集 #1" in await tap(member, question, "co:2:stay:1")  # changes nothing
    # Only the person the question went to is answered so: a forged press is refused.
    board = next(m for m in coordinator.inbox() if "📋 召集 #2" in text_of(m))
    assert "不是发给你的" in await tap(coordinator, board, "co:2:stay:1", force=True)
    assert "已确认" in await tap(member, question, "co:2:swap:1")
    await sd.wait_for_message(
        lambda m: "📋 召集 #1" in text_of(m) and "无法出队 1：SD1" in text_of(m)
    )
    await coordinator.wait_for_message(
        lambda m: "已确认 1/2" in text_of(m) and "✅ SD1" in text_of(m)
    )


async def test_going_away_while_confirmed_asks_whether_to_withdraw(bot: BotHarness) -> None:
    sd, _ = await two_flood_teams(bot)
    await sd.send("/callout flood 1 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    member, page = await page_of(bot.sandbox, SD_LEADER + 1)
    standby = await page_of(bot.sandbox, SD_LEADER + 2)
    await tap(member, page, "co:1:a")
    await tap(*standby, "co:1:a")
    await member.send("/away 3")
    ask = await member.wait_for_message("外出期间要退出吗")
    assert member.buttons(ask) == [("退出 #1", "co:1:u")]
    await tap(member, ask, "co:1:u")
    await standby[0].wait_for_message("待命转为确认")


async def test_the_caller_is_not_paged_by_their_own_callout_and_can_say_they_go_too(
    bot: BotHarness,
) -> None:
    sd, _ = await two_flood_teams(bot)
    await sd.send("/callout flood 2 江心洲")
    await sd.wait_for_message("通知 2 人")
    board = await sd.wait_for_message(lambda m: "📋 召集 #1" in text_of(m))
    assert not any("出队召集" in text_of(m) for m in sd.inbox())
    assert ("我也出队", "co:1:me") in sd.buttons(board)
    assert "已确认" in await tap(sd, board, "co:1:me")
    await sd.wait_for_message(lambda m: "已确认 1/2" in text_of(m) and "✅ SD队长" in text_of(m))
    member = bot.sandbox.user(SD_LEADER + 1, "SD1")
    assert "只给发起召集的人" in await tap(member, board, "co:1:me", force=True)


async def test_the_dialog_offers_several_teams_the_fitness_waiver_and_slots(
    bot: BotHarness,
) -> None:
    await add_coordinator(bot.db, COORD)
    for uid, name, team in ((8301, "宏一", "HR"), (8311, "汽一", "QM")):
        bot.sandbox.user(uid, name)
        await add_volunteer(bot.db, name, team=team, telegram_id=uid, skills=["boat"])
    coordinator = bot.sandbox.user(COORD, "值班员")

    async def press(step: dict[str, Any], ending: str) -> None:
        await tap(
            coordinator, step, next(d for _, d in coordinator.buttons(step) if d.endswith(ending))
        )

    await coordinator.send("/callout")
    await press(await coordinator.wait_for_message("选择任务类型"), ":t:mountain")
    await press(await coordinator.wait_for_message("召集哪些队伍"), ":tm:HR")
    await press(await coordinator.wait_for_message("已选：HR"), ":tm:QM")
    await press(await coordinator.wait_for_message("已选：HR, QM"), ":tm:-")
    await press(await coordinator.wait_for_message("每支队伍各要多少人"), ":q:0")  # shared
    step = await coordinator.wait_for_message("需要多少人")
    await tap(coordinator, step, next(d for label, d in coordinator.buttons(step) if label == "2"))
    await press(await coordinator.wait_for_message("需要哪些技能"), ":s:-")
    await coordinator.wait_for_message("请输入地点")
    await coordinator.send("青龙峡 两名驴友失联 need=boat:3")
    await coordinator.wait_for_message("超过需要人数 2")
    await coordinator.send("青龙峡 两名驴友失联 need=boat:1")
    confirm = await coordinator.wait_for_message("确认发出")
    assert "需要 12 个月内体能合格" in text_of(confirm) and "技能名额：船艇驾驶 1" in text_of(
        confirm
    )
    await press(confirm, ":fit")
    confirm = await coordinator.wait_for_message("体能：不要求")
    await press(confirm, ":ok")
    # Nobody has a fitness pass, yet both are paged: the caller waived it.
    await coordinator.wait_for_message("通知 2 人")
    board = await coordinator.wait_for_message(lambda m: "技能名额：船艇驾驶 0/1" in text_of(m))
    assert "队伍：HR, QM" in text_of(board)
