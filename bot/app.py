"""Building and running the python-telegram-bot Application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder, Defaults

from bot import wiring
from bot.answers import make_bot
from bot.callout_adapter import hurry_boards
from bot.commands import register_commands
from bot.ratelimit import make_rate_limiter
from bot.services import SERVICES_KEY, Services
from common.clock import Clock, SystemClock
from common.errors import DomainError
from common.settings import Settings
from roster.service import RosterService
from storage.db import Database, open_database

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

# Updates handled at the same time: taps must be answered at once even while a long
# handler (a callout's fan-out, an import) runs. benchmarks/bare_bot.py uses it too.
CONCURRENT_UPDATES = 64


def build_application(settings: Settings, db: Database, clock: Clock | None = None) -> App:
    if settings.telegram_bot_token is None:
        raise DomainError("error.no_token")
    services = Services(
        settings=settings, db=db, clock=clock or SystemClock(), roster=RosterService(db)
    )

    async def post_init(app: App) -> None:
        await register_commands(app, settings.language)
        for hook in wiring.startup_hooks():
            await hook(app)

    async def post_stop(app: App) -> None:
        await finish_background_work(app)

    bot = make_bot(
        settings.telegram_bot_token.get_secret_value(),
        settings.api_base_url,
        settings.file_base_url,
        # Paid broadcasts (RESCUEBOT_PAID_BROADCAST) have their own window in the pacer.
        rate_limiter=make_rate_limiter(),
        defaults=Defaults(tzinfo=settings.tz),
    )
    app: App = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_stop(post_stop)
        .build()
    )
    app.bot_data[SERVICES_KEY] = services
    wiring.register(app)
    return app


async def finish_background_work(app: App) -> None:
    for hook in wiring.shutdown_hooks():
        try:
            await hook(app)
        except Exception:  # shutting down: log, and let the other hooks run
            log.exception("shutdown hook failed")


@asynccontextmanager
async def running_bot(
    settings: Settings, clock: Clock | None = None, *, poll_timeout: float = 10
) -> AsyncIterator[App]:
    """The real bot, long-polling in this event loop until the block ends (tests, demo)."""
    db = await open_database(settings.db_path)
    app = build_application(settings, db, clock)
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=int(poll_timeout))
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            hurry_boards(app)
            if app.running:
                await app.stop()
            # As run_polling's post_stop: handlers are done, their follow-ups finish now.
            await finish_background_work(app)
            await app.shutdown()
    finally:
        await db.close()
