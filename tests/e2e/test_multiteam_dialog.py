"""The step-by-step `/callout`: places per team and skill slots by buttons, and every one
of those buttons checked (a forged or stale one is answered and changes nothing)."""

from __future__ import annotations

from typing import Any

from tests.conftest import BotHarness
from tests.e2e.test_callouts import tap, text_of
from tests.factories import add_coordinator, add_volunteer

COORD = 8900


async def coordinator_and_two_teams(bot: BotHarness) -> Any:
    await add_coordinator(bot.db, COORD)
    for uid, name, team, skills in (
        (8301, "宏船", "HR", ["boat"]),
        (8302, "宏二", "HR", []),
        (8311, "汽一", "QM", []),
        (8312, "汽二", "QM", []),
    ):
        bot.sandbox.user(uid, name)
        await add_volunteer(bot.db, name, team=team, telegram_id=uid, skills=skills)
    return bot.sandbox.user(COORD, "值班员")


async def press(user: Any, step: dict[str, Any], ending: str) -> str:
    return await tap(user, step, next(d for _, d in user.buttons(step) if d.endswith(ending)))


async def to_quota_step(coordinator: Any) -> dict[str, Any]:
    await coordinator.send("/callout")
    await press(coordinator, await coordinator.wait_for_message("选择任务类型"), ":t:flood")
    await press(coordinator, await coordinator.wait_for_message("召集哪些队伍"), ":tm:HR")
    await press(coordinator, await coordinator.wait_for_message("已选：HR"), ":tm:QM")
    await press(coordinator, await coordinator.wait_for_message("已选：HR, QM"), ":tm:-")
    return dict(await coordinator.wait_for_message("每支队伍各要多少人"))


async def test_the_dialog_asks_each_teams_places_and_keeps_skill_slots_by_buttons(
    bot: BotHarness,
) -> None:
    coordinator = await coordinator_and_two_teams(bot)
    step = await to_quota_step(coordinator)
    assert "各队名额：HR 1 · QM 1" in text_of(step)
    await press(coordinator, step, ":q:HR:+")
    step = await coordinator.wait_for_message("各队名额：HR 2 · QM 1")
    await press(coordinator, step, ":q:QM:+")
    step = await coordinator.wait_for_message("各队名额：HR 2 · QM 2")
    await press(coordinator, step, ":q:-")
    step = await coordinator.wait_for_message("需要哪些技能")
    await press(coordinator, step, ":s:+")
    step = await coordinator.wait_for_message(lambda m: "4 个位置中" in text_of(m))
    await press(coordinator, step, ":sl:boat")
    step = await coordinator.wait_for_message("已保留：船艇驾驶 1")
    await press(coordinator, step, ":sl:-")
    await coordinator.wait_for_message("请输入地点")
    await coordinator.send("江心洲 转移群众")
    confirm = await coordinator.wait_for_message("确认发出")
    assert "各队名额：HR 2 · QM 2" in text_of(confirm)
    assert "技能名额：船艇驾驶 1" in text_of(confirm) and "人数：4" in text_of(confirm)
    await press(coordinator, confirm, ":ok")
    await coordinator.wait_for_message("通知 4 人")
    board = await coordinator.wait_for_message(
        lambda m: "各队：HR 0/2 · QM 0/2" in text_of(m) and "技能名额：船艇驾驶 0/1" in text_of(m)
    )
    assert "已确认 0/4" in text_of(board)


async def test_forged_and_stale_quota_and_slot_buttons_are_answered_and_change_nothing(
    bot: BotHarness,
) -> None:
    coordinator = await coordinator_and_two_teams(bot)
    step = await to_quota_step(coordinator)
    draft = next(d for _, d in coordinator.buttons(step) if d.endswith(":q:-")).split(":")[1]

    async def forged(data: str, said: str) -> None:
        before = len(coordinator.inbox())
        await tap(coordinator, step, f"cd:{draft}:{data}", force=True)
        await coordinator.wait_for_message(
            lambda m: said in text_of(m) and len(coordinator.inbox()) > before
        )

    await forged("q:SD:+", "这个按钮无效")  # a team not chosen
    await forged("q:HR:x", "这个按钮无效")  # not a change the buttons make
    await forged("q:HR:-", "名额须在 1 到 50 人之间")  # below one place
    await forged("sl:boat", "已过期")  # the slot step is not reached yet
    await press(coordinator, step, ":q:-")
    step = await coordinator.wait_for_message("需要哪些技能")
    await forged("s:nonsense", "这个按钮无效")  # not a skill it offered
    await forged("q:HR:+", "已过期")  # the quota step is over
    await press(coordinator, step, ":s:+")
    step = await coordinator.wait_for_message(lambda m: "2 个位置中" in text_of(m))
    await forged("sl:nonsense", "这个按钮无效")
    for _ in range(2):
        await press(coordinator, step, ":sl:boat")
    await coordinator.wait_for_message("已保留：船艇驾驶 2")
    await forged("sl:boat", "超过需要人数 2")  # no more slots than places
    draft_row = await bot.db.fetchone("SELECT data FROM callout_drafts WHERE id = ?", (draft,))
    assert draft_row is not None
    assert '"quotas": {"HR": 1, "QM": 1}' in draft_row[0] and '"boat": 2' in draft_row[0]
