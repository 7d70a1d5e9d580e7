"""Small writes that arrive together share one trip to the database thread.

A whole team tapping in the same second is hundreds of tiny transactions. Each is a hop
to aiosqlite's worker thread and a wake-up of the event loop on the way back, and under
a burst those hops — not SQLite — set the pace. Here the writes queued while one batch
runs go together as the next batch: one BEGIN IMMEDIATE … COMMIT, each write inside its
own SAVEPOINT, so each is still all or nothing on its own (a write that raises is rolled
back to its savepoint and raises for its caller alone) and they apply in arrival order.
Nobody waits for a batch to fill: a write that finds the queue idle goes at once.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from storage.db import Database

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]

_shared: weakref.WeakKeyDictionary[Database, BatchedTransactions] = weakref.WeakKeyDictionary()


class BatchedTransactions:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # transactions run (tests and benchmarks look)

    @classmethod
    def of(cls, db: Database) -> BatchedTransactions:
        """The one queue of this database (every repository shares it)."""
        found = _shared.get(db)
        if found is None:
            found = _shared[db] = cls(db)
        return found

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` in the database thread, atomically, with whatever else is queued."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, future))
        if self._drainer is None or self._drainer.done():
            # A task of its own: a caller that gives up must not strand the others.
            self._drainer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            live = [(work, future) for work, future in batch if not future.cancelled()]
            if not live:
                continue
            try:
                outcomes = await self.db.run_transaction(
                    lambda conn, live=live: [_one(conn, work) for work, _ in live]  # type: ignore[misc]
                )
            except BaseException as exc:  # handed to every waiting caller
                for _, future in live:
                    if not future.done():
                        future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            self.batches += 1
            for (_, future), (ok, value) in zip(live, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)


def _one(conn: sqlite3.Connection, work: Work) -> tuple[bool, Any]:
    conn.execute("SAVEPOINT batched")
    try:
        value = work(conn)
    except Exception as exc:  # raised again in its caller's task
        conn.execute("ROLLBACK TO batched")
        conn.execute("RELEASE batched")
        return False, exc
    conn.execute("RELEASE batched")
    return True, value
