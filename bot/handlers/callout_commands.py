"""Commands on a running or finished callout: /status, /cancel, /close, /widen, /mission add
(and /mission ID, a mission's record, answered by incident.py)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.callout_adapter import App, callout_service, markup
from bot.context import actor_of, args_of, is_private, reply, require
from bot.handlers import incident
from bot.incident_adapter import incident_service
from common.chat_options import parse_options
from common.errors import DomainError
from i18n.catalogue import t
from missions.model import (
    WIDEN_OPTIONS,
    parse_callout_id,
    parse_close,
    parse_mission_add,
    parse_outcome,
)
from missions.status_boards import status_boards


def _app(context: ContextTypes.DEFAULT_TYPE) -> App:
    return context.application


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


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("status", status),
        CommandHandler("cancel", cancel),
        CommandHandler("close", close),
        CommandHandler("widen", widen),
        CommandHandler("mission", mission),
    ]
