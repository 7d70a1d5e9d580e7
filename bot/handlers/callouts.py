"""Starting and answering callouts in chat: /callout (+ dialog), the page's, board's and
alert's buttons, shared locations, and escalation timers resumed at start-up. The commands on a
running callout (/status, /cancel, /close, /widen, /mission) are in callout_commands.py.

Button handlers read everything from the database (callback data carries only ids and
the codes a dialog button shows, decoded by bot/callback_codec.py into actions: the
service's, missions/actions.py, and the dialog's, bot/dialog_actions.py), so buttons sent
before a restart keep working.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.callback_codec import Undecodable, decode
from bot.callout_adapter import App, TelegramNotifier, callout_service
from bot.callout_dialog import (
    DESCRIBING,
    DescribingFilter,
    dialog_button,
    dialog_text,
    report_start,
    start_dialog,
)
from bot.context import actor_of, args_of, is_private, reply, require
from bot.dialog_actions import DialogAction
from bot.handlers import incident
from bot.services import services_of
from i18n.catalogue import normalise_lang, t
from missions.actions import (
    Available,
    Eta,
    GoingToo,
    JoinOpen,
    Mute,
    PageAction,
    PageAnyway,
    Swap,
    Unavailable,
    Widen,
)
from missions.model import (
    GeoPoint,
    parse_callout,
)
from missions.parts_text import join_reply
from missions.service import CalloutService

log = logging.getLogger(__name__)


def _app(context: ContextTypes.DEFAULT_TYPE) -> App:
    return context.application


async def callout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    service = callout_service(_app(context))
    args = args_of(context)
    if not args:
        require(is_private(update), "error.private_only")
        await start_dialog(update, context, actor)
        return
    request = parse_callout(args, await service.skill_aliases())
    result = await service.start(actor, request)
    await report_start(update, context, actor.language, result)


async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A responder's location is their last known position; a leader's goes with the dialog
    in progress or the next callout."""
    message = update.effective_message
    if message is None or message.location is None:
        return
    # Someone out on a callout shares where they are: their last known position.
    if await incident.position(update, context):
        return
    actor = await actor_of(update, context)
    if not actor.is_leader_or_coordinator:
        return
    point = GeoPoint(message.location.latitude, message.location.longitude)
    await callout_service(_app(context)).remember_location(actor, point)
    await reply(update, actor, "location.saved")


async def _answer(query: CallbackQuery, text: str, alert: bool = False) -> None:
    await query.answer(text[:200], show_alert=alert)


async def _volunteer_tap(
    service: CalloutService, user_id: int, action: PageAction | GoingToo, lang: str
) -> str:
    """The short answer to a page's button (only ever the presser's own answer)."""
    callout_id = action.callout_id
    if isinstance(action, Available | Unavailable):
        verb = "a" if isinstance(action, Available) else "u"
        return await service.tap(user_id, callout_id, verb, lang)
    if isinstance(action, Eta):
        return await service.tap(user_id, callout_id, "eta", lang, eta=action.minutes)
    if isinstance(action, GoingToo):
        return await service.going_too(user_id, callout_id, lang)
    # Confirmed on #other and tapped Available here: the choice.
    if isinstance(action, Swap):
        return await service.swap(user_id, callout_id, action.other, lang)
    return await service.stay(user_id, callout_id, action.other, lang)


async def _join(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: JoinOpen | Undecodable
) -> None:
    query = update.callback_query
    assert query is not None
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    if isinstance(action, Undecodable):
        # A join button without its token was not sent by the duplicate guard.
        service = callout_service(_app(context))
        refusal = await service.refuse_tap(
            actor.telegram_id, "multiteam.error.join_refused", actor.language
        )
        await _answer(query, refusal, alert=True)
        return
    service = callout_service(_app(context))
    await service.check_join(actor, action.callout_id, action.draft_id, action.token)
    await query.answer()  # at once; the fan-out follows
    outcome = await service.join_request(actor, action.callout_id, action.draft_id, action.token)
    await context.bot.send_message(actor.telegram_id, join_reply(outcome, actor.language))


