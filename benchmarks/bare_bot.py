"""The baseline of benchmarks/taps.py: a bare python-telegram-bot application that only
answers taps, run as its own process the way `rescuebot run` is.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_URL=… python -m benchmarks.bare_bot

Built with bot/app.py's settings (the same rate limiter, the same concurrent-updates limit,
`run_polling` with its defaults, the same logging set-up) so the only difference from the
real bot is the work a tap does. Stops cleanly on SIGTERM / SIGINT.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot.app import CONCURRENT_UPDATES
from bot.logging_setup import configure_logging
from bot.ratelimit import make_rate_limiter
from common.settings import Settings, get_settings

App = Application[Any, Any, Any, Any, Any, Any]


async def only_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()


def build_bare_application(settings: Settings) -> App:
    assert settings.telegram_bot_token is not None, "TELEGRAM_BOT_TOKEN is not set"
    app: App = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .rate_limiter(make_rate_limiter())
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
