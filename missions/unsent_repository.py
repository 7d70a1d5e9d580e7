"""Messages a stop cut short (storage/migration_unsent.py): saved at the stop, taken at
the next start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.clock import iso, parse_iso
from missions.model import GeoPoint
from storage.db import Database
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class UnsentMessage:
    chat_id: int
    text: str
    buttons: str | None  # missions/saved_buttons.py
    reply_to: int | None
    callout_id: int | None
    location: GeoPoint | None
    asked_at: datetime  # first tried: a reply tied to no callout has REPLY_PATIENCE from it


class UnsentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, message: UnsentMessage) -> None:
        where = message.location
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT INTO unsent_messages (chat_id, text, buttons, reply_to, callout_id, "
                "latitude, longitude, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.chat_id,
                    message.text,
                    message.buttons,
                    message.reply_to,
                    message.callout_id,
                    where.latitude if where else None,
                    where.longitude if where else None,
                    iso(message.asked_at),
                ),
            )

    async def take_all(self) -> list[UnsentMessage]:
        """Every saved message, oldest first, deleted in the same transaction (whoever
        takes them sends them, or saves them again if stopped once more)."""
        async with UnitOfWork(self.db) as uow:
            rows = await uow.tx.fetchall(
                "SELECT chat_id, text, buttons, reply_to, callout_id, latitude, longitude, "
                "asked_at FROM unsent_messages ORDER BY id"
            )
            await uow.tx.execute("DELETE FROM unsent_messages")
        return [
            UnsentMessage(
                chat_id=int(r[0]),
                text=str(r[1]),
                buttons=r[2],
                reply_to=r[3],
                callout_id=r[4],
                location=GeoPoint(r[5], r[6]) if r[5] is not None else None,
                asked_at=parse_iso(r[7]),
            )
            for r in rows
        ]
