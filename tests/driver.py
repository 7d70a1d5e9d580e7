"""The real application fed one update at a time, for the fuzz and permission suites.

Unlike the `bot` fixture (long polling), `Driver.deliver()` hands each update the
sandbox queued straight to `Application.process_update` and waits until its handler,
the error handler and the callout follow-ups are done, so every check afterwards is
exact and no test waits on time. Replies still go through the Bot API sandbox.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import ratelimit
from bot.app import build_application, finish_background_work
from bot.callout_adapter import TelegramNotifier, callout_service, hurry_boards
from common.errors import DomainError
from common.settings import Settings
from roster.repository import RosterRepository
from storage.db import Database, open_database

DELIVERIES = ("sendMessage", "editMessageText", "sendDocument", "sendPhoto")


class _Errors(logging.Handler):
    """ERROR records from any logger: an unhandled exception is logged there."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> str:
        formatter = logging.Formatter("%(name)s: %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


@dataclass
class Driver:
    app: Any
    sandbox: Any
    db: Database
    refusals: list[DomainError] = field(default_factory=list)
    errors: _Errors = field(default_factory=_Errors)

    async def deliver(self) -> int:
        """Process every update the sandbox has queued, one after another; returns how many."""
        world = self.sandbox.world
        count = 0
        while world.updates:
            raw = world.updates.pop(0)
            await self.app.process_update(Update.de_json(raw, self.app.bot))
            count += 1
        service = callout_service(self.app)
        await service.drain()
        if isinstance(service.notifier, TelegramNotifier):
            await service.notifier.boards.flush()
        return count

    async def writes(self) -> int:
        """Rows written so far by the bot's connection, not counting audit entries (a
        refusal is audited): unchanged across an update means the data is unchanged."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM audit_log")
        return int(self.db.conn.total_changes) - (int(row[0]) if row else 0)

    def unanswered(self, since: int = 0) -> list[str]:
        """Callback queries pressed (after the `since`-th) that the bot never answered."""
        records = list(self.sandbox.world.callback_queries.values())[since:]
        return [r.query_id for r in records if r.answer is None]

    def overlong(self, since_call: int = 0) -> list[tuple[str, int]]:
        """Deliveries whose text or caption Telegram would refuse as too long."""
        found = []
        for call in self.sandbox.calls[since_call:]:
            if call.method in DELIVERIES:
                text = str(call.params.get("text") or call.params.get("caption") or "")
                limit = 4096 if "text" in call.params else 1024
                if len(text) > limit:
                    found.append((call.method, len(text)))
        return found


@asynccontextmanager
async def driven_bot(sandbox: Any, settings: Settings) -> AsyncIterator[Driver]:
    # These suites send hundreds of commands to a few chats and check what is said, not
    # when: the per-chat pace (tests/unit/test_pacer.py) is lifted while they run.
    chat_burst = ratelimit.CHAT_BURST
    ratelimit.CHAT_BURST = 1_000_000
    try:
        async with _driven_bot(sandbox, settings) as driver:
            yield driver
    finally:
        ratelimit.CHAT_BURST = chat_burst


@asynccontextmanager
async def _driven_bot(sandbox: Any, settings: Settings) -> AsyncIterator[Driver]:
    db = await open_database(settings.db_path)
    await RosterRepository(db).seed_reference_data()
    app = build_application(settings, db)
    # Nor the 29-a-second overall pace (the sandbox has no limits here): hundreds of
    # replies would otherwise take ten seconds of waiting.
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, ratelimit.PacedRateLimiter)
    limiter.pacer = ratelimit.Pacer(per_second=1_000_000)
    driver = Driver(app, sandbox, db)

    async def remember(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(context.error, DomainError):
            driver.refusals.append(context.error)

    app.add_error_handler(remember)
    root = logging.getLogger()
    root.addHandler(driver.errors)
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        # Board redraws go at once instead of about once a second: these suites check
        # what the board says after each update, not how redraws are coalesced.
        hurry_boards(app)
        try:
            yield driver
        finally:
            await app.stop()
            await finish_background_work(app)
            await app.shutdown()
    finally:
        root.removeHandler(driver.errors)
        await db.close()
