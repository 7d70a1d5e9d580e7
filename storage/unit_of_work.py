"""One unit of work: typed repositories bound to one transaction, and its audit entries.

    async with UnitOfWork(db) as uow:
        people = uow.repo(PeopleInTransaction)    # any class built from a `Transaction`
        ...
        await uow.audit(actor, "fitness", volunteer_id=7)

Everything done through `uow` commits together when the block ends, or not at all if it
raises. Repositories that take part are built from a `Transaction` (never from a raw
connection), so strict mypy sees every statement's types; `storage` knows none of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import aiosqlite

from storage.db import AUDIT_SQL, Database, audit_row

Params = Sequence[Any] | dict[str, Any]
R = TypeVar("R")


@dataclass(frozen=True)
class Written:
    """What a write statement reports: the new row's id and how many rows it touched."""

    lastrowid: int
    rowcount: int


class Transaction:
    """The statements of one open transaction, typed; what transaction-bound repositories use."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cur:
            row: sqlite3.Row | None = await cur.fetchone()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def execute(self, sql: str, params: Params = ()) -> Written:
        async with self._conn.execute(sql, params) as cur:
            return Written(cur.lastrowid or 0, cur.rowcount)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def audit(self, actor: int | None, action: str, **detail: Any) -> None:
        await self.execute(AUDIT_SQL, audit_row(actor, action, detail))


class UnitOfWork:
    """`async with UnitOfWork(db) as uow:` — one transaction, repositories bound to it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._block: AbstractAsyncContextManager[aiosqlite.Connection] | None = None
        self._tx: Transaction | None = None
        self._repos: dict[Callable[[Transaction], Any], Any] = {}

    @property
    def tx(self) -> Transaction:
        if self._tx is None:
            raise RuntimeError("the unit of work is used outside its `async with` block")
        return self._tx

    def repo(self, kind: Callable[[Transaction], R]) -> R:
        """The repository `kind` bound to this transaction (one per kind and unit of work)."""
        if kind not in self._repos:
            self._repos[kind] = kind(self.tx)
        repo: R = self._repos[kind]
        return repo

    async def audit(self, actor: int | None, action: str, **detail: Any) -> None:
        """An audit entry, committed with the rest of the work or not at all."""
        await self.tx.audit(actor, action, **detail)

    async def __aenter__(self) -> UnitOfWork:
        if self._block is not None:
            raise RuntimeError("a unit of work is entered once")
        self._block = self.db.transaction()
        self._tx = Transaction(await self._block.__aenter__())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._block is not None
        self._tx = None
        self._repos.clear()
        await self._block.__aexit__(exc_type, exc, tb)
