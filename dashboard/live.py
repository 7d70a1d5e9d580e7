"""A small in-process pub/sub: the callout service says "callout N changed", every open
dashboard hears it.

Each subscriber holds one pending flag, not a queue of events: a change only
means "read again", so a burst of 263 taps wakes a slow screen once, and a
wall screen open for days holds nothing but that flag. Subscribers leave when
their connection ends.
"""

from __future__ import annotations

import asyncio
import contextlib


class Subscription:
    def __init__(self, hub: ChangeHub) -> None:
        self._hub = hub
        self._event = asyncio.Event()
        self.changed: set[int] = set()

    def _notify(self, callout_id: int) -> None:
        # Bounded: at most one id per live callout, cleared at every wake-up.
        if len(self.changed) < 1000:
            self.changed.add(callout_id)
        self._event.set()

    async def wait(self, seconds: float) -> set[int]:
        """The callouts changed since the last wait (empty after `seconds`)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()
        changed, self.changed = self.changed, set()
        return changed

    def close(self) -> None:
        self._hub._subscribers.discard(self)
        self._hub._left.set()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class ChangeHub:
    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self._left = asyncio.Event()
        self.version = 0

    def subscribe(self) -> Subscription:
        subscription = Subscription(self)
        self._subscribers.add(subscription)
        return subscription

    def publish(self, callout_id: int) -> None:
        self.version += 1
        for subscription in list(self._subscribers):
            subscription._notify(callout_id)

    def wake_all(self) -> None:
        """Shutting down: every stream wakes and sees the server is closing."""
        for subscription in list(self._subscribers):
            subscription._event.set()

    async def wait_for_subscribers(self, count: int) -> None:
        """Until no more than `count` screens are connected (tests, shutdown checks)."""
        while len(self._subscribers) > count:
            self._left.clear()
            await self._left.wait()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)
