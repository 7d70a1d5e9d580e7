"""The SQL of the dashboard's signing secret and revocation time (one row, id 1)."""

from __future__ import annotations

from storage.db import Database
from storage.unit_of_work import Transaction


async def read_keys(db: Database) -> tuple[str, str] | None:
    """(secret, revoked_at as stored), or None before the first link is signed."""
    row = await db.fetchone("SELECT secret, revoked_at FROM dashboard_keys WHERE id = 1")
    return (row[0], row[1]) if row is not None else None


async def create_keys(tx: Transaction, secret: str, revoked_at: str) -> None:
    """The first keys; a row another process wrote first is kept."""
    await tx.execute(
        "INSERT OR IGNORE INTO dashboard_keys (id, secret, revoked_at) VALUES (1, ?, ?)",
        (secret, revoked_at),
    )


async def replace_keys(tx: Transaction, secret: str, revoked_at: str) -> None:
    await tx.execute(
        "INSERT INTO dashboard_keys (id, secret, revoked_at) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET secret = excluded.secret, "
        "revoked_at = excluded.revoked_at",
        (secret, revoked_at),
    )
