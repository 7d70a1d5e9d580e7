"""One-trip transactions (`Database.run_transaction`, the tap path) against statement-by-statement
ones (a `UnitOfWork`), on a temp database: N concurrent small writes, each with its
audit entry, as a burst of taps makes them. Prints the median of `--runs` runs per kind.

    python -m benchmarks.transactions [--writes 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from storage.db import Database, audit_sync, open_database
from storage.unit_of_work import UnitOfWork

INSERT = "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?, 'b', 'x')"


async def _one_trip(db: Database, n: int) -> None:
    def work(conn: sqlite3.Connection, i: int) -> None:
        conn.execute(INSERT, (i,))
        audit_sync(conn, i, "bench")

    await asyncio.gather(*(db.run_transaction(functools.partial(work, i=i)) for i in range(n)))


async def _statements(db: Database, n: int) -> None:
    async def one(i: int) -> None:
        async with UnitOfWork(db) as uow:
            await uow.tx.execute(INSERT, (i,))
            await uow.audit(i, "bench")

    await asyncio.gather(*(one(i) for i in range(n)))


async def _run(writes: int, runs: int) -> None:
    for name, kind in (("run_transaction", _one_trip), ("UnitOfWork", _statements)):
        times = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                db = await open_database(Path(tmp) / "bench.db")
                start = time.perf_counter()
                await kind(db, writes)
                times.append(time.perf_counter() - start)
                await db.close()
        runs_text = " ".join(f"{x * 1000:.0f}" for x in times)
        per = statistics.median(times) / writes * 1e6
        print(f"{name}: {writes} writes, runs {runs_text} ms, median {per:.0f} µs a write")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(_run(args.writes, args.runs))


if __name__ == "__main__":
    main()
