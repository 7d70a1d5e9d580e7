import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.callout_adapter import with_network_retries


async def test_a_page_is_sent_again_after_a_network_failure() -> None:
    attempts: list[int] = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise TimedOut()
        return "sent"

    assert await with_network_retries(flaky, delays=(0, 0, 0)) == "sent"
    assert len(attempts) == 3


async def test_network_failures_stop_after_the_last_retry() -> None:
    async def down() -> str:
        raise NetworkError("connection reset")

    with pytest.raises(NetworkError):
        await with_network_retries(down, delays=(0, 0))


async def test_telegrams_own_refusals_are_not_retried() -> None:
    attempts: list[int] = []

    async def refused() -> str:
        attempts.append(1)
        raise BadRequest("Chat not found")

    with pytest.raises(BadRequest):
        await with_network_retries(refused, delays=(0, 0))
    assert len(attempts) == 1
