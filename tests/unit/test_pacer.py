"""The pacer: room in every window that applies, nothing during a 429 pause, and a
request still counted until Telegram has answered it."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import ANSWER_SLACK, PacedRateLimiter, Pacer, Window


def test_a_window_admits_its_limit_and_then_waits_for_the_oldest_to_age_out() -> None:
    window = Window(3, 1.0)
    for _ in range(3):
        assert window.wait(10.0) == 0
        window.take()
        window.release(10.0, 10.0)
    assert window.wait(10.5) == pytest.approx(0.5)
    assert window.wait(11.0) == 0


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


async def test_nothing_is_handed_out_while_a_429_pause_runs() -> None:
    pacer = Pacer(100)
    pacer.pause(0.2)
    until = time.monotonic() + 0.2
    done = await pacer.slot(1)
    assert time.monotonic() >= until - 0.01
    done()


async def test_a_busy_chat_does_not_hold_up_messages_to_others() -> None:
    pacer = Pacer(100)
    for _ in range(3):  # the leader's chat is at its burst limit
        (await pacer.slot(7))()
    leader = asyncio.create_task(pacer.slot(7))
    volunteer = await asyncio.wait_for(pacer.slot(8), timeout=1)
    volunteer()
    assert not leader.done()
    leader.cancel()


async def test_a_429_is_waited_out_and_the_request_sent_again_never_dropped() -> None:
    limiter = PacedRateLimiter(Pacer(100))
    tries: list[float] = []

    async def send() -> bool:
        tries.append(time.monotonic())
        if len(tries) < 3:
            raise RetryAfter(0)  # type: ignore[arg-type]
        return True

    assert await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert len(tries) == 3
