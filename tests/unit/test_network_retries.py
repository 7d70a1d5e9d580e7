"""Sending again while Telegram is unreachable, for as long as the message is wanted."""

import pytest

from missions import delivery
from missions.delivery import until_delivered
from missions.ports import BLOCKED, UNREACHABLE, Delivery


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.0,))


async def wanted() -> bool:
    return True


async def test_a_page_is_sent_again_until_telegram_takes_it_however_long_it_is_down() -> None:
    attempts: list[int] = []

    async def flaky() -> Delivery:
        attempts.append(1)
        if len(attempts) < 50:
            return Delivery(failure=UNREACHABLE)
        return Delivery(message_id=7)

    assert (await until_delivered(flaky, wanted)).message_id == 7
    assert len(attempts) == 50


async def test_sending_stops_once_the_message_is_no_longer_wanted() -> None:
    attempts: list[int] = []

    async def down() -> Delivery:
        attempts.append(1)
        return Delivery(failure=UNREACHABLE)

    async def until_third() -> bool:
        return len(attempts) < 3

    assert (await until_delivered(down, until_third)).unreachable
    assert len(attempts) == 3


async def test_telegrams_own_refusals_are_not_retried() -> None:
    attempts: list[int] = []

    async def refused() -> Delivery:
        attempts.append(1)
        return Delivery(failure=BLOCKED)

    assert (await until_delivered(refused, wanted)).failure == BLOCKED
    assert len(attempts) == 1


def test_the_waits_between_tries_grow_and_then_stay_at_the_last_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (1.0, 2.0, 5.0))
    waits = delivery.retry_delays()
    assert [next(waits) for _ in range(6)] == [1.0, 2.0, 5.0, 5.0, 5.0, 5.0]
