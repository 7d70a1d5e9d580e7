"""/insurance: each team's insurance coverage today, in chat."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ContextTypes,
)

from bot.context import actor_of, args_of, is_private, require
from bot.handlers.records_common import team_for, today_of
from bot.services import services_of
from bot.texts import send_long
from common.errors import DomainError
from i18n.catalogue import t
from insurance.model import InsuranceState
from insurance.service import InsuranceService
from roster.phones import display_phone
from roster.taxonomy import Team
from storage.db import Database


async def insurance_text(
    db: Database,
    teams: list[Team],
    lang: str,
    today: date,
    *,
    show_phones: bool,
    full: bool,
) -> str:
    """Coverage per team; `full` lists the insured by name too (one team asked for).

    Takes the database, not the chat context, so `rescuebot report insurance`
    can print the same text."""
    lines: list[str] = []
    if len(teams) > 1:
        lines.append(t("insurance.overview", lang, date=today.isoformat()))
    for entry in await InsuranceService(db).coverage(teams, today):
        team, coverage, phones = entry.team, entry.coverage, entry.phones
        if lines:
            lines.append("")
        lines.append(
            t(
                "insurance.title",
                lang,
                team=team.label(lang),
                code=team.code,
                **{s.value: coverage.count(s) for s in InsuranceState},
            )
        )
        states = (
            list(InsuranceState)
            if full
            else [InsuranceState.EXPIRING, InsuranceState.EXPIRED, InsuranceState.NONE]
        )
        for state in states:
            entries = coverage.by_state[state]
            if not entries:
                continue
            lines.append(t(f"insurance.section.{state.value}", lang))
            for name, status in entries:
                phone = (
                    f" {display_phone(phones[name])}" if show_phones and phones.get(name) else ""
                )
                lines.append(
                    t(
                        f"insurance.line.{state.value}",
                        lang,
                        name=name,
                        date=str(status.until),
                        days=status.days_left,
                        phone=phone,
                    )
                )
    if not show_phones:
        lines.append(t("insurance.phones_hidden", lang))
    return "\n".join(lines)


async def insurance_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    args = args_of(context)
    if len(args) > 1:
        raise DomainError("insurance.usage")
    if not args and actor.coordinator and actor.team_code is None:
        teams = await services.roster.teams()
    else:
        teams = [await team_for(services, actor, args[0] if args else None)]
    private = is_private(update)
    show = all(actor.may_see_personal_data(team.code, private) for team in teams)
    text = await insurance_text(
        services.db,
        teams,
        actor.language,
        today_of(services),
        show_phones=show,
        full=len(teams) == 1,
    )
    assert update.effective_message is not None
    await send_long(update.effective_message, text)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("insurance", insurance_command),
    ]
