"""Linking an account and personal commands: /start, contact, /help, /me, /lang, /invite.
(/away and /back are in availability.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from telegram import (
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.context import actor_of, args_of, is_private, reply, require
from bot.handlers import records
from bot.services import services_of
from common.clock import local_today
from common.errors import DomainError
from i18n.catalogue import LANGUAGES, t
from i18n.labels import join
from roster.model import Actor, Volunteer
from roster.phones import display_phone, normalise_phone

# /help lists what each role may use, in this order.
_PERSONAL = ("me", "away", "back", "lang", "help")
_TEAM_LEAD = (
    "callout", "status", "cancel", "close", "check", "mark", "update", "mission", "roster",
    "invite", "insurance", "training", "fitness", "cert", "import", "missions", "report",
    "dashboard",
)  # fmt: skip
HELP_BY_ROLE: dict[str, tuple[str, ...]] = {
    "unknown": ("start",),
    "member": _PERSONAL,
    "deputy": _TEAM_LEAD + _PERSONAL,
    "leader": _TEAM_LEAD + _PERSONAL,
    "coordinator": (*_TEAM_LEAD[:2], "widen", *_TEAM_LEAD[2:], "me", "lang", "help"),
}


def help_text(actor: Actor) -> str:
    lang = actor.language
    lines = [t(f"help.title.{actor.role_name}", lang)]
    lines += [t(f"help.cmd.{name}", lang) for name in HELP_BY_ROLE[actor.role_name]]
    return "\n".join(lines)


def _share_phone_keyboard(lang: str) -> ReplyKeyboardMarkup:
    button = KeyboardButton(t("start.share_button", lang), request_contact=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


async def _welcome(
    update: Update, context: ContextTypes.DEFAULT_TYPE, volunteer: Volunteer
) -> None:
    actor = await actor_of(update, context)
    team = await services_of(context).roster.find_team(volunteer.team_code)
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t(
            "start.linked",
            actor.language,
            name=volunteer.name,
            team=team.label(actor.language),
            role=t(f"role.{volunteer.role.value}", actor.language),
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
    await update.effective_message.reply_text(help_text(actor))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    args = args_of(context)
    assert update.effective_message is not None
    if args:
        require(is_private(update), "error.private_only")
        volunteer = await services_of(context).roster.consume_invite(args[0], actor.telegram_id)
        await _welcome(update, context, volunteer)
        return
    if actor.known:
        await update.effective_message.reply_text(help_text(actor))
        return
    require(is_private(update), "error.private_only")
    await update.effective_message.reply_text(
        t("start.ask_phone", actor.language), reply_markup=_share_phone_keyboard(actor.language)
    )


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact links the account only if it is the sender's own number."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.contact is not None and user is not None
    if message.contact.user_id != user.id:
        raise DomainError("start.not_own_contact")
    try:
        phone = normalise_phone(message.contact.phone_number)
    except DomainError:
        raise DomainError("start.phone_unknown") from None
    volunteer = await services_of(context).roster.link_by_contact(user.id, phone)
    await _welcome(update, context, volunteer)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    assert update.effective_message is not None
    await update.effective_message.reply_text(help_text(actor))


def _skill_line(volunteer: Volunteer, labels: dict[str, str], lang: str, today: date) -> str:
    parts = []
    for skill in volunteer.skills:
        label = labels.get(skill.code, skill.code)
        if skill.expires_on is None:
            parts.append(label)
        elif skill.valid_on(today):
            parts.append(t("me.skill_until", lang, skill=label, date=skill.expires_on.isoformat()))
        else:
            parts.append(
                t("me.skill_expired", lang, skill=label, date=skill.expires_on.isoformat())
            )
    return join(parts, lang)


async def me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    services = services_of(context)
    lang = actor.language
    if actor.volunteer is None:
        require(actor.coordinator, "error.unknown_person")
        await reply(update, actor, "me.coordinator")
        return
    require(is_private(update), "error.private_only")
    volunteer = actor.volunteer
    today = local_today(services.clock, services.settings.tz)
    team = await services.roster.find_team(volunteer.team_code)
    kinds = await services.roster.skill_kinds()
    labels = {k.code: k.label(lang) for k in kinds}
    lines = [
        t("me.title", lang, name=volunteer.name),
        t("me.team", lang, team=team.label(lang), code=team.code),
        t("me.role", lang, role=t(f"role.{volunteer.role.value}", lang)),
        t("me.phone", lang, phone=display_phone(volunteer.phone)),
        t(
            "me.skills",
            lang,
            skills=_skill_line(volunteer, labels, lang, today) or t("me.none", lang),
        ),
    ]
    if volunteer.away_on(today):
        lines.append(t("me.away", lang, date=str(volunteer.away_until)))
    lines += await records.me_lines(services, volunteer, lang, today)
    assert update.effective_message is not None
    await update.effective_message.reply_text("\n".join(lines))


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    args = args_of(context)
    if len(args) != 1 or args[0].lower() not in LANGUAGES:
        raise DomainError("lang.usage")
    await services_of(context).roster.set_language(actor.telegram_id, args[0].lower())
    await reply(update, replace(actor, language=args[0].lower()), "lang.set")


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A leader makes a one-time code for someone whose phone cannot be matched."""
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    require(is_private(update), "error.private_only")
    query = " ".join(args_of(context)).strip()
    if not query:
        raise DomainError("invite.usage")
    person, code = await services_of(context).roster.invite(actor, query)
    username = context.bot.username
    await reply(
        update,
        actor,
        "invite.created",
        name=person.name,
        code=code,
        link=f"https://t.me/{username}?start={code}",
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("start", start),
        MessageHandler(filters.CONTACT, contact),
        CommandHandler("help", help_command),
        CommandHandler("me", me),
        CommandHandler("lang", lang_command),
        CommandHandler("invite", invite),
    ]
