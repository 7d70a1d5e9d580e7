import asyncio

import pytest

from storage.db import Database
from storage.unit_of_work import Transaction, UnitOfWork

INSERT = "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?, 'a', 'x')"


class Coordinators:
    """A transaction-bound repository of the kind services use."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add(self, telegram_id: int) -> None:
        await self.tx.execute(INSERT, (telegram_id,))

    async def count(self) -> int:
        row = await self.tx.fetchone("SELECT COUNT(*) FROM coordinators")
        return int(row[0]) if row else 0


async def test_the_work_of_a_unit_and_its_audit_entry_commit_together(db: Database) -> None:
    async with UnitOfWork(db) as uow:
        await uow.repo(Coordinators).add(1)
        assert await uow.repo(Coordinators).count() == 1
        await uow.audit(1, "grant_coordinator", telegram_id=1)
    count = await db.fetchone("SELECT COUNT(*) FROM coordinators")
    assert count is not None and count[0] == 1
    row = await db.fetchone("SELECT action FROM audit_log")
    assert row is not None and row[0] == "grant_coordinator"


async def test_a_unit_of_work_that_fails_writes_neither_its_rows_nor_its_audit(
    db: Database,
) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(db) as uow:
            await uow.repo(Coordinators).add(1)
            await uow.audit(1, "grant_coordinator")
            raise RuntimeError("half-way")
    assert await db.fetchall("SELECT * FROM coordinators") == []
    assert await db.fetchall("SELECT * FROM audit_log") == []


async def test_a_unit_of_work_gives_one_repository_of_each_kind(db: Database) -> None:
    async with UnitOfWork(db) as uow:
        assert uow.repo(Coordinators) is uow.repo(Coordinators)


async def test_a_unit_of_work_cannot_be_used_after_its_block(db: Database) -> None:
    uow = UnitOfWork(db)
    async with uow:
        pass
    with pytest.raises(RuntimeError):
        uow.repo(Coordinators)


async def test_a_write_reports_the_new_rows_id_and_how_many_rows_it_touched(
    db: Database,
) -> None:
    async with UnitOfWork(db) as uow:
        first = await uow.tx.execute(INSERT, (1,))
        await uow.tx.executemany(INSERT, [(2,), (3,)])
        deleted = await uow.tx.execute("DELETE FROM coordinators WHERE telegram_id > 1")
    assert first.lastrowid > 0
    assert deleted.rowcount == 2


async def test_a_cancelled_one_trip_transaction_still_finishes_before_the_next_begins(
    db: Database,
) -> None:
    import sqlite3
    import threading

    release, order = threading.Event(), []

    def slow(conn: sqlite3.Connection) -> None:
        conn.execute(INSERT, (1,))
        release.wait(timeout=10)
        order.append("first committed")

    def second(conn: sqlite3.Connection) -> None:
        order.append("second began")

    first = asyncio.ensure_future(db.run_transaction(slow))
    await asyncio.sleep(0)  # the work is on its thread
    first.cancel()
    following = asyncio.ensure_future(db.run_transaction(second))
    await asyncio.sleep(0.05)  # a chance for the second to begin, which it must not take
    assert order == []  # the cancelled work still holds the database thread
    release.set()
    await following
    with pytest.raises(asyncio.CancelledError):
        await first
    assert order == ["first committed", "second began"]
    count = await db.fetchone("SELECT COUNT(*) FROM coordinators")
    assert count is not None and count[0] == 1


async def test_an_error_in_one_trip_work_reaches_the_caller_and_writes_nothing(
    db: Database,
) -> None:
    import sqlite3

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute(INSERT, (1,))
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(sqlite3.OperationalError):
        await db.run_transaction(broken)
    assert await db.fetchall("SELECT * FROM coordinators") == []
