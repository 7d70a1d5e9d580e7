"""What `/update` records: when a callout last had a leader's word, and the audit entry."""

from __future__ import annotations

from datetime import datetime

from common.clock import iso
from storage.db import Database, audit_in


class UpdateLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, actor_id: int, callout_id: int, now: datetime, *, recipients: int, pin: bool
    ) -> None:
        """The callout's last update time and its audit entry, in one transaction."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE callouts SET last_update_at = ? WHERE id = ?", (iso(now), callout_id)
            )
            await audit_in(
                conn, actor_id, "update", callout_id=callout_id, recipients=recipients, pin=pin
            )
