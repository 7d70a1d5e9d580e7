"""Text reports shared by `rescuebot report` and `/report` (placeholder until reports land)."""

from __future__ import annotations

from common.errors import DomainError
from common.settings import Settings
from storage.db import Database


async def text_report(db: Database, settings: Settings, kind: str, year: int | None, lang: str) -> str:
    raise DomainError("error.not_available", kind=kind)
