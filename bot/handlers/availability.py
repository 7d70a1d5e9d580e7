"""Saying when one is not available: /away (days or a date) and /back. Someone confirmed on an
open callout is offered to withdraw from it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.callback_codec import encode
from bot.callout_adapter import callout_service
from bot.context import actor_of, args_of, reply, require
from bot.services import services_of
from common.clock import local_today
from common.dates import parse_date
from common.errors import DomainError
from common.numbers import plain_int
from i18n.catalogue import t
from missions.actions import Unavailable


def parse_away(text: str, today: date) -> date:
    """`/away 3` → away through today+2 (three days); `/away 2026-12-10` → through that day."""
    if text.isdigit():
        days = plain_int(text) or 0
        if not 1 <= days <= 365:
            raise DomainError("away.usage")
        return today + timedelta(days=days - 1)
    try:
        until = parse_date(text)
    except DomainError:
        raise DomainError("away.usage") from None
    if until < today:
        raise DomainError("away.past", date=until.isoformat())
    return until


async def away(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.volunteer is not None, "error.unknown_person")
    assert actor.volunteer is not None
    args = args_of(context)
    if len(args) != 1:
        raise DomainError("away.usage")
    services = services_of(context)
    until = parse_away(args[0], local_today(services.clock, services.settings.tz))
    await services.roster.set_away(actor.volunteer.id, until, actor.telegram_id)
    await reply(update, actor, "away.set", date=until.isoformat())
    # Confirmed on an open callout: ask whether to withdraw (the button is the page's own
    # Unavailable, so the standby list moves up as usual).
    confirmed = await callout_service(context.application).confirmed_on(actor.volunteer.id)
    for callout_id in confirmed:
        message = update.effective_message
        assert message is not None
        await message.reply_text(
            t("multiteam.away.ask", actor.language, id=callout_id),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t("multiteam.button.withdraw", actor.language, id=callout_id),
                            callback_data=encode(Unavailable(callout_id)),
                        )
                    ]
                ]
            ),
        )


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.volunteer is not None, "error.unknown_person")
    assert actor.volunteer is not None
    await services_of(context).roster.set_away(actor.volunteer.id, None, actor.telegram_id)
    await reply(update, actor, "away.back")


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("away", away),
        CommandHandler("back", back),
    ]
