"""Last among the buttons: a tap no other handler recognised (a button from an old
version, forged or garbled data) is still answered, so the user's client stops waiting."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes

from bot.context import actor_of
from i18n.catalogue import t


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    actor = await actor_of(update, context)
    await query.answer(t("button.outdated", actor.language), show_alert=True)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(unknown_button)]
