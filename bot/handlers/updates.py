"""`/update ID text…`, or a reply to a callout's board: a word to everyone still going."""

from __future__ import annotations

import re
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.callout_adapter import callout_service, reply_until_delivered
from bot.context import actor_of, args_of, require
from common.errors import DomainError
from i18n.catalogue import t
from missions.incident import small_int
from missions.updates import UpdateService

BOARD_ID = re.compile(r"#(\d{1,9})")


class BoardReplyFilter(filters.MessageFilter):
    """Text replying to one of the bot's callout boards (they start with 📋)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.is_bot
            and (replied.text or "").startswith("📋")
        )


async def _send(
    update: Update, context: ContextTypes.DEFAULT_TYPE, callout_id: int, text: str
) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    service = callout_service(context.application)
    count = await UpdateService(service).send(actor, callout_id, text)
    message = update.effective_message
    assert message is not None
    # Tried again during an outage: the leader must hear whom the update goes to.
    await reply_until_delivered(
        message,
        service.notifier,
        t("multiteam.update.sent", actor.language, id=callout_id, count=count),
    )


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = args_of(context)
    callout_id = small_int(args[0].lstrip("#")) if args else None
    if callout_id is None or len(args) < 2:
        raise DomainError("multiteam.update.usage")
    await _send(update, context, callout_id, " ".join(args[1:]))


async def board_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    found = BOARD_ID.search((message.reply_to_message.text or "").split("\n", 1)[0])
    if found is None:
        raise DomainError("multiteam.update.usage")
    await _send(update, context, int(found.group(1)), message.text or "")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("update", update_command),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & BoardReplyFilter(), board_reply),
    ]
