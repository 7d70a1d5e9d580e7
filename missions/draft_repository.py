"""Drafts: the step-by-step `/callout` dialog, a map point shared before a callout, and a
request the duplicate guard held. Part of `CalloutRepository` (missions/repository.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from common.clock import iso, parse_iso
from missions.entities import Draft
from storage.db import Database, Row
from storage.unit_of_work import UnitOfWork


def _draft(row: Row) -> Draft:
    return Draft(
        row["id"],
        row["telegram_id"],
        row["step"],
        json.loads(row["data"]),
        parse_iso(row["updated_at"]),
    )


class DraftStore:
    db: Database

    # --- drafts: the dialog, a shared map point, a request the duplicate guard held ----------
    async def save_draft(
        self,
        telegram_id: int,
        step: str,
        data: dict[str, Any],
        now: datetime,
        draft_id: int | None = None,
    ) -> int:
        payload = json.dumps(data, ensure_ascii=False)
        if draft_id is None:
            return await self.db.execute(
                "INSERT INTO callout_drafts (telegram_id, step, data, created_at, updated_at) "
                "VALUES (?,?,?,?,?)",
                (telegram_id, step, payload, iso(now), iso(now)),
            )
        await self.db.execute(
            "UPDATE callout_drafts SET step = ?, data = ?, updated_at = ? WHERE id = ?",
            (step, payload, iso(now), draft_id),
        )
        return draft_id

    async def draft(self, draft_id: int) -> Draft | None:
        row = await self.db.fetchone("SELECT * FROM callout_drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    async def latest_draft(self, telegram_id: int, steps: tuple[str, ...]) -> Draft | None:
        marks = ",".join("?" * len(steps))
        row = await self.db.fetchone(
            f"SELECT * FROM callout_drafts WHERE telegram_id = ? AND step IN ({marks}) "
            f"ORDER BY id DESC LIMIT 1",
            (telegram_id, *steps),
        )
        return _draft(row) if row else None

    async def drop_draft(self, draft_id: int) -> None:
        await self.db.execute("DELETE FROM callout_drafts WHERE id = ?", (draft_id,))

    async def take_draft(self, draft_id: int) -> bool:
        """Delete the draft; False if it was already gone. Only one of two presses at the
        same moment (*Join* and *Page anyway*, or either twice) gets True."""
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute("DELETE FROM callout_drafts WHERE id = ?", (draft_id,))
            return bool(written.rowcount > 0)

    async def users_in_step(self, step: str) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT telegram_id FROM callout_drafts WHERE step = ?", (step,)
        )
        return {int(r[0]) for r in rows}
