import asyncio
import sqlite3
from collections.abc import Callable

import pytest

from storage.batched_transactions import BatchedTransactions
from storage.db import Database, audit_sync

INSERT = "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?, 'a', 'x')"


def grant(telegram_id: int) -> Callable[[sqlite3.Connection], int]:
    def work(conn: sqlite3.Connection) -> int:
        conn.execute(INSERT, (telegram_id,))
        audit_sync(conn, telegram_id, "grant")
        return telegram_id

    return work


def grant_then_fail(telegram_id: int) -> Callable[[sqlite3.Connection], int]:
    def work(conn: sqlite3.Connection) -> int:
        conn.execute(INSERT, (telegram_id,))
        audit_sync(conn, telegram_id, "grant")
        raise ValueError(f"refused {telegram_id}")

    return work


async def test_writes_that_arrive_together_share_a_transaction_in_arrival_order(
    db: Database,
) -> None:
    batches = BatchedTransactions.of(db)
    assert BatchedTransactions.of(db) is batches  # one queue per database
    results = await asyncio.gather(*(batches.run(grant(n)) for n in range(1, 21)))
    assert results == list(range(1, 21))
    # All 20 were queued before the database thread was free: one trip, one transaction.
    assert batches.batches == 1
    rows = await db.fetchall("SELECT telegram_id FROM coordinators ORDER BY rowid")
    assert [r[0] for r in rows] == list(range(1, 21))


async def test_a_write_that_fails_in_a_batch_leaves_nothing_behind_and_spares_the_others(
    db: Database,
) -> None:
    batches = BatchedTransactions.of(db)
    works = [grant(1), grant(2), grant_then_fail(3), grant(4)]
    outcomes = await asyncio.gather(
        *(batches.run(w) for w in works),
        return_exceptions=True,
    )
    assert outcomes[:2] == [1, 2] and outcomes[3] == 4
    assert isinstance(outcomes[2], ValueError) and "refused 3" in str(outcomes[2])
    rows = await db.fetchall("SELECT telegram_id FROM coordinators ORDER BY telegram_id")
    assert [r[0] for r in rows] == [1, 2, 4]
    audit = await db.fetchall("SELECT actor FROM audit_log WHERE action = 'grant'")
    assert sorted(r[0] for r in audit) == [1, 2, 4]


async def test_a_caller_that_gives_up_does_not_strand_the_others(db: Database) -> None:
    batches = BatchedTransactions.of(db)
    first = asyncio.ensure_future(batches.run(grant(1)))
    second = asyncio.ensure_future(batches.run(grant(2)))
    third = asyncio.ensure_future(batches.run(grant(3)))
    await asyncio.sleep(0)  # all three queued; the first batch is under way
    second.cancel()
    assert await first == 1 and await third == 3
    with pytest.raises(asyncio.CancelledError):
        await second
    rows = await db.fetchall("SELECT telegram_id FROM coordinators ORDER BY telegram_id")
    assert [r[0] for r in rows] == [1, 3]
