"""Callouts in chat: /callout (+ dialog), reply/ETA buttons, /status, /cancel, /close, /widen,
/mission add, shared locations, and escalation timers resumed at start-up.

Button handlers read everything from the database (callback data carries only ids),
so buttons sent before a restart keep working.
"""

from __future__ import annotations

import logging
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

from bot.callout_adapter import App, TelegramNotifier, callout_service, markup
from bot.callout_dialog import (
    DESCRIBING,
    DescribingFilter,
    dialog_button,
    dialog_text,
    report_start,
    start_dialog,
)
from bot.context import actor_of, args_of, is_private, reply, require
from bot.handlers import incident
from bot.incident_adapter import incident_service
from common.chat_options import parse_options
from common.errors import DomainError
from common.numbers import plain_int
from i18n.catalogue import normalise_lang, t
from missions.model import (
    ETA_CHOICES,
    WIDEN_OPTIONS,
    GeoPoint,
    parse_callout,
    parse_callout_id,
    parse_close,
    parse_mission_add,
    parse_outcome,
)
from missions.status_boards import status_boards

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


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    args = args_of(context)
    callout_id = parse_callout_id(args[0], "status.usage") if args else None
    boards = await status_boards(
        callout_service(_app(context)), actor, callout_id, private=is_private(update)
    )
    message = update.effective_message
    assert message is not None
    for board in boards:
        # A board always fits one message (render.board_text caps it), so the button
        # sits under the whole of it, as on the live board.
        await message.reply_text(board.text, reply_markup=markup(board.buttons))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    args = args_of(context)
    callout_id = parse_callout_id(args[0] if args else None, "cancel.usage")
    part = await callout_service(_app(context)).cancel(actor, callout_id, " ".join(args[1:]))
    if part is not None:
        await reply(update, actor, "multiteam.part.cancelled", id=callout_id, team=part)
        return
    await reply(update, actor, "cancel.done", id=callout_id)
    # Anyone already on scene is asked to tap Home safe, as after a close.
    incident_started = (await callout_service(_app(context)).callout(callout_id)).returning
    if incident_started:
        await incident_service(_app(context)).after_close(callout_id)


async def close(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    args = args_of(context)
    callout_id = parse_callout_id(args[0] if args else None, "close.usage")
    rescued, notes = parse_close(args[1:])
    outcome = parse_outcome(args[1:])
    closed = await callout_service(_app(context)).close(actor, callout_id, rescued, notes, outcome)
    # The return phase: each participant is asked to tap Home safe.
    asked = await incident_service(_app(context)).after_close(callout_id)
    text = t(
        "close.done",
        actor.language,
        id=callout_id,
        participants=closed.participants,
        number=closed.number,
        year=closed.year,
        target=closed.target,
    )
    text += "\n" + t(
        "incident.close.return", actor.language, count=asked, mission_id=closed.mission_id
    )
    message = update.effective_message
    assert message is not None
    await message.reply_text(text)


async def widen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.coordinator, "error.coordinators_only")
    args = args_of(context)
    callout_id = parse_callout_id(args[0] if args else None, "widen.usage")
    parsed = parse_options(args[1:], WIDEN_OPTIONS)
    teams = parsed.options.get("team") or None
    if parsed.words or (teams is None and "team" in parsed.options):
        raise DomainError("widen.usage")
    count = await callout_service(_app(context)).widen(actor, callout_id, teams)
    await reply(update, actor, "widen.done", id=callout_id, count=count)


