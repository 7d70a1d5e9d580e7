"""Joining a duplicate keeps what the joining caller asked, end to end through the sandbox:
a team already on the callout is told so and nothing changes (the request is kept for
*Page anyway*); one headcount asked of several teams is split among them as their quotas."""

from __future__ import annotations

from typing import Any

from tests.conftest import BotHarness
from tests.e2e.test_callouts import page_of, tap, text_of
from tests.factories import add_coordinator, add_volunteer

COORD, HR_LEADER, SD_LEADER = 8900, 8200, 8100
HR_MEMBERS, QM_MEMBER = (8201, 8202, 8203, 8204), 8301


async def teams(bot: BotHarness, hr_members: int) -> tuple[Any, Any, Any]:
    """A coordinator, SD's and HR's leaders (their chats returned in that order),
    `hr_members` HR members and one of QM."""
    await add_coordinator(bot.db, COORD)
    await add_volunteer(bot.db, "SD队长", team="SD", role="leader", telegram_id=SD_LEADER)
    await add_volunteer(bot.db, "HR队长", team="HR", role="leader", telegram_id=HR_LEADER)
    for uid in HR_MEMBERS[:hr_members]:
        bot.sandbox.user(uid, f"宏{uid}")
        await add_volunteer(bot.db, f"宏{uid}", team="HR", telegram_id=uid)
    bot.sandbox.user(QM_MEMBER, "汽一")
    await add_volunteer(bot.db, "汽一", team="QM", telegram_id=QM_MEMBER)
    users = ((COORD, "值班员"), (SD_LEADER, "SD队长"), (HR_LEADER, "HR队长"))
    coordinator, sd, hr = (bot.sandbox.user(uid, name) for uid, name in users)
    return coordinator, sd, hr


async def warned(first: Any, callout: str, second: Any, duplicate: str) -> dict[str, Any]:
    """`first` sends callout #1; `second` sends the same incident and is warned."""
    await first.send(callout)
    await first.wait_for_message("召集 #1 已发出")
    await second.send(duplicate)
    warning: dict[str, Any] = await second.wait_for_message("同类召集 #1")
    return warning


def pages(bot: BotHarness, uid: int) -> list[dict[str, Any]]:
    return [m for m in bot.sandbox.messages_to(uid) if "出队召集" in text_of(m)]


async def test_a_team_already_on_the_callout_is_told_so_and_nothing_is_dropped_silently(
    bot: BotHarness,
) -> None:
    coordinator, _, hr = await teams(bot, hr_members=2)
    warning = await warned(
        coordinator,
        "/callout flood 3 江心洲 team=HR:2,QM:1",
        hr,
        "/callout flood 3 江心洲 北岸集合",
    )
    for uid in (*HR_MEMBERS[:2], QM_MEMBER):
        await page_of(bot.sandbox, uid)
    paged = await bot.db.fetchone("SELECT COUNT(*) FROM responses WHERE callout_id = 1")
    (_, join), (_, anyway) = hr.buttons(warning)
    await hr.press(warning, join)
    told = await hr.wait_for_message("你的队伍已在召集 #1 中")
    assert "HR（本队名额 2 人）" in text_of(told)
    assert "没有通知任何人" in text_of(told) and "3 人" in text_of(told)
    # Nothing changed on the callout: its headcount, quotas and pages are as they were.
    row = await bot.db.fetchone("SELECT needed, quotas, parts FROM callouts WHERE id = 1")
    assert row is not None and (row[0], row[1], row[2]) == (3, '{"HR": 2, "QM": 1}', "{}")
    still = await bot.db.fetchone("SELECT COUNT(*) FROM responses WHERE callout_id = 1")
    assert paged is not None and still is not None and still[0] == paged[0]
    assert [len(pages(bot, uid)) for uid in HR_MEMBERS[:2]] == [1, 1]
    # The request was kept: the warning's other button still sends it as its own callout.
    await hr.press(warning, anyway)
    await hr.wait_for_message("召集 #2 已发出")


async def test_one_headcount_asked_of_several_joining_teams_is_split_into_their_quotas(
    bot: BotHarness,
) -> None:
    coordinator, sd, _ = await teams(bot, hr_members=4)
    warning = await warned(
        sd, "/callout flood 2 江心洲", coordinator, "/callout flood 5 江心洲 team=HR,QM"
    )
    await coordinator.press(warning, coordinator.buttons(warning)[0][1])
    joined = await coordinator.wait_for_message("已加入召集 #1，新通知 6 人")
    assert "HR 3 人、QM 2 人" in text_of(joined)
    board = await sd.wait_for_message(lambda m: "各队：SD 0/2 · HR 0/3 · QM 0/2" in text_of(m))
    assert "已确认 0/7" in text_of(board) and "共 5 人由 HR、QM 平分" in text_of(board)
    # HR's share holds as a quota: its fourth volunteer waits while QM's place stays open.
    hr_pages = [await page_of(bot.sandbox, uid) for uid in HR_MEMBERS]
    assert "本队名额：HR 3 人" in text_of(hr_pages[0][1])
    answers = [await tap(*page, "co:1:a") for page in hr_pages]
    assert ["已确认" in a for a in answers] == [True, True, True, False]
    assert "待命" in answers[3]
    assert "已确认" in await tap(*await page_of(bot.sandbox, QM_MEMBER), "co:1:a")
    await sd.wait_for_message(
        lambda m: "各队：SD 0/2 · HR 3/3 · QM 1/2" in text_of(m) and "已确认 4/7" in text_of(m)
    )


async def test_a_headcount_too_small_for_the_joining_teams_is_answered_and_changes_nothing(
    bot: BotHarness,
) -> None:
    coordinator, sd, _ = await teams(bot, hr_members=1)
    warning = await warned(
        sd, "/callout flood 2 江心洲", coordinator, "/callout flood 1 江心洲 team=HR,QM"
    )
    (_, join), (_, anyway) = coordinator.buttons(warning)
    await coordinator.press(warning, join)
    told = await coordinator.wait_for_message("1 人分不到加入的 2 支队伍")
    assert "team=HR:1,QM:1" in text_of(told)
    row = await bot.db.fetchone("SELECT teams, needed FROM callouts WHERE id = 1")
    assert row is not None and (row[0], row[1]) == ('["SD"]', 2)
    await coordinator.press(warning, anyway)
    await coordinator.wait_for_message("召集 #2 已发出")
