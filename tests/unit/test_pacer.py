"""The pacer: room in every window that applies, nothing during a 429 pause, and a
request still counted until Telegram has answered it."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import (
    ANSWER_SLACK,
    CHAT_BURST,
    CHAT_BURST_SECONDS,
    PacedRateLimiter,
    Pacer,
    Window,
    edit_share,
)


def test_a_window_admits_its_limit_and_then_waits_for_the_oldest_to_age_out() -> None:
    window = Window(3, 1.0)
    for _ in range(3):
        assert window.wait(10.0) == 0
        window.take()
        window.release(10.0, 10.0)
    assert window.wait(10.5) == pytest.approx(0.5)
    assert window.wait(11.0) == 0


def test_below_a_lower_limit_a_window_waits_for_as_many_to_age_out_as_it_must() -> None:
    window = Window(3, 1.0)
    for sent_at in (10.0, 10.2, 10.4):
        window.take()
        window.release(sent_at, sent_at)
    assert window.wait(10.5, limit=2) == pytest.approx(0.7)  # two must age out


def test_edits_may_use_part_of_a_chat_window_and_never_all_of_it() -> None:
    assert edit_share(3) == 2  # a private chat: one kept for a reply
    assert edit_share(20) == 15  # a group
    assert edit_share(1) == 1


def test_a_request_in_flight_counts_until_it_is_answered() -> None:
    window = Window(1, 1.0)
    window.take()
    assert window.wait(50.0) == float("inf")  # however long it has been on the wire
    window.release(sent=50.0, answered=50.02)
    assert window.wait(50.5) == pytest.approx(0.52)


def test_a_hung_request_counts_from_at_most_a_little_after_its_send() -> None:
    window = Window(1, 1.0)
    window.take()
    window.release(sent=10.0, answered=10.0 + ANSWER_SLACK + 5)
    assert window.wait(10.0 + ANSWER_SLACK) == pytest.approx(1.0)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def settle() -> None:
    """Let every task that can move on do so (no time passes)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def sent(pacer: Pacer, chat_id: int, *, edit: bool = False) -> None:
    """One request to the chat that went out and was answered at once."""
    (await asyncio.wait_for(pacer.slot(chat_id, edit=edit), timeout=5))()


async def test_nothing_is_handed_out_while_a_429_pause_runs() -> None:
    clock = FakeTime()
    pacer = Pacer(100, clock=clock)
    pacer.pause(5)
    waiting = asyncio.create_task(pacer.slot(1))
    await settle()
    assert not waiting.done()
    clock.now += 5
    pacer.recheck()
    await settle()
    assert waiting.done()
    waiting.result()()


async def test_a_busy_chat_does_not_hold_up_messages_to_others() -> None:
    pacer = Pacer(100, clock=FakeTime())
    for _ in range(CHAT_BURST):  # the leader's chat is at its burst limit
        await sent(pacer, 7)
    leader = asyncio.create_task(pacer.slot(7))
    await sent(pacer, 8)
    assert not leader.done()
    leader.cancel()


async def test_board_redraws_leave_room_in_the_chat_for_a_reply() -> None:
    pacer = Pacer(100, clock=FakeTime())
    redraws = 0
    while True:  # redraw as often as the chat lets edits go
        edit = asyncio.create_task(pacer.slot(7, edit=True))
        await settle()
        if not edit.done():
            break
        edit.result()()
        redraws += 1
    assert 0 < redraws < CHAT_BURST
    await sent(pacer, 7)  # the reply goes at once
    assert not edit.done()
    edit.cancel()


async def test_a_waiting_reply_goes_before_a_waiting_redraw() -> None:
    clock = FakeTime()
    pacer = Pacer(100, clock=clock)
    order: list[str] = []

    async def request(name: str, *, edit: bool) -> None:
        done = await pacer.slot(7, edit=edit)
        order.append(name)
        done()

    for _ in range(CHAT_BURST):
        await sent(pacer, 7)
    redraw = asyncio.create_task(request("redraw", edit=True))
    await settle()
    reply = asyncio.create_task(request("reply", edit=False))
    await settle()
    assert order == []
    clock.now += CHAT_BURST_SECONDS  # the window has room again
    pacer.recheck()
    await settle()
    assert order == ["reply", "redraw"]  # the redraw waited first, the reply went first
    await asyncio.gather(redraw, reply)


async def test_replies_to_one_chat_keep_their_order() -> None:
    clock = FakeTime()
    pacer = Pacer(100, clock=clock)
    order: list[int] = []

    async def reply(number: int) -> None:
        done = await pacer.slot(7)
        order.append(number)
        done()

    replies = [asyncio.create_task(reply(n)) for n in range(2 * CHAT_BURST + 1)]
    for _ in range(3):
        await settle()
        clock.now += CHAT_BURST_SECONDS
        pacer.recheck()
    await settle()
    assert all(task.done() for task in replies)
    assert order == sorted(order)


async def test_a_cancelled_reply_does_not_hold_up_the_chat() -> None:
    clock = FakeTime()
    pacer = Pacer(100, clock=clock)
    for _ in range(CHAT_BURST):
        await sent(pacer, 7)
    first = asyncio.create_task(pacer.slot(7))
    edit = asyncio.create_task(pacer.slot(7, edit=True))
    await settle()
    first.cancel()
    clock.now += CHAT_BURST_SECONDS
    pacer.recheck()
    await settle()
    assert edit.done()
    edit.result()()


async def test_the_limiter_paces_edits_as_edits() -> None:
    limiter = PacedRateLimiter(Pacer(100, clock=FakeTime()))

    async def answered() -> bool:
        return True

    for _ in range(CHAT_BURST - 1):
        await limiter.process_request(answered, (), {}, "editMessageText", {"chat_id": 7}, None)
    redraw = asyncio.create_task(
        limiter.process_request(answered, (), {}, "editMessageReplyMarkup", {"chat_id": 7}, None)
    )
    await settle()
    assert not redraw.done()
    assert await limiter.process_request(answered, (), {}, "sendMessage", {"chat_id": 7}, None)
    redraw.cancel()


async def test_a_429_is_waited_out_and_the_request_sent_again_never_dropped() -> None:
    limiter = PacedRateLimiter(Pacer(100))
    tries: list[int] = []

    async def send() -> bool:
        tries.append(1)
        if len(tries) < 3:
            raise RetryAfter(0)  # type: ignore[arg-type]
        return True

    assert await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert len(tries) == 3
