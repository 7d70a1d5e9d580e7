"""Incident operations in chat: On scene, I'm OK / Need help, Home safe, Right / Correct
(+ the number typed after Correct), /check, /mark, /mission ID; timers resumed at start-up.

Button data carries only ids (`bot/callback_codec.py` decodes it into
`missions/actions.py`'s actions): everything else is read from the database, so buttons
sent before a restart keep working.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.callback_codec import decode
from bot.callout_adapter import App
from bot.context import actor_of, args_of, is_private, reply, require
from bot.incident_adapter import incident_service
from bot.texts import send_long
from common.errors import DomainError
from common.tabular import table_to_xlsx
from i18n.catalogue import normalise_lang, t
from missions.actions import (
    INCIDENT_BUTTON,
    CheckOk,
    FullList,
    HomeSafe,
    HoursFix,
    HoursRight,
    NeedHelp,
    OnScene,
)
from missions.incident import parse_check, parse_mark, small_int
from missions.model import GeoPoint

log = logging.getLogger(__name__)

# Who was asked to type a corrected number of hours. The filter needs a synchronous
# answer, so it keeps this copy; the database is the truth, reloaded at every start.
CORRECTING: set[int] = set()


class CorrectingFilter(filters.MessageFilter):
    """Only text from someone who tapped *Correct* and has not given the number yet."""

    def filter(self, message: Message) -> bool:
        return message.from_user is not None and message.from_user.id in CORRECTING


def _app(context: ContextTypes.DEFAULT_TYPE) -> App:
    return context.application


async def _reply(update: Update, text: str) -> None:
    """Reply with a text the service already rendered in the reader's language."""
    message = update.effective_message
    assert message is not None
    await send_long(message, text)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    action = decode(query.data or "")
    service = incident_service(_app(context))
    if isinstance(action, FullList):
        await _send_full_list(update, context, action.callout_id)
        return
    fallback = normalise_lang(user.language_code, default=service.language)  # type: ignore[arg-type]
    if not isinstance(action, OnScene | CheckOk | NeedHelp | HomeSafe | HoursRight | HoursFix):
        callouts = service.callouts
        refusal = await callouts.refuse_tap(user.id, "tap.unknown", fallback, what=INCIDENT_BUTTON)
        await query.answer(refusal)
        return
    answer = await service.button(user.id, action, fallback)
    if isinstance(action, HoursFix) and await service.repo.correcting(user.id) is not None:
        CORRECTING.add(user.id)
    await query.answer(answer[:200])


async def _send_full_list(
    update: Update, context: ContextTypes.DEFAULT_TYPE, callout_id: int
) -> None:
    """*Full list* under the board: everyone on the callout as a spreadsheet."""
    query = update.callback_query
    assert query is not None
    actor = await actor_of(update, context)
    require(is_private(update), "error.private_only")
    headers, rows = await incident_service(_app(context)).full_list(actor, callout_id)
    await query.answer()
    # openpyxl takes a moment on a big callout: off the event loop, so taps are answered.
    xlsx = await asyncio.to_thread(table_to_xlsx, headers, rows, f"#{callout_id}")
    name = f"callout-{callout_id}.xlsx"
    await context.bot.send_document(
        actor.telegram_id,
        document=xlsx,
        filename=name,
        caption=t("fulllist.caption", actor.language, id=callout_id, count=len(rows)),
    )


async def hours_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The number typed after *Correct* (a bad one gets the error and may be typed again)."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    saved = await incident_service(_app(context)).correct_hours(user.id, message.text or "")
    CORRECTING.discard(user.id)
    if saved is None:
        actor = await actor_of(update, context)
        await reply(update, actor, "fallback.text")
        return
    await _reply(update, saved)


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    callout_id, minutes = parse_check(args_of(context))
    await _reply(
        update, await incident_service(_app(context)).set_check(actor, callout_id, minutes)
    )


async def mark(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    await _reply(
        update, await incident_service(_app(context)).mark(actor, parse_mark(args_of(context)))
    )


async def mission_record(update: Update, context: ContextTypes.DEFAULT_TYPE, raw: str) -> None:
    """`/mission ID` (called by the /mission command for anything but `add`)."""
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    mission_id = small_int(raw)
    if mission_id is None:
        raise DomainError("mission.usage")
    await _reply(update, await incident_service(_app(context)).mission_record(actor, mission_id))


async def position(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A location from someone out on a callout: their last known position. True if taken."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.location is None or user is None:
        return False
    point = GeoPoint(message.location.latitude, message.location.longitude)
    ids = await incident_service(_app(context)).record_position(user.id, point)
    if not ids:
        return False
    if update.edited_message is None:  # a live location's updates are kept quietly
        actor = await actor_of(update, context)
        await reply(update, actor, "incident.position.saved", ids=", ".join(f"#{i}" for i in ids))
    return True


async def on_startup(app: App) -> None:
    """Resume safety checks and the return phase saved in the database."""
    service = incident_service(app)
    CORRECTING.clear()
    CORRECTING.update(await service.repo.users_correcting())
    watched = await service.resume()
    if watched:
        log.info("resumed incident timers of %d callouts", watched)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("check", check),
        CommandHandler("mark", mark),
        CallbackQueryHandler(button, pattern=r"^ic:"),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & CorrectingFilter(), hours_reply),
    ]
