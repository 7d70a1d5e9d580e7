"""Escalation end to end through the sandbox: the reminder, the coordinators' alert and its
repeats, *Widen*'s people reminded in their turn, and *Mute*.

A fake clock stands still, so no deadline fires on its own: the test moves the clock past
each deadline and runs the callout's escalation timer itself (the very job the bot
scheduled), then waits for what it sends."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.app import running_bot
from bot.callout_adapter import App, callout_service
from common.clock import FakeClock
from common.settings import Settings
from storage.db import Database
from tests.e2e.test_callouts import page_of, tap, text_of
from tests.factories import add_coordinator, add_volunteer

LEADER, HR_MEMBER, COORD = 9400, 9410, 9490
MOUNTAIN = ["mountain_search"]


async def _next_deadline(app: App, clock: FakeClock, minutes: float) -> None:
    """Past the next deadline: the callout's escalation timer runs, and what it sends."""
    clock.advance(minutes=minutes + 1)
    assert app.job_queue is not None
    jobs = app.job_queue.get_jobs_by_name("callout-escalation-1")
    assert len(jobs) == 1, "one escalation timer per callout"
    await jobs[0].run(app)
    await callout_service(app).drain()


async def test_a_short_callout_is_raised_again_until_muted_and_widened_people_are_reminded(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> None:
    await add_volunteer(seeded_db, "李队长", role="leader", telegram_id=LEADER)
    ready: dict[str, Any] = {"skills": MOUNTAIN, "fitness_passed_on": date.today()}
    for n in (1, 2, 3):
        sandbox.user(LEADER + n, f"队员{n}")
        await add_volunteer(seeded_db, f"队员{n}", telegram_id=LEADER + n, **ready)
    await add_volunteer(seeded_db, "红队员", team="HR", telegram_id=HR_MEMBER, **ready)
    await add_coordinator(seeded_db, COORD)
    leader, coordinator = sandbox.user(LEADER, "李队长"), sandbox.user(COORD, "值班员")
    hr_member = sandbox.user(HR_MEMBER, "红队员")
    minutes = bot_settings.escalate_minutes
    clock = FakeClock(datetime.now(UTC))
    async with running_bot(bot_settings, clock, poll_timeout=1) as app:
        await leader.send("/callout mountain 3 凤凰山西坡 迷路")
        pages = [await page_of(sandbox, LEADER + n) for n in (1, 2, 3)]
        assert "已确认" in await tap(*pages[0], "co:1:a")

        # First the silent are reminded and the caller gets their phones.
        await _next_deadline(app, clock, minutes)
        reminder = await pages[1][0].wait_for_message("提醒")
        assert reminder.get("reply_to_message", {}).get("message_id") == pages[1][1]["message_id"]
        await leader.wait_for_message(lambda m: "可以打电话给他们" in text_of(m))

        # Then the coordinators, who widen the callout to the other teams.
        await _next_deadline(app, clock, minutes)
        alert = await coordinator.wait_for_message("还缺 2/3")
        assert "再次提醒" not in text_of(alert)
        await coordinator.wait_for_answer(await coordinator.press(alert, "co:1:widen"))
        await hr_member.wait_for_message("出队召集 #1")

        # Still short an interval later: the one paged by Widen is reminded in turn, the
        # coordinators are raised again, and mute it.
        await _next_deadline(app, clock, minutes)
        await hr_member.wait_for_message("提醒")
        again = await coordinator.wait_for_message("再次提醒")
        assert "还缺 2/3" in text_of(again)
        muted = await coordinator.wait_for_answer(await coordinator.press(again, "co:1:mute"))
        assert "不再向协调员重复提醒" in str(muted.get("text"))

        # Muted: the next deadline passes without a word to them.
        await _next_deadline(app, clock, minutes)
        alerts = [m for m in sandbox.messages_to(COORD) if "还缺" in text_of(m)]
        assert len(alerts) == 2
    stage = await seeded_db.fetchone("SELECT escalation_stage FROM callouts WHERE id = 1")
    assert stage is not None and stage[0] == 4
