"""Telegram-like global send rate limit: a sliding one-second window."""

import asyncio

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from sandbox import BotApiSandbox

# PTB itself reads the deprecated int form of RetryAfter.retry_after when building messages.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class StoppedClock:
    """The sandbox's clock, moved only by the test: the limits are judged on the times the
    test means, however busy the machine is."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def start_sandbox_with_users(
    limit: int, users: int, clock: StoppedClock | None = None
) -> BotApiSandbox:
    sandbox = BotApiSandbox(rate_limit_per_second=limit, clock=clock or StoppedClock())
    await sandbox.start()
    for user_id in range(1, users + 1):
        sandbox.user(user_id)
    return sandbox


async def send_counting_429s(bot: Bot, chat_id: int) -> int:
    try:
        await bot.send_message(chat_id, "Callout!")
    except RetryAfter:
        return 1
    return 0


async def test_a_burst_over_the_limit_gets_429s_and_those_are_not_delivered() -> None:
    sandbox = await start_sandbox_with_users(limit=30, users=40)
    try:
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            rejected = sum(
                await asyncio.gather(*(send_counting_429s(bot, uid) for uid in range(1, 41)))
            )
        delivered = sum(len(sandbox.messages_to(uid)) for uid in range(1, 41))
    finally:
        await sandbox.stop()

    assert rejected == 10
    assert delivered == 30
    refusals = [c for c in sandbox.calls if c.status == 429]
    assert all(c.response["parameters"]["retry_after"] >= 1 for c in refusals)
    assert len(sandbox.delivery_times()) == 30


async def test_evenly_paced_sends_just_under_the_limit_get_no_429s() -> None:
    # 32 sends at 29 a second span more than one window, so the window must slide.
    limit, rate, count = 30, 29, 32
    clock = StoppedClock()
    sandbox = await start_sandbox_with_users(limit=limit, users=count, clock=clock)
    try:
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            rejected = 0
            for index in range(count):
                clock.now = 1000.0 + index / rate
                rejected += await send_counting_429s(bot, index + 1)
    finally:
        await sandbox.stop()

    assert rejected == 0
    times = sandbox.delivery_times()
    assert len(times) == count
    assert (count - 1) / (times[-1] - times[0]) < limit
