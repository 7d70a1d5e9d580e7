"""The dashboard's signing secret and revocation time, kept in the database.

Read on every request (one indexed row), so `rescuebot dashboard-link
--revoke-all` run from another process takes effect at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from common.clock import iso, parse_iso
from dashboard.keys_queries import create_keys, read_keys, replace_keys
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
        stored = await read_keys(self.db)
        if stored is None:
            async with UnitOfWork(self.db) as uow:
                # Two processes may race to create it: the first one wins, both read it back.
                epoch = iso(datetime.fromtimestamp(0, now.tzinfo))
                await create_keys(uow.tx, secrets.token_urlsafe(32), epoch)
            stored = await read_keys(self.db)
        assert stored is not None
        return Keys(stored[0], parse_iso(stored[1]))

    async def revoke_all(self, now: datetime) -> None:
        """A new secret (every link dies) and every Telegram session signed until now."""
        async with UnitOfWork(self.db) as uow:
            await replace_keys(uow.tx, secrets.token_urlsafe(32), iso(now))
            await uow.audit(None, "dashboard_revoke_all")
