"""The dashboard's signing secret and revocation time, kept in the database.

Read on every request (one indexed row), so `rescuebot dashboard-link
--revoke-all` run from another process takes effect at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from common.clock import iso, parse_iso
from storage.db import Database
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Keys:
    secret: str
    revoked_at: datetime


class DashboardKeys:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def current(self, now: datetime) -> Keys:
        row = await self.db.fetchone("SELECT secret, revoked_at FROM dashboard_keys WHERE id = 1")
        if row is not None:
            return Keys(row[0], parse_iso(row[1]))
        async with UnitOfWork(self.db) as uow:
            # Two processes may race to create it: the first one wins, both read it back.
            await uow.tx.execute(
                "INSERT OR IGNORE INTO dashboard_keys (id, secret, revoked_at) VALUES (1, ?, ?)",
                (secrets.token_urlsafe(32), iso(datetime.fromtimestamp(0, now.tzinfo))),
            )
        row = await self.db.fetchone("SELECT secret, revoked_at FROM dashboard_keys WHERE id = 1")
        assert row is not None
        return Keys(row[0], parse_iso(row[1]))

    async def revoke_all(self, now: datetime) -> None:
        """A new secret (every link dies) and every Telegram session signed until now."""
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT INTO dashboard_keys (id, secret, revoked_at) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, "
                "revoked_at = excluded.revoked_at",
                (secrets.token_urlsafe(32), iso(now)),
            )
            await uow.audit(None, "dashboard_revoke_all")
