"""The one error handler: known refusals become a message, the rest is logged and re-raised."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.services import services_of
from bot.texts import LIMIT
from common.errors import DomainError, NotAllowed
from i18n.catalogue import normalise_lang, t

log = logging.getLogger(__name__)


async def _language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    user = update.effective_user
    services = services_of(context)
    default = services.settings.language
    if user is None:
        return default
    chosen = await services.roster.language_of(user.id)
    return chosen or normalise_lang(user.language_code, default=default)


async def _known(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    if user is None:
        return False
    return await services_of(context).roster.is_known(user.id)


ALERT_LIMIT = 200  # Telegram's limit for the text of a button's answer
QUOTE_LIMIT = 200  # how much of what the user typed an error message quotes back


def _quoted(params: dict[str, Any]) -> dict[str, Any]:
    """Long input quoted in a message is cut, so the message stays deliverable (4096)."""
    return {
        k: (v[:QUOTE_LIMIT] + "…" if isinstance(v, str) and len(v) > QUOTE_LIMIT else v)
        for k, v in params.items()
    }


async def _tell(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    text = text[:LIMIT]
    query = update.callback_query
    if query is None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(text)
        return
    if len(text) <= ALERT_LIMIT:
        try:
            if await query.answer(text, show_alert=True):
                return
        except BadRequest:  # answered already (the handler did, then failed)
            pass
        # Not taken (answered already, or too late for Telegram): the words go as a message.
    else:
        with contextlib.suppress(BadRequest):
            await query.answer()  # stop the client's spinner; the words follow as a message
    # Privately: an error about someone's own tap is nobody else's business in a group.
    if update.effective_user is not None:
        try:
            await context.bot.send_message(update.effective_user.id, text)
        except TelegramError as exc:
            log.info("could not tell the user about a failed button: %s", exc)


async def _audit_refusal(
    update: Update, context: ContextTypes.DEFAULT_TYPE, error: NotAllowed
) -> None:
    """Who was refused what: the command word or the button's kind, never what was typed."""
    user = update.effective_user
    if update.callback_query is not None:
        what = "button " + (update.callback_query.data or "").split(":")[0][:8]
    else:
        text = update.effective_message.text if update.effective_message else None
        what = (text or "").split(maxsplit=1)[0][:32] if text else "message"
    try:
        await services_of(context).db.audit(
            user.id if user else None, "refused", what=what, reason=error.key
        )
    except Exception:  # the refusal itself must still be told
        log.exception("could not audit a refusal")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if not isinstance(update, Update):
        if isinstance(error, NetworkError | TimedOut):
            log.warning("network trouble talking to Telegram: %s", error)
            return
        raise error if error else RuntimeError("unknown error")
    if isinstance(error, DomainError):
        language = await _language(update, context)
        key, params = error.key, error.params
        if isinstance(error, NotAllowed):
            await _audit_refusal(update, context, error)
        if isinstance(error, NotAllowed) and not await _known(update, context):
            # Someone not on the roster learns how to link, and nothing else.
            key, params = "error.unknown_person", {}
        await _tell(update, context, t(key, language, **_quoted(params)))
        return
    if isinstance(error, Forbidden):
        log.info("user blocked the bot; reply dropped")
        return
    log.error("unhandled error while handling an update", exc_info=error)
    try:
        language = await _language(update, context)
        await _tell(update, context, t("error.internal", language))
    except Exception:  # the original error matters more than the apology
        log.exception("could not tell the user about the error")
    if error is not None:
        raise error
