"""/roster [team]: the team list for its leaders and coordinators, skills by name as in /me."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.context import actor_of, args_of, is_private, require
from bot.services import services_of
from bot.texts import send_long
from common.clock import local_today
from i18n.catalogue import t
from i18n.labels import join, label
from roster.phones import display_phone


async def roster_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    args = args_of(context)
    lang = actor.language
    view = await services.roster.roster_view(actor, args[0] if args else None, is_private(update))
    team, members, show_phones = view.team, view.members, view.show_phones
    today = local_today(services.clock, services.settings.tz)
    lines = [
        t(
            "roster.title",
            lang,
            team=team.label(lang),
            code=team.code,
            count=len(members),
        )
    ]
    for v in members:
        flags = []
        if v.role.value != "member":
            flags.append(t(f"role.{v.role.value}", lang))
        if not v.linked:
            flags.append(t("roster.not_linked", lang))
        if not v.active:
            flags.append(t("roster.inactive", lang))
        if v.away_on(today):
            flags.append(t("roster.away", lang, date=str(v.away_until)))
        phone = display_phone(v.phone) if show_phones else ""
        lines.append(
            t(
                "roster.line",
                lang,
                name=v.name,
                phone=phone,
                skills=join((label("skill", s.code, lang) for s in v.skills), lang),
                flags=(" · " + " · ".join(flags)) if flags else "",
            )
        )
    if not show_phones:
        lines.append(t("roster.phones_hidden", lang))
    assert update.effective_message is not None
    await send_long(update.effective_message, "\n".join(lines))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("roster", roster_command)]
