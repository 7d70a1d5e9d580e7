"""/training: the year's sessions and hours, `/training add` and its attendee buttons."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.context import actor_of, args_of, is_private, require
from bot.handlers.records_common import team_for, today_of, training_service
from bot.handlers.training_buttons import CALLBACK_PREFIX, attendee_keyboard
from bot.services import services_of
from bot.texts import send_long
from common.chat_options import parse_options
from common.dates import parse_date
from common.errors import DomainError
from common.numbers import plain_int
from i18n.catalogue import t
from i18n.labels import join
from roster.model import Actor
from roster.taxonomy import Team
from training.model import TRAINING_OPTIONS, format_hours, parse_hours
from training.service import TrainingService

log = logging.getLogger(__name__)


async def training_text(service: TrainingService, team: Team, lang: str, year: int) -> str:
    view = await service.team_year(team, year)
    sessions, hours, members = view.sessions, view.hours, view.members
    lines = [
        t(
            "training.title",
            lang,
            team=team.label(lang),
            code=team.code,
            year=year,
            count=len(sessions),
            hours=format_hours(sum(s.hours for s in sessions)),
        )
    ]
    for s in sessions:
        lines.append(
            t(
                "training.session_line",
                lang,
                date=s.date.isoformat(),
                title=s.title,
                kind=t(f"training.kind.{s.kind}", lang),
                hours=format_hours(s.hours),
                count=s.attendees,
            )
        )
    if not sessions:
        lines.append(t("training.none", lang))
    lines.append("")
    lines.append(t("training.hours_title", lang))
    for v in sorted(members, key=lambda m: (-hours.get(m.id, 0.0), m.name)):
        lines.append(
            t("training.hours_line", lang, name=v.name, hours=format_hours(hours.get(v.id, 0.0)))
        )
    return "\n".join(lines)


async def training_overview(service: TrainingService, lang: str, year: int) -> str:
    lines = [t("training.overview_title", lang, year=year)]
    for summary in await service.overview(year):
        team, sessions = summary.team, summary.sessions
        lines.append(
            t(
                "training.overview_line",
                lang,
                code=team.code,
                name=team.label(lang),
                sessions=len(sessions),
                hours=format_hours(sum(s.hours for s in sessions)),
                people=summary.people,
            )
        )
    return "\n".join(lines)


async def _training_add(
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, args: list[str]
) -> None:
    services = services_of(context)
    parsed = parse_options(args, TRAINING_OPTIONS)
    team_arg, args = parsed.options.get("team"), parsed.words
    if len(args) < 3:
        raise DomainError("training.usage")
    if team_arg is None and actor.team_code is None:
        raise DomainError("training.coordinator_team")
    team = await team_for(services, actor, team_arg)
    try:
        day = parse_date(args[0])
    except DomainError:
        raise DomainError("training.usage") from None
    hours = parse_hours(args[1])
    title = " ".join(args[2:])
    session_id = await training_service(services).record_session(
        actor, team, day, hours, title, today_of(services)
    )
    members = await services.roster.team_members(team.code)
    lang = actor.language
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t("training.pick", lang, title=title, date=day.isoformat(), hours=format_hours(hours)),
        reply_markup=attendee_keyboard(session_id, members, set(), 0, lang),
    )


async def training_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    args = args_of(context)
    if args and args[0].lower() in ("add", "新增"):
        require(is_private(update), "error.private_only")
        await _training_add(update, context, actor, args[1:])
        return
    services = services_of(context)
    today = today_of(services)
    year = today.year
    rest = []
    for a in args:
        if len(a) == 4 and plain_int(a) is not None:
            year = plain_int(a) or year
        else:
            rest.append(a)
    if len(rest) > 1:
        raise DomainError("training.usage")
    assert update.effective_message is not None
    if not rest and actor.team_code is None:
        text = await training_overview(training_service(services), actor.language, year)
    else:
        team = await team_for(services, actor, rest[0] if rest else None)
        text = await training_text(training_service(services), team, actor.language, year)
    await send_long(update.effective_message, text)


async def training_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    actor = await actor_of(update, context)
    lang = actor.language
    services = services_of(context)
    parts = query.data.split(":")
    numbers = [plain_int(parts[1]), plain_int(parts[3])] if len(parts) == 4 else [None]
    if None in numbers:
        await query.answer(t("button.outdated", lang), show_alert=True)
        return
    session_id, what, page = plain_int(parts[1]) or 0, parts[2], plain_int(parts[3]) or 0
    repo = training_service(services)
    session = await repo.session(session_id)
    if session is None:
        await query.answer(t("training.gone", lang), show_alert=True)
        return
    # Only the leader who recorded the session picks its attendees (and still leads the team).
    require(
        session.created_by == actor.telegram_id and actor.leads(session.team_code),
        "training.not_yours",
    )
    members = await services.roster.team_members(session.team_code)
    if what == "done":
        present = await repo.attendees(session_id)
        names = join((v.name for v in members if v.id in present), lang)
        await query.answer()
        await query.edit_message_text(
            t(
                "training.finished",
                lang,
                title=session.title,
                date=session.date.isoformat(),
                hours=format_hours(session.hours),
                count=len(present),
                names=names,
            )
        )
        return
    if what == "p":
        await query.answer()
    else:
        wanted = plain_int(what)
        if wanted is None:
            await query.answer(t("button.outdated", lang), show_alert=True)
            return
        volunteer = next((v for v in members if v.id == wanted), None)
        if volunteer is None:
            await query.answer(t("training.gone", lang), show_alert=True)
            return
        on = await repo.toggle_attendee(session_id, volunteer.id, actor.telegram_id)
        await query.answer(
            t("training.toggled_on" if on else "training.toggled_off", lang, name=volunteer.name)
        )
    present = await repo.attendees(session_id)
    try:
        await query.edit_message_reply_markup(
            attendee_keyboard(session_id, members, present, page, lang)
        )
    except BadRequest as error:  # "message is not modified" after a double tap
        log.debug("attendee keyboard not edited: %s", error)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("training", training_command),
        CallbackQueryHandler(training_button, pattern=rf"^{CALLBACK_PREFIX}:"),
    ]
