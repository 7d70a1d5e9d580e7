"""A count of one kind of work in progress, and a wait until there is none."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager


class Ongoing:
    """How many of one kind of work are running now (taps being applied, fan-outs going
    out): other work that should give way waits for `idle`."""

    def __init__(self) -> None:
        self._count = 0
        self._none = asyncio.Event()
        self._none.set()

    @contextmanager
    def running(self) -> Iterator[None]:
        self._count += 1
        self._none.clear()
        try:
            yield
        finally:
            self._count -= 1
            if not self._count:
                self._none.set()

    @property
    def busy(self) -> bool:
        return self._count > 0

    async def idle(self) -> None:
        await self._none.wait()
