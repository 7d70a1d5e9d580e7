"""What `/update` records: when a callout last had a leader's word, and the audit entry."""

from __future__ import annotations

from datetime import datetime

from common.clock import iso
from storage.db import Database
from storage.unit_of_work import UnitOfWork


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, actor_id: int, callout_id: int, now: datetime, *, recipients: int, pin: bool
    ) -> None:
        """The callout's last update time and its audit entry, in one transaction."""
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "UPDATE callouts SET last_update_at = ? WHERE id = ?", (iso(now), callout_id)
            )
            await uow.audit(
                actor_id, "update", callout_id=callout_id, recipients=recipients, pin=pin
            )
