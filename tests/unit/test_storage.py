import asyncio
import sqlite3
from pathlib import Path

import pytest

from roster.repository import RosterRepository
from storage.db import Database, audit_sync, open_database
from storage.migrations import MIGRATIONS
from storage.unit_of_work import UnitOfWork
from tests.factories import add_volunteer


async def test_a_new_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "new.db")
    assert await db.schema_version() == len(MIGRATIONS)
    mode = await db.fetchone("PRAGMA journal_mode")
    foreign = await db.fetchone("PRAGMA foreign_keys")
    await db.close()
    assert mode is not None and mode[0] == "wal"
    assert foreign is not None and foreign[0] == 1


async def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "twice.db")
    await RosterRepository(db).seed_reference_data()
    await RosterRepository(db).seed_reference_data()
    assert await db.migrate() == len(MIGRATIONS)
    teams = await db.fetchall("SELECT code FROM teams ORDER BY rowid")
    await db.close()
    assert [r[0] for r in teams] == ["HR", "LT", "MA", "QM", "330", "SD"]


async def test_a_failing_transaction_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(db) as uow:
            await uow.tx.execute(
                "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (1, 'a', 'x')"
            )
            raise RuntimeError("half-way")
    assert await db.fetchall("SELECT * FROM coordinators") == []


async def test_a_backup_is_a_consistent_copy_while_the_database_is_open(
    db: Database, tmp_path: Path
) -> None:
    await add_volunteer(db, "张伟")
    await db.backup(tmp_path / "copy.db")
    copy = await open_database(tmp_path / "copy.db")
    rows = await copy.fetchall("SELECT name FROM volunteers")
    await copy.close()
    assert [r[0] for r in rows] == ["张伟"]


async def test_the_audit_log_records_who_did_what(db: Database) -> None:
    await db.audit(42, "callout", callout_id=7)
    row = await db.fetchone("SELECT actor, action, detail FROM audit_log")
    assert row is not None
    assert (row[0], row[1]) == (42, "callout")
    assert '"callout_id": 7' in row[2]


async def test_a_transaction_in_one_trip_returns_its_result_or_writes_nothing(
    db: Database,
) -> None:
    insert = "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?, 'a', 'x')"

    def fails(conn: sqlite3.Connection) -> None:
        conn.execute(insert, (1,))
        raise RuntimeError("half-way")

    with pytest.raises(RuntimeError):
        await db.run_transaction(fails)

    def works(conn: sqlite3.Connection) -> int:
        conn.execute(insert, (2,))
        audit_sync(conn, 2, "grant")
        return int(conn.execute("SELECT COUNT(*) FROM coordinators").fetchone()[0])

    # Interleaved with the statement-by-statement kind, neither sees the other half-done.
    async def other() -> None:
        async with UnitOfWork(db) as uow:
            await uow.tx.execute(insert, (3,))

    counts = await asyncio.gather(db.run_transaction(works), other())
    assert counts[0] in (1, 2)
    rows = await db.fetchall("SELECT telegram_id FROM coordinators ORDER BY telegram_id")
    assert [r[0] for r in rows] == [2, 3]
    audit = await db.fetchall("SELECT actor, action FROM audit_log")
    assert [(r[0], r[1]) for r in audit] == [(2, "grant")]
