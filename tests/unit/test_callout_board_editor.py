"""Board redraws are coalesced: a burst of changes gives one edit now and one after the interval."""

from __future__ import annotations

import asyncio

import pytest

from bot.callout_adapter import BoardEditor, Unreachable
from missions import delivery


async def test_a_burst_of_taps_gives_at_most_two_board_edits() -> None:
    drawn: list[int] = []

    async def redraw(callout_id: int) -> None:
        drawn.append(callout_id)
        await asyncio.sleep(0)

    editor = BoardEditor(redraw, interval=0.05)
    for _ in range(50):
        editor.changed(7)
        await asyncio.sleep(0)
    await editor.flush()
    assert drawn == [7, 7]


async def test_boards_of_different_callouts_do_not_wait_for_each_other() -> None:
    drawn: list[int] = []

    async def redraw(callout_id: int) -> None:
        drawn.append(callout_id)

    editor = BoardEditor(redraw, interval=10)
    editor.changed(1)
    editor.changed(2)
    await asyncio.wait_for(editor.flush(), timeout=1)
    assert sorted(drawn) == [1, 2]


async def test_a_board_telegram_cannot_take_is_tried_again_but_never_holds_up_a_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.0,))
    tries: list[int] = []
    running = True

    async def redraw(callout_id: int) -> None:
        tries.append(callout_id)
        if len(tries) == 2:
            nonlocal running
            running = False  # the bot is stopping, Telegram still down
        raise Unreachable("502")

    editor = BoardEditor(redraw, interval=0, keep_going=lambda: running)
    editor.changed(1)
    await asyncio.wait_for(editor.flush(), timeout=5)
    assert tries == [1, 1]  # tried again while running, then let go


async def test_once_hurried_a_pending_redraw_goes_at_once_instead_of_after_the_interval() -> None:
    drawn: list[int] = []

    async def redraw(callout_id: int) -> None:
        drawn.append(callout_id)

    editor = BoardEditor(redraw, interval=3600)
    editor.changed(1)
    await editor.flush()  # the first redraw goes at once
    editor.changed(1)  # the second would wait an hour
    await asyncio.sleep(0)
    assert drawn == [1]
    editor.hurry()  # the bot is stopping
    await asyncio.wait_for(editor.flush(), timeout=60)  # a guard against a hang only
    assert drawn == [1, 1]
