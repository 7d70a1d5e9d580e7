"""Insurance, training and fitness records through the sandbox, with the real bot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.handlers.records import run_reminders
from common.clock import SystemClock, local_today
from tests.conftest import BotHarness
from tests.factories import add_coordinator, add_volunteer

LEADER_ID, MEMBER_ID, OTHER_ID, COORDINATOR_ID = 7101, 7102, 7103, 7109


def _text(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


def _today(bot: BotHarness) -> Any:
    return local_today(SystemClock(), bot.settings.tz)


async def _team(bot: BotHarness, *, member_insured_days: int = 400) -> None:
    today = _today(bot)
    await add_volunteer(
        bot.db,
        "刘队",
        role="leader",
        telegram_id=LEADER_ID,
        phone="+8613800001111",
        fitness_passed_on=today,
    )
    await add_volunteer(
        bot.db,
        "张伟",
        telegram_id=MEMBER_ID,
        phone="+8613800002222",
        insured_until=today + timedelta(days=member_insured_days),
        fitness_passed_on=today,
    )
    await add_volunteer(
        bot.db, "李娜", telegram_id=OTHER_ID, phone="+8613800003333", insured_until=None
    )


async def test_an_expiring_policy_reminds_the_volunteer_and_the_leader_exactly_once(
    bot: BotHarness,
) -> None:
    await _team(bot, member_insured_days=7)
    (job,) = bot.app.job_queue.get_jobs_by_name("records-reminders")
    fires = job.next_t.astimezone(bot.settings.tz)
    assert (fires.hour, fires.minute) == (9, 0)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    member = bot.sandbox.user(MEMBER_ID, "张伟")
    # Trigger the 09:00 job's work now rather than waiting for the clock.
    await run_reminders(bot.app)
    mine = await member.wait_for_message("你的意外险")
    assert "还有 7 天" in _text(mine)
    digest = await leader.wait_for_message("保险提醒")
    assert "张伟" in _text(digest) and "还有 7 天" in _text(digest)
    before = len(bot.sandbox.messages_to(MEMBER_ID)), len(bot.sandbox.messages_to(LEADER_ID))
    # The 09:00 job firing again, or the bot restarting the same day, sends nothing new.
    assert await run_reminders(bot.app) == 0
    after = len(bot.sandbox.messages_to(MEMBER_ID)), len(bot.sandbox.messages_to(LEADER_ID))
    assert after == before
    insurance_to_member = [m for m in bot.sandbox.messages_to(MEMBER_ID) if "意外险" in _text(m)]
    assert len(insurance_to_member) == 1


async def test_a_volunteer_who_blocked_the_bot_does_not_stop_the_leaders_reminder(
    bot: BotHarness,
) -> None:
    await _team(bot, member_insured_days=1)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    bot.sandbox.user(MEMBER_ID, "张伟")
    bot.sandbox.block(MEMBER_ID)
    await run_reminders(bot.app)
    digest = await leader.wait_for_message("保险提醒")
    assert "张伟" in _text(digest)
    assert not any("意外险" in _text(m) for m in bot.sandbox.messages_to(MEMBER_ID))


async def test_a_leader_records_a_fitness_test_and_is_told_what_failed(bot: BotHarness) -> None:
    await _team(bot)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/fitness 张伟 run1000=4:50 pullups=5 longjump=2.10 hike5k20=55:00")
    answer = _text(await leader.wait_for_message("体能测试"))
    assert "不合格" in answer and "1000米跑 4:50" in answer and "≤ 4:25" in answer
    await leader.send("/fitness 13800002222 run1000=4'12\"")
    answer = _text(await leader.wait_for_message("合格，有效至"))
    assert "1000米跑 4:12" in answer
    row = await bot.db.fetchone(
        "SELECT passed FROM fitness_tests f JOIN volunteers v ON v.id = f.volunteer_id "
        "WHERE v.name = '张伟' AND f.date = ?",
        (_today(bot).isoformat(),),
    )
    assert row is not None and row[0] == 1


async def test_an_unknown_item_or_bad_value_gets_the_right_form(bot: BotHarness) -> None:
    await _team(bot)
    leader = bot.sandbox.user(LEADER_ID, "刘队", language_code="en")
    await leader.send("/fitness 张伟 situps=30")
    assert "run1000" in _text(await leader.wait_for_message("no fitness item"))
    await leader.send("/fitness 张伟 run1000=fast")
    assert "run1000=4:25" in _text(await leader.wait_for_message("is not a result"))
    assert await bot.db.fetchall("SELECT * FROM fitness_tests WHERE passed = 0") == []


async def test_a_volunteer_cannot_see_or_record_someone_elses_record(bot: BotHarness) -> None:
    await _team(bot)
    member = bot.sandbox.user(MEMBER_ID, "张伟")
    for command in ("/fitness 李娜 run1000=4:00", "/insurance", "/training", "/insurance SD"):
        await member.send(command)
        await member.wait_for_message("只对队长、副队长和协调员开放")
    await member.send("/me")
    record = _text(await member.wait_for_message("张伟 的档案"))
    assert "保险：有效至" in record and "体能：" in record and "培训" in record
    assert "李娜" not in record


async def test_a_leader_sees_insurance_cover_with_names_and_phones_in_private(
    bot: BotHarness,
) -> None:
    await _team(bot, member_insured_days=10)
    await add_coordinator(bot.db, COORDINATOR_ID)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/insurance")
    cover = _text(await leader.wait_for_message("保险："))
    assert "有效 1 · 即将到期 1 · 已过期 0 · 无保险 1" in cover
    assert "张伟" in cover and "138 0000 2222" in cover and "李娜" in cover
    await leader.send("/insurance HR")
    await leader.wait_for_message("你只能查看和录入本队的记录")
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员")
    await coordinator.send("/insurance")
    overview = _text(await coordinator.wait_for_message("各队保险情况"))
    assert "宏瑞水上应急救援中心" in overview and "李娜" in overview


async def test_a_leader_records_training_and_ticks_attendees_with_buttons(
    bot: BotHarness,
) -> None:
    await _team(bot)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    day = _today(bot).isoformat()
    await leader.send(f"/training add {day} 3 绳索技术复训")
    picker = await leader.wait_for_message("请点选参加人员")
    buttons = dict(leader.buttons(picker))
    assert all(len(data.encode()) <= 64 for data in buttons.values())
    zhang = next(data for text, data in buttons.items() if "张伟" in text)
    answer = await leader.wait_for_answer(await leader.press(picker, zhang))
    assert "张伟" in answer.get("text", "")
    edited = await leader.wait_for_message(
        lambda m: any("✅ 张伟" in t for t, _ in leader.buttons(m))
    )
    # Someone else pressing the leader's buttons (a forged tap) changes nothing.
    other = bot.sandbox.user(MEMBER_ID, "张伟")
    refused = await other.wait_for_answer(await other.press(edited, zhang, force=True))
    assert "只有记录这次培训的队长" in refused.get("text", "")
    done = next(data for text, data in leader.buttons(edited) if "完成" in text)
    await leader.wait_for_answer(await leader.press(edited, done))
    finished = _text(await leader.wait_for_message("1 人参加"))
    assert "张伟" in finished
    await leader.send("/training")
    summary = _text(await leader.wait_for_message("年培训"))
    assert "绳索技术复训" in summary and "张伟：3 小时" in summary


async def test_a_leader_records_a_certificate_that_expires_after_the_default_validity(
    bot: BotHarness,
) -> None:
    await _team(bot)
    leader = bot.sandbox.user(LEADER_ID, "刘队")
    await leader.send("/cert 张伟 急救 2024-03-05")
    saved = _text(await leader.wait_for_message("证书"))
    assert "有效至 2027-03-05" in saved
    row = await bot.db.fetchone(
        "SELECT certified_on, expires_on FROM volunteer_skills s JOIN volunteers v "
        "ON v.id = s.volunteer_id WHERE v.name = '张伟' AND s.skill_code = 'first_aid'"
    )
    assert row is not None and tuple(row) == ("2024-03-05", "2027-03-05")
    await leader.send("/cert 张伟 跳伞 2024-03-05")
    await leader.wait_for_message("没有技能“跳伞”")
