"""Last in line: anything no other handler took gets a pointer to what would work."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from bot.context import actor_of, reply


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0]
    key = "fallback.unknown_command" if actor.known else "error.unknown_person"
    await reply(update, actor, key, command=command)


async def stray_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    if update.effective_message is not None and update.effective_message.document is not None:
        await reply(update, actor, "fallback.file")
        return
    await reply(update, actor, "fallback.text" if actor.known else "error.unknown_person")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(filters.COMMAND & private, unknown_command),
        # Group chats are for people: the bot speaks there only when addressed.
        MessageHandler((filters.TEXT | filters.Document.ALL) & ~filters.COMMAND & private,
                       stray_message),
    ]  # fmt: skip
