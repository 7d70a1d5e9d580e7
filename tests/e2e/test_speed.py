"""Speed targets in small: a whole team taps in the same instant (benchmarks/taps.py does 263)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import (
    LEADER,
    TELEGRAM_LIMIT,
    Burst,
    callout_and_wait,
    chat_of,
    page_of,
    tap_burst,
    team_settings,
    volunteer_ids,
)
from bot.app import running_bot
from sandbox.server import BotApiSandbox

TEAM = 60


async def burst_after_callout(directory: Path) -> tuple[Burst, list[float]]:
    """A callout to TEAM volunteers, all of whom tap *Available* in the same instant; returns
    the burst and the arrival times of the board edits until the board shows them all."""
    ids = volunteer_ids(TEAM)
    async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
        settings = await team_settings(box, directory, TEAM)
        leader = box.user(LEADER)
        async with running_bot(settings, poll_timeout=1):
            fan_out = await callout_and_wait(box, ids, TEAM, timeout=15)
            assert fan_out.pages == TEAM and fan_out.too_many_requests == 0
            await leader.wait_for_message(
                lambda m: (
                    f"已确认 0/{TEAM}" in str(m.get("text")) and "未回复" in str(m.get("text"))
                )
            )
            users = [box.user(uid) for uid in ids]
            since = len(box.calls)
            burst = await tap_burst(box, "rescuebot", [(u, page_of(u), "co:1:a") for u in users])
            await leader.wait_for_message(
                lambda m: (
                    f"已确认 {TEAM}/{TEAM}" in str(m.get("text"))
                    and "未回复" not in str(m.get("text"))
                )
            )
            board = [
                c.time
                for c in box.calls[since:]
                if c.method == "editMessageText" and chat_of(c.params) == LEADER
            ]
    return burst, board


async def test_a_whole_team_tapping_at_once_is_all_answered_and_the_board_coalesces(
    tmp_path: Path,
) -> None:
    burst, board = await burst_after_callout(tmp_path)
    assert burst.taps == TEAM
    # About one edit per started second, however many taps arrived.
    assert 1 <= len(board) <= int(max(board) - burst.first_press) + 2, (len(board), burst.line())


# A sanity bound only: this shared 2-core machine cannot hold a wall-clock target reliably.
# The real figure (p95 < 0.5 s at 263 taps) is measured by benchmarks/taps.py.
SANITY_P95 = 5.0  # seconds


async def test_a_whole_team_tapping_at_once_is_answered_well_within_the_sanity_bound(
    tmp_path: Path,
) -> None:
    burst, _ = await burst_after_callout(tmp_path)
    assert burst.percentile(95) < SANITY_P95, burst.line()