async def _coordinator_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: Widen | Mute
) -> None:
    query = update.callback_query
    assert query is not None
    actor = await actor_of(update, context)
    require(actor.coordinator, "error.coordinators_only")
    service = callout_service(_app(context))
    if isinstance(action, Mute):
        await service.mute(actor, action.callout_id)
        await _answer(query, t("multiteam.escalation.muted", actor.language, id=action.callout_id))
        return
    await query.answer()  # at once; the fan-out follows
    count = await service.widen(actor, action.callout_id)
    await context.bot.send_message(
        actor.telegram_id, t("widen.done", actor.language, id=action.callout_id, count=count)
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A page's, a board's or an alert's button (`co:` data, see bot/callback_codec.py)."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    action = decode(query.data or "")
    service = callout_service(_app(context))
    fallback = normalise_lang(user.language_code, default=service.config.language)  # type: ignore[arg-type]
    if isinstance(action, Undecodable) and action.first is None:
        await _answer(query, await service.refuse_tap(user.id, "tap.unknown", fallback))
    elif isinstance(action, PageAction | GoingToo):
        await _answer(query, await _volunteer_tap(service, user.id, action, fallback))
    elif isinstance(action, Widen | Mute):
        await _coordinator_button(update, context, action)
    elif isinstance(action, JoinOpen) or (
        isinstance(action, Undecodable) and action.verb == "join"
    ):
        await _join(update, context, action)
    else:
        actor = await actor_of(update, context)
        await _answer(query, await service.refuse_tap(user.id, "tap.unknown", actor.language))


async def draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`cd:<draft>:…`: the dialog's steps, and *Page anyway* after the duplicate guard."""
    query = update.callback_query
    assert query is not None
    actor = await actor_of(update, context)
    action = decode(query.data or "")
    if isinstance(action, PageAnyway):
        require(actor.is_leader_or_coordinator, "error.leaders_only")
        await query.answer()
        result = await callout_service(_app(context)).page_anyway(actor, action.draft_id)
        await report_start(update, context, actor.language, result)
    elif isinstance(action, DialogAction | Undecodable):
        await dialog_button(update, context, actor, action)
    else:  # a service's action under the dialog's prefix: there is none
        await _answer(query, t("dialog.expired", actor.language), alert=True)


async def describe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    await dialog_text(update, context, actor)


async def on_startup(app: App) -> None:
    """Resume escalation timers saved in the database (past deadlines fire at once)."""
    service = callout_service(app)
    resumed = await service.reschedule_all()
    # The filter needs a synchronous answer, so it keeps a copy of who is typing a
    # description; the database is the truth, reloaded at every start.
    DESCRIBING.clear()
    DESCRIBING.update(await service.repo.users_in_step("d_describe"))
    if resumed:
        log.info("resumed %d callout escalation timers", resumed)
    service.resume_fan_out_later()
    saved = await service.send_unsent()
    if saved:
        log.info("sending %d messages the last stop left unsent", saved)


async def on_shutdown(app: App) -> None:
    """Follow-ups and pending board edits get a bounded grace before the database closes:
    what is still queued then (thousands of page edits or reminders at the free pace) is
    cut short, its messages saved for the next start."""
    service = callout_service(app)
    grace = services_of(app).settings.stop_grace_seconds
    started = time.monotonic()
    report = await service.finish(grace)
    boards_cut = 0
    if isinstance(service.notifier, TelegramNotifier):
        boards_cut = await service.notifier.boards.flush(
            max(0.0, grace - (time.monotonic() - started))
        )
    if report.cut_short or report.saved or report.edits_skipped or boards_cut:
        log.warning(
            "stopped after %.1f s: %d follow-ups cut short, %d messages saved for the next "
            "start, %d page redraws and %d board redraws skipped",
            time.monotonic() - started,
            report.cut_short,
            report.saved,
            report.edits_skipped,
            boards_cut,
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("callout", callout),
        CallbackQueryHandler(button, pattern=r"^co:"),
        CallbackQueryHandler(draft_button, pattern=r"^cd:"),
        MessageHandler(filters.LOCATION & private, location),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & DescribingFilter(), describe),
    ]
