"""Small helpers every handler uses: who is asking, and answering them in their language."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.services import services_of
from common.errors import NotAllowed
from i18n.catalogue import t
from roster.model import Actor

ACTOR_KEY = "actor"


async def actor_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
    """The sender as a roster Actor; looked up fresh so a role change applies at once."""
    user = update.effective_user
    if user is None:
        raise RuntimeError("update without a user")
    services = services_of(context)
    return await services.roster.actor(user.id, user.language_code, services.settings.language)


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


async def reply(update: Update, actor: Actor, key: str, /, **params: Any) -> Message | None:
    """Reply in the sender's language to the message (or button) that came in."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(t(key, actor.language, **params))


def require(allowed: bool, key: str = "error.not_allowed", **params: Any) -> None:
    """Permission check: raise a refusal the error handler renders politely."""
    if not allowed:
        raise NotAllowed(key, **params)


def args_of(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    return list(context.args or [])
