"""/cert: record a skill certificate."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ContextTypes,
)

from bot.context import actor_of, args_of, require
from bot.handlers.records_common import today_of, training_service
from bot.services import services_of
from common.chat_options import parse_options
from common.dates import parse_date
from common.errors import DomainError
from i18n.catalogue import t
from training.model import CERT_OPTIONS


async def cert_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/cert 张伟 first_aid 2026-03-05 [expires=YYYY-MM-DD]`: a skill certificate; without
    an expiry it gets the skill's default validity, which callout targeting reads."""
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    args = args_of(context)
    parsed = parse_options(args, CERT_OPTIONS)
    expires = parse_date(parsed.options["expires"]) if "expires" in parsed.options else None
    rest = parsed.words
    if len(rest) < 3:
        raise DomainError("cert.usage")
    query, skill_text, day_text = " ".join(rest[:-2]), rest[-2], rest[-1]
    try:
        certified = parse_date(day_text)
    except DomainError:
        raise DomainError("cert.usage") from None
    recorded = await training_service(services).record_certificate(
        actor, query, skill_text, certified, expires, today_of(services)
    )
    volunteer, kind, expires = recorded.volunteer, recorded.skill, recorded.expires_on
    lang = actor.language
    label = kind.label(lang)
    key = "cert.saved" if expires else "cert.saved_no_expiry"
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t(
            key,
            lang,
            name=volunteer.name,
            skill=label,
            date=certified.isoformat(),
            expires=str(expires),
        )
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("cert", cert_command),
    ]
