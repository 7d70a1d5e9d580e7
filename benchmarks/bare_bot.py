"""The baseline of benchmarks/taps.py: a bare python-telegram-bot application that only
answers taps, run as its own process the way `rescuebot run` is.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_URL=… python -m benchmarks.bare_bot

Built as python-telegram-bot ships it, the way bot/app.py was first built: PTB's own
`AIORateLimiter` (paced at 29/s), bot/app.py's concurrent-updates limit, `run_polling` with
its defaults and the same logging set-up. It stays the fixed reference the real bot is
measured against (the real bot now has its own pacer and answer path). Stops cleanly on
SIGTERM / SIGINT.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
)

from bot.app import CONCURRENT_UPDATES
from bot.logging_setup import configure_logging
from common.settings import Settings, get_settings

App = Application[Any, Any, Any, Any, Any, Any]


async def only_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()


def ptb_rate_limiter() -> AIORateLimiter:
    """PTB's limiter as rescuebot first configured it: one request per 1/29 s."""
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / 29,
        group_max_rate=20,
        group_time_period=60,
        max_retries=12,
    )


def build_bare_application(settings: Settings) -> App:
    assert settings.telegram_bot_token is not None, "TELEGRAM_BOT_TOKEN is not set"
    app: App = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .rate_limiter(ptb_rate_limiter())
        .concurrent_updates(CONCURRENT_UPDATES)
        .build()
    )
    app.add_handler(CallbackQueryHandler(only_answer))
    return app


def main() -> int:
    settings = get_settings()
    token = settings.telegram_bot_token
    configure_logging(token.get_secret_value() if token else None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        build_bare_application(settings).run_polling(close_loop=False)
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
