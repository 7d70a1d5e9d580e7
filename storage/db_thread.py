"""A thread of the `Database`'s own that runs `run_transaction`'s work, one call at a time.

What aiosqlite does for each statement, for a whole transaction: the call goes on a queue,
the thread runs it and hands the result back to the caller's event loop in one hop. A
`ThreadPoolExecutor` does the same with more locking; measured on the tap path it made a
transaction 10-15 % slower (benchmarks/transactions.py)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")

_Call = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[[], Any]] | None


class DbThread:
    def __init__(self, name: str = "rescuebot-db") -> None:
        self._calls: SimpleQueue[_Call] = SimpleQueue()
        # A daemon: a thread left running would keep a finished command's process alive.
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def run(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        """`fn()` on the thread; its result (or exception) arrives on the running loop."""
        loop = asyncio.get_running_loop()
        result: asyncio.Future[T] = loop.create_future()
        self._calls.put((loop, result, fn))
        return result

    def stop(self) -> None:
        """The thread ends after the calls already queued."""
        self._calls.put(None)

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            loop, result, fn = call
            try:
                value = fn()
            except BaseException as error:  # handed to the caller, as aiosqlite does
                loop.call_soon_threadsafe(_settle, result, None, error)
            else:
                loop.call_soon_threadsafe(_settle, result, value, None)


def _settle(result: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if result.done():  # the caller stopped waiting (cancelled)
        return
    if error is not None:
        result.set_exception(error)
    else:
        result.set_result(value)
