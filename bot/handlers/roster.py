"""/roster [team]: the team list for its leaders and coordinators."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.context import actor_of, args_of, is_private, require
from bot.services import services_of
from bot.texts import send_long
from common.clock import local_today
from i18n.catalogue import t
from roster.phones import display_phone


async def roster_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    args = args_of(context)
    lang = actor.language
    if args:
        team = await services.roster.find_team(args[0])
    else:
        require(actor.team_code is not None, "roster.usage")
        assert actor.team_code is not None
        team = await services.roster.find_team(actor.team_code)
    require(actor.leads(team.code), "roster.other_team", team=team.code)
    private = is_private(update)
    show_phones = actor.may_see_personal_data(team.code, private)
    today = local_today(services.clock, services.settings.tz)
    members = await services.roster.team_members(team.code)
    lines = [t("roster.title", lang, team=team.name, code=team.code, count=len(members))]
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
                skills=",".join(s.code for s in v.skills),
                flags=(" · " + " · ".join(flags)) if flags else "",
            )
        )
    if not show_phones:
        lines.append(t("roster.phones_hidden", lang))
    assert update.effective_message is not None
    await send_long(update.effective_message, "\n".join(lines))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("roster", roster_command)]
