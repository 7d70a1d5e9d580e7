"""Nothing is lost silently: sending again until delivered, and recording pages in batches.

A message Telegram could not take (network error, 5xx, timeout) is sent again after 1, 2,
5, 10 and then every 15 seconds, for as long as it is still wanted (its callout is live,
the bot is not stopping); how long the outage lasts does not matter. A page not yet
delivered stays recorded as such in the database, so a restart sends it too.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from missions.ports import Delivery

# Seconds between tries; the last one repeats. Tests shorten them.
RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 15.0)
# The leader hears which pages are still out if the fan-out is not done by then.
STILL_OUT_AFTER = 30.0  # seconds


def retry_delays() -> Iterator[float]:
    return itertools.chain(RETRY_DELAYS[:-1], itertools.repeat(RETRY_DELAYS[-1]))


async def until_delivered(
    send: Callable[[], Awaitable[Delivery]],
    wanted: Callable[[], Awaitable[bool]],
) -> Delivery:
    """`send()` again while Telegram is unreachable and `wanted()`; the last Delivery."""
    for delay in retry_delays():  # pragma: no branch - endless
        delivery = await send()
        if not delivery.unreachable or not await wanted():
            return delivery
        await asyncio.sleep(delay)
        if not await wanted():
            return delivery
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Outcome:
    volunteer_id: int
    chat_id: int
    delivery: Delivery


@dataclass
class DeliveryLog:
    """Page outcomes written together: while one batch is being written the next one
    collects, so a fan-out costs a trip to the database thread per batch, not per page."""

    write: Callable[[list[Outcome]], Awaitable[None]]
    _pending: list[Outcome] = field(default_factory=list)
    _writer: asyncio.Task[None] | None = None

    def add(self, outcome: Outcome) -> None:
        self._pending.append(outcome)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_all())

    async def _write_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            await self.write(batch)

    async def flush(self) -> None:
        while self._writer is not None and not self._writer.done():
            await self._writer
        if self._pending:
            await self._write_all()


async def all_of(*work: Awaitable[object]) -> None:
    """Run `work` together and wait for every one, also when cancelled (a stop): unlike a
    plain `gather`, which ends at the first cancelled child and leaves the rest running
    unseen, so a message cut short could not be saved before the database closes. The
    first failure is raised once all are done."""
    results = await asyncio.gather(*work, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
