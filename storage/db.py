"""The one place that opens the SQLite database (aiosqlite)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from common.errors import DomainError
from storage.migrations import MIGRATIONS

Row = sqlite3.Row
T = TypeVar("T")


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another process's lock


class DatabaseUnavailable(DomainError):
    """The database file cannot be used: not a database, read-only, locked, unreachable."""

    @classmethod
    def of(cls, path: str, exc: BaseException) -> DatabaseUnavailable:
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            key = "error.db_not_a_database"
        elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
            key = "error.db_read_only"
        elif "locked" in text or "busy" in text:
            key = "error.db_locked"
        else:
            key = "error.db_unusable"
        return cls(key, db=path, reason=str(exc) or type(exc).__name__)


class Database:
    """A single aiosqlite connection.

    SQLite allows one writer at a time; one connection serialises our writes in
    order, and `transaction()` holds a lock so concurrent handlers never
    interleave statements inside each other's transactions.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> Database:
        """Open the file; a file that cannot be used raises `DatabaseUnavailable`.

        On any failure the connection's worker thread is stopped: a thread left
        running keeps the process alive, so a command would hang instead of exiting.
        """
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a
            # migration or an import is one explicit transaction.
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            # First, so that a file another process holds is waited for (boundedly)
            # by every statement below, switching to WAL included.
            await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await self._conn.execute("PRAGMA journal_mode=WAL")
            await self._conn.execute("PRAGMA foreign_keys=ON")
            await self._conn.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as exc:
            await self.close()
            raise DatabaseUnavailable.of(self.path, exc) from exc
        return self

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All or nothing: commit when the block ends, roll back on any error.

        For storage's own use: everything outside storage/ goes through a `UnitOfWork`
        (storage/unit_of_work.py), which wraps this connection in a typed `Transaction`
        (checked by tests/unit/test_storage_boundary.py)."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """All or nothing like `transaction()`, but in ONE trip to the database thread.

        Every awaited statement of `transaction()` is a hop to aiosqlite's worker thread
        and back through the event loop, and the lock is held across all of them; under a
        burst of taps those hops, not SQLite, set the pace. Here `work` runs in the worker
        thread against the underlying `sqlite3.Connection`, between BEGIN IMMEDIATE and
        COMMIT (ROLLBACK if it raises), and its result comes back in one hop.

        `work` must be synchronous, quick, and touch nothing but the connection it is given
        (no event loop, no awaiting). The statements run in order with any others queued on
        the connection, so atomicity is the same as `transaction()`'s.
        """

        # The one place that uses aiosqlite's private names. Running the work on a thread of
        # our own through public APIs (sqlite3.connect's `factory` hands over the connection)
        # was tried and measured as quick, but it loses the order of operations: aiosqlite's
        # queued reads and this work then run on two threads, and follow-ups that relied on
        # that order went wrong (tests/unit/test_incident_service.py, 2 runs in 8).

        def in_thread() -> T:
            raw = self.conn._conn  # the sqlite3.Connection aiosqlite wraps
            raw.execute("BEGIN IMMEDIATE")
            try:
                result = work(raw)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return result

        async with self._lock:
            # aiosqlite runs every call through `_execute` (queue the callable for its one
            # thread, await the result); it has no public name for "run this function".
            result: T = await self.conn._execute(in_thread)  # type: ignore[no-untyped-call]
            return result

    async def fetchall(self, sql: str, params: Any = ()) -> list[Row]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Any = ()) -> Row | None:
        async with self.conn.execute(sql, params) as cur:
            row: Row | None = await cur.fetchone()
            return row

    async def execute(self, sql: str, params: Any = ()) -> int:
        """One statement in its own transaction; returns lastrowid."""
        async with self.transaction() as conn, conn.execute(sql, params) as cur:
            return cur.lastrowid or 0

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Bring the schema up to date; returns the new version."""
        version = await self.schema_version()
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            async with self.transaction() as conn:
                for statement in _split_sql(script):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {number}")
        return await self.schema_version()

    async def audit(self, actor: int | None, action: str, **detail: Any) -> None:
        await self.execute(AUDIT_SQL, audit_row(actor, action, detail))

    async def backup(self, target: str | Path) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot writes."""
        target_path = Path(target)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed over it only when complete, so a failed
        # backup never leaves a half copy under the name, nor destroys an older one.
        partial = target_path.with_name(f".{target_path.name}.partial")
        partial.unlink(missing_ok=True)
        dest = await aiosqlite.connect(str(partial))
        try:
            await self.conn.backup(dest)
        finally:
            await dest.close()
        partial.replace(target_path)


# An audit entry's statement and row: written by `Database.audit`, by a unit of work's
# `Transaction.audit` and, in one-trip work, by `audit_sync`.
AUDIT_SQL = "INSERT INTO audit_log (at, actor, action, detail) VALUES (?,?,?,?)"


def audit_row(actor: int | None, action: str, detail: dict[str, Any]) -> tuple[Any, ...]:
    return (utcnow_iso(), actor, action, json.dumps(detail, ensure_ascii=False, default=str))


def audit_sync(conn: sqlite3.Connection, actor: int | None, action: str, **detail: Any) -> None:
    """Audit inside `Database.run_transaction`'s work (in the database thread)."""
    conn.execute(AUDIT_SQL, audit_row(actor, action, detail))


def _split_sql(script: str) -> list[str]:
    """Statements one by one: executescript() would COMMIT behind our back.

    sqlite3.complete_statement decides where a statement ends, so a `;`
    inside a comment, a string or a trigger body does not split it.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip().rstrip(";").strip()
            if statement and not all(
                part.strip().startswith("--") or not part.strip() for part in statement.splitlines()
            ):
                statements.append(statement)
            buffer = ""
    if buffer.strip() and not all(
        p.strip().startswith("--") or not p.strip() for p in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements


async def open_database(path: str | Path, *, must_exist: bool = False) -> Database:
    """Open and migrate; `must_exist` refuses to create a new file (read-only commands:
    a mistyped path must not silently become an empty database)."""
    if must_exist and str(path) != ":memory:" and not Path(path).is_file():
        raise DatabaseUnavailable("error.db_missing", db=str(path))
    db = Database(path)
    await db.open()
    try:
        await db.migrate()
    except (sqlite3.Error, OSError) as exc:
        await db.close()
        raise DatabaseUnavailable.of(db.path, exc) from exc
    except BaseException:
        await db.close()
        raise
    return db