async def mission(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    args = args_of(context)
    if len(args) == 1 and args[0].lower() != "add":
        await incident.mission_record(update, context, args[0])
        return
    if not args or args[0].lower() != "add":
        raise DomainError("mission.usage")
    entry = parse_mission_add(args[1:])
    logged = await callout_service(_app(context)).add_mission(actor, entry)
    text = t(
        "mission.done",
        actor.language,
        number=logged.number,
        year=logged.year,
        target=logged.target,
    )
    text += "\n" + t(
        "mission.logged", actor.language, count=logged.participants, mission_id=logged.mission_id
    )
    message = update.effective_message
    assert message is not None
    await message.reply_text(text)


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


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`co:<id>:a|u`, `co:<id>:eta:<min>`, `co:<id>:widen`, `co:<id>:join:<draft>:<token>`."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    parts = (query.data or "").split(":")
    service = callout_service(_app(context))
    fallback = normalise_lang(user.language_code, default=service.config.language)  # type: ignore[arg-type]
    callout_id = plain_int(parts[1]) if len(parts) >= 3 else None
    if callout_id is None:
        await _answer(query, t("tap.unknown", fallback))
        return
    action = parts[2]
    if action in ("a", "u"):
        await _answer(query, await service.tap(user.id, callout_id, action, fallback))
        return
    eta = plain_int(parts[3]) if action == "eta" and len(parts) == 4 else None
    if eta in ETA_CHOICES:
        await _answer(query, await service.tap(user.id, callout_id, "eta", fallback, eta=eta))
        return
    if action == "me":
        await _answer(query, await service.going_too(user.id, callout_id, fallback))
        return
    other = plain_int(parts[3]) if action in ("swap", "stay") and len(parts) == 4 else None
    if other is not None:
        # Confirmed on #other and tapped Available here: the choice (only ever their own).
        if action == "swap":
            await _answer(query, await service.swap(user.id, callout_id, other, fallback))
        else:
            await _answer(query, t("multiteam.busy.stayed", fallback, other=other))
        return
    actor = await actor_of(update, context)
    if action == "mute":
        require(actor.coordinator, "error.coordinators_only")
        await service.mute(actor, callout_id)
        await _answer(query, t("multiteam.escalation.muted", actor.language, id=callout_id))
        return
    if action == "widen":
        require(actor.coordinator, "error.coordinators_only")
        await query.answer()  # at once; the fan-out follows
        count = await service.widen(actor, callout_id)
        await context.bot.send_message(
            user.id, t("widen.done", actor.language, id=callout_id, count=count)
        )
        return
    if action == "join":
        require(actor.is_leader_or_coordinator, "error.leaders_only")
        draft_id = plain_int(parts[3]) if len(parts) == 5 else None
        if draft_id is None:
            # A join button without its token was not sent by the duplicate guard.
            await _answer(query, t("multiteam.error.join_refused", actor.language), alert=True)
            return
        await service.check_join(actor, callout_id, draft_id, parts[4])
        await query.answer()  # at once; the fan-out follows
        count = await service.join(actor, callout_id, draft_id, parts[4])
        await context.bot.send_message(
            user.id, t("callout.joined", actor.language, id=callout_id, count=count)
        )
        return
    await _answer(query, t("tap.unknown", actor.language))


async def draft_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`cd:<draft>:…`: the dialog's steps, and *Page anyway* after the duplicate guard."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    actor = await actor_of(update, context)
    service = callout_service(_app(context))
    draft_id = plain_int(parts[1]) if len(parts) >= 3 and parts[2] == "go" else None
    if draft_id is not None:
        require(actor.is_leader_or_coordinator, "error.leaders_only")
        await query.answer()
        result = await service.page_anyway(actor, draft_id)
        await report_start(update, context, actor.language, result)
        return
    await dialog_button(update, context, actor, parts)


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


async def on_shutdown(app: App) -> None:
    """Let follow-ups and pending board edits finish before the database closes."""
    service = callout_service(app)
    await service.drain()
    if isinstance(service.notifier, TelegramNotifier):
        await service.notifier.boards.flush()


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("callout", callout),
        CommandHandler("status", status),
        CommandHandler("cancel", cancel),
        CommandHandler("close", close),
        CommandHandler("widen", widen),
        CommandHandler("mission", mission),
        CallbackQueryHandler(button, pattern=r"^co:"),
        CallbackQueryHandler(draft_button, pattern=r"^cd:"),
        MessageHandler(filters.LOCATION & private, location),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & DescribingFilter(), describe),
    ]
