"""A stop does not wait for Telegram's pace: after its grace what is still queued is cut
short, and the stand-down notices it had not sent go out at the next start."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import LEADER, TELEGRAM_LIMIT, team_settings, volunteer_ids
from bot.app import running_bot
from sandbox.server import BotApiSandbox
from tests.e2e.test_delivery_faults import first_page, flood_callout, pages_to

NOTICE = "请原地待命解除"  # in the cancel notice only, never on a page


def notices_to(box: BotApiSandbox, uid: int) -> int:
    return sum(1 for m in box.messages_to(uid) if NOTICE in str(m.get("text")))


async def test_a_stop_cuts_stand_down_notices_short_and_the_next_start_sends_the_rest(
    tmp_path: Path,
) -> None:
    team = 60
    ids = volunteer_ids(team)
    async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
        settings = await team_settings(box, tmp_path, team)
        # A short grace: 60 notices at Telegram's ~29 a second take about two seconds.
        settings = settings.model_copy(update={"stop_grace_seconds": 0.2})
        leader = box.user(LEADER)
        async with running_bot(settings, poll_timeout=1):
            await leader.send(flood_callout(team))
            await box.wait_for(lambda: all(pages_to(box, uid) for uid in ids), timeout=30)
            for uid in ids:
                await box.user(uid).press(first_page(box, uid), "co:1:a")
            await leader.wait_for_message(f"已确认 {team}/{team}", timeout=30)
            await leader.send("/cancel 1 演练结束")
            await box.wait_for(lambda: any(notices_to(box, uid) for uid in ids), timeout=30)
        left = [uid for uid in ids if not notices_to(box, uid)]
        assert left  # the stop did not wait for every notice at Telegram's pace
        async with running_bot(settings, poll_timeout=1):
            await box.wait_for(lambda: all(notices_to(box, uid) for uid in ids), timeout=30)
        # Each went once, or twice at most if it was on the wire when the stop cut it
        # (Telegram may have taken it; the bot could not know).
        assert all(notices_to(box, uid) == 1 for uid in left)
