"""Records in chat: /insurance, /training (+ attendee buttons), /fitness, /me lines,
and the 09:00 reminders sent through the JobQueue."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from datetime import time as dtime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.context import actor_of, args_of, is_private, require
from bot.services import Services, services_of
from bot.texts import send_long, split_text
from common.clock import local_today
from common.dates import parse_date
from common.errors import DomainError
from common.numbers import plain_int
from i18n.catalogue import t
from i18n.labels import join
from insurance.model import InsuranceState, insurance_status, team_coverage
from insurance.reminders import (
    REMINDER_TIME,
    Audience,
    Reminder,
    Topic,
    catch_up_due,
    send_due_reminders,
)
from insurance.repository import InsuranceRepository, ReminderLog
from roster.model import Actor, Volunteer
from roster.phones import display_phone
from roster.repository import RosterRepository
from roster.service import RosterService
from roster.taxonomy import Team
from storage.db import Database
from training.fitness import (
    FitnessItem,
    FitnessResult,
    Standards,
    default_standards,
    pass_valid_on,
    pass_valid_until,
)
from training.model import format_hours, parse_hours
from training.repository import FitnessRepository, TrainingRepository
from training.service import TrainingService

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

CALLBACK_PREFIX = "tr"
PAGE_SIZE = 45  # 15 rows of 3: with the navigation and Done rows, under Telegram's 100 buttons
_LOCK_KEY = "records.reminder_lock"


def _today(services: Services) -> date:
    return local_today(services.clock, services.settings.tz)


async def _team_for(services: Services, actor: Actor, text: str | None) -> Team:
    """The team a command is about: a leader's own, or the one a coordinator names."""
    return await RosterService(services.db, services.roster).team_for(
        actor, text, "insurance.usage"
    )


def _training(services: Services, standards: Standards | None = None) -> TrainingService:
    return TrainingService(services.db, RosterService(services.db, services.roster), standards)


# --- /me ------------------------------------------------------------------------------
async def me_lines(services: Services, volunteer: Volunteer, lang: str, today: date) -> list[str]:
    """Extra lines of /me: the volunteer's own insurance, fitness and training."""
    lines: list[str] = []
    policies = await InsuranceRepository(services.db).policies_of(volunteer.id)
    status = insurance_status(policies, today)
    if status.state is InsuranceState.VALID:
        lines.append(t("me.insurance.valid", lang, date=str(status.until)))
    elif status.state is InsuranceState.EXPIRING:
        lines.append(
            t("me.insurance.expiring", lang, date=str(status.until), days=status.days_left)
        )
    elif status.state is InsuranceState.EXPIRED:
        lines.append(t("me.insurance.expired", lang, date=str(status.until)))
    else:
        lines.append(t("me.insurance.none", lang))
    fitness = FitnessRepository(services.db)
    last_pass = await fitness.last_pass(volunteer.id)
    latest = await fitness.latest(volunteer.id)
    if latest is not None and not latest[1] and latest[0] > (last_pass or date.min):
        extra = ""
        if pass_valid_on(last_pass, today):
            assert last_pass is not None
            extra = t(
                "me.fitness.last_pass",
                lang,
                date=str(last_pass),
                until=str(pass_valid_until(last_pass)),
            )
        lines.append(t("me.fitness.failed", lang, date=str(latest[0]), extra=extra))
    elif last_pass is None:
        lines.append(t("me.fitness.never", lang))
    elif pass_valid_on(last_pass, today):
        lines.append(
            t("me.fitness.valid", lang, date=str(last_pass), until=str(pass_valid_until(last_pass)))
        )
    else:
        lines.append(t("me.fitness.stale", lang, date=str(last_pass)))
    hours, count = await TrainingRepository(services.db).hours_of(volunteer.id, today.year)
    lines.append(t("me.training", lang, year=today.year, hours=format_hours(hours), count=count))
    return lines


# --- /insurance -----------------------------------------------------------------------
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
    insurance = InsuranceRepository(db)
    roster = RosterRepository(db)
    lines: list[str] = []
    if len(teams) > 1:
        lines.append(t("insurance.overview", lang, date=today.isoformat()))
    for team in teams:
        members = await roster.team_members(team.code, active_only=True)
        policies = await insurance.policies_by_volunteer(v.id for v in members)
        phones = {v.name: v.phone for v in members}
        coverage = team_coverage(
            team.code, ((v.name, policies.get(v.id, [])) for v in members), today
        )
        if lines:
            lines.append("")
        lines.append(
            t(
                "insurance.title",
                lang,
                team=team.name,
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
        teams = [await _team_for(services, actor, args[0] if args else None)]
    private = is_private(update)
    show = all(actor.may_see_personal_data(team.code, private) for team in teams)
    text = await insurance_text(
        services.db, teams, actor.language, _today(services), show_phones=show, full=len(teams) == 1
    )
    assert update.effective_message is not None
    await send_long(update.effective_message, text)


# --- /training ------------------------------------------------------------------------
async def training_text(db: Database, team: Team, lang: str, year: int) -> str:
    repo = TrainingRepository(db)
    sessions = await repo.sessions(team.code, year)
    lines = [
        t(
            "training.title",
            lang,
            team=team.name,
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
    hours = await repo.hours_by_volunteer(team.code, year)
    members = await RosterRepository(db).team_members(team.code, active_only=True)
    lines.append("")
    lines.append(t("training.hours_title", lang))
    for v in sorted(members, key=lambda m: (-hours.get(m.id, 0.0), m.name)):
        lines.append(
            t("training.hours_line", lang, name=v.name, hours=format_hours(hours.get(v.id, 0.0)))
        )
    return "\n".join(lines)


async def training_overview(db: Database, lang: str, year: int) -> str:
    repo = TrainingRepository(db)
    lines = [t("training.overview_title", lang, year=year)]
    for team in await RosterRepository(db).teams():
        sessions = await repo.sessions(team.code, year)
        people = await repo.hours_by_volunteer(team.code, year)
        lines.append(
            t(
                "training.overview_line",
                lang,
                code=team.code,
                name=team.name,
                sessions=len(sessions),
                hours=format_hours(sum(s.hours for s in sessions)),
                people=len(people),
            )
        )
    return "\n".join(lines)


def _attendee_keyboard(
    session_id: int, members: list[Volunteer], present: set[int], page: int, lang: str
) -> InlineKeyboardMarkup:
    pages = max(1, -(-len(members) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = members[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: list[list[InlineKeyboardButton]] = []
    for i in range(0, len(chunk), 3):
        rows.append(
            [
                InlineKeyboardButton(
                    ("✅ " if v.id in present else "▫️ ") + v.name,
                    # tr:<session>:<volunteer>:<page> stays far below Telegram's 64 bytes.
                    callback_data=f"{CALLBACK_PREFIX}:{session_id}:{v.id}:{page}",
                )
                for v in chunk[i : i + 3]
            ]
        )
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                t("training.prev_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:p:{page - 1}",
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(
                t("training.next_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:p:{page + 1}",
            )
        )
    if nav:
        rows.append(nav)
    rows.append(
        [
            InlineKeyboardButton(
                t("training.done_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:done:0",
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _training_add(
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, args: list[str]
) -> None:
    services = services_of(context)
    team_arg = next((a.split("=", 1)[1] for a in args if a.lower().startswith("team=")), None)
    args = [a for a in args if not a.lower().startswith("team=")]
    if len(args) < 3:
        raise DomainError("training.usage")
    if team_arg is None and actor.team_code is None:
        raise DomainError("training.coordinator_team")
    team = await _team_for(services, actor, team_arg)
    try:
        day = parse_date(args[0])
    except DomainError:
        raise DomainError("training.usage") from None
    hours = parse_hours(args[1])
    title = " ".join(args[2:])
    session_id = await _training(services).record_session(
        actor, team, day, hours, title, _today(services)
    )
    members = await services.roster.team_members(team.code, active_only=True)
    lang = actor.language
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t("training.pick", lang, title=title, date=day.isoformat(), hours=format_hours(hours)),
        reply_markup=_attendee_keyboard(session_id, members, set(), 0, lang),
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
    today = _today(services)
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
        text = await training_overview(services.db, actor.language, year)
    else:
        team = await _team_for(services, actor, rest[0] if rest else None)
        text = await training_text(services.db, team, actor.language, year)
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
    repo = TrainingRepository(services.db)
    session = await repo.session(session_id)
    if session is None:
        await query.answer(t("training.gone", lang), show_alert=True)
        return
    # Only the leader who recorded the session picks its attendees (and still leads the team).
    require(
        session.created_by == actor.telegram_id and actor.leads(session.team_code),
        "training.not_yours",
    )
    members = await services.roster.team_members(session.team_code, active_only=True)
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
        on = await repo.toggle(session_id, volunteer.id, actor.telegram_id)
        await query.answer(
            t("training.toggled_on" if on else "training.toggled_off", lang, name=volunteer.name)
        )
    present = await repo.attendees(session_id)
    try:
        await query.edit_message_reply_markup(
            _attendee_keyboard(session_id, members, present, page, lang)
        )
    except BadRequest as error:  # "message is not modified" after a double tap
        log.debug("attendee keyboard not edited: %s", error)


# --- /fitness -------------------------------------------------------------------------
def parse_fitness_args(
    args: list[str], standards: Standards, today: date
) -> tuple[str, date, dict[str, float]]:
    """`张伟 run1000=4:12 pullups=5 [date=YYYY-MM-DD]` → (query, day, values)."""
    words: list[str] = []
    values: dict[str, float] = {}
    day = today
    for arg in args:
        if "=" not in arg:
            if values:
                raise DomainError("fitness.pair_form", value=arg)
            words.append(arg)
            continue
        name, _, raw = arg.partition("=")
        if name.lower() in ("date", "日期"):
            day = parse_date(raw)
            continue
        item = standards.item(name)
        values[item.code] = item.parse(raw)
    if not words or not values:
        raise DomainError("fitness.usage", items=", ".join(standards.codes()))
    return " ".join(words), day, values


def fitness_result_text(
    result: FitnessResult, standards: Standards, lang: str, age: int | None, day: date
) -> list[str]:
    def label(item: FitnessItem) -> str:
        return item.label(lang)

    lines = []
    for item in standards.items:
        if item.code in result.items:
            r = result.items[item.code]
            key = "fitness.item_pass" if r.passed else "fitness.item_fail"
            lines.append(
                t(
                    key,
                    lang,
                    label=label(item),
                    value=item.format(r.value),
                    sign="≤" if item.direction == "max" else "≥",
                    limit=item.format(item.threshold_for(age)),
                )
            )
        else:
            lines.append(t("fitness.item_missing", lang, label=label(item)))
    by_code = {i.code: i for i in standards.items}
    if result.failed:
        lines.append(
            t(
                "fitness.overall_fail",
                lang,
                failed=join((label(by_code[c]) for c in result.failed), lang),
            )
        )
    elif result.missing:
        lines.append(
            t(
                "fitness.overall_incomplete",
                lang,
                missing=join((label(by_code[c]) for c in result.missing), lang),
            )
        )
    else:
        lines.append(
            t(
                "fitness.overall_pass",
                lang,
                until=str(pass_valid_until(day, standards.validity_months)),
            )
        )
    return lines


async def fitness_summary(services: Services, team: Team, lang: str, today: date) -> str:
    members = await services.roster.team_members(team.code, active_only=True)
    passes = await FitnessRepository(services.db).last_passes()
    due = [v.name for v in members if not pass_valid_on(passes.get(v.id), today)]
    lines = [
        t(
            "fitness.summary_title",
            lang,
            team=team.name,
            code=team.code,
            valid=len(members) - len(due),
            total=len(members),
        )
    ]
    if due:
        lines.append(t("fitness.summary_due", lang, names=join(due, lang)))
    return "\n".join(lines)


async def fitness_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    standards = default_standards()
    args = args_of(context)
    today = _today(services)
    lang = actor.language
    assert update.effective_message is not None
    if not args or (
        len(args) == 1
        and "=" not in args[0]
        and actor.coordinator
        and len(args[0]) <= 4
        and args[0].upper() == args[0]
    ):
        usage = t("fitness.usage", lang, items=", ".join(standards.codes()))
        if args or actor.team_code is not None:
            team = await _team_for(services, actor, args[0] if args else None)
            usage = await fitness_summary(services, team, lang, today) + "\n\n" + usage
        await send_long(update.effective_message, usage)
        return
    query, day, values = parse_fitness_args(args, standards, today)
    recorded = await _training(services, standards).record_fitness(actor, query, day, values, today)
    volunteer, result, age = recorded.volunteer, recorded.result, recorded.age
    lines = [
        t(
            "fitness.result_title",
            lang,
            name=volunteer.name,
            team=volunteer.team_code,
            date=day.isoformat(),
        )
    ]
    lines += fitness_result_text(result, standards, lang, age, day)
    await send_long(update.effective_message, "\n".join(lines))


# --- /cert ---------------------------------------------------------------------------
async def cert_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/cert 张伟 first_aid 2026-03-05 [expires=YYYY-MM-DD]`: a skill certificate; without
    an expiry it gets the skill's default validity, which callout targeting reads."""
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    services = services_of(context)
    args = args_of(context)
    expires: date | None = None
    rest = []
    for arg in args:
        if arg.lower().startswith(("expires=", "到期=")):
            expires = parse_date(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    if len(rest) < 3:
        raise DomainError("cert.usage")
    query, skill_text, day_text = " ".join(rest[:-2]), rest[-2], rest[-1]
    try:
        certified = parse_date(day_text)
    except DomainError:
        raise DomainError("cert.usage") from None
    recorded = await _training(services).record_certificate(
        actor, query, skill_text, certified, expires, _today(services)
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


# --- reminders ------------------------------------------------------------------------
def render_reminder(
    reminder: Reminder, lang: str, team_name: str, skill_labels: dict[str, str], month: str
) -> str:
    if reminder.audience is Audience.SELF:
        item = reminder.items[0]
        policy = item.policy
        key = "remind.self.expires_today" if item.days_left == 0 else "remind.self.expiring"
        return t(
            key,
            lang,
            insurer=policy.insurer if policy else "",
            policy=policy.policy_no if policy else "",
            date=str(item.day),
            days=item.days_left,
        )
    if reminder.audience is Audience.LEADER:
        lines = [t("remind.leader.title", lang, team=team_name)]
        for item in reminder.items:
            key = (
                "remind.leader.expiring"
                if item.topic is Topic.INSURANCE_EXPIRING
                else "remind.leader.expired"
            )
            lines.append(
                t(key, lang, name=item.volunteer.name, date=str(item.day), days=item.days_left)
            )
        lines.append(t("remind.leader.footer", lang))
        return "\n".join(lines)
    lines = [t("remind.monthly.title", lang, team=team_name, month=month)]
    certs = [i for i in reminder.items if i.topic is Topic.CERTIFICATE]
    if certs:
        lines.append(t("remind.monthly.certs", lang))
        for item in certs:
            key = (
                "remind.monthly.cert_expired"
                if (item.days_left or 0) < 0
                else "remind.monthly.cert_expiring"
            )
            lines.append(
                t(
                    key,
                    lang,
                    name=item.volunteer.name,
                    date=str(item.day),
                    skill=skill_labels.get(item.skill or "", item.skill or ""),
                )
            )
    fitness = [i for i in reminder.items if i.topic is Topic.FITNESS]
    if fitness:
        lines.append(t("remind.monthly.fitness", lang))
        for item in fitness:
            if item.day is None:
                lines.append(t("remind.monthly.fitness_never", lang, name=item.volunteer.name))
            else:
                lines.append(
                    t(
                        "remind.monthly.fitness_stale",
                        lang,
                        name=item.volunteer.name,
                        date=str(item.day),
                    )
                )
    return "\n".join(lines)


async def _deliver(app: App, chat_id: int, text: str) -> bool | None:
    """True when sent; False when this person cannot be reached (blocked, chat
    gone: recorded as done, retrying daily would not help); None on a
    transient error (not recorded, so the next run tries again)."""
    try:
        for chunk in split_text(text):
            await app.bot.send_message(chat_id, chunk)
    except (Forbidden, BadRequest) as error:
        log.info("reminder undeliverable to a user: %s", type(error).__name__)
        return False
    except TelegramError as error:
        log.warning("reminder not sent, will retry on the next run: %s", error)
        return None
    return True


async def run_reminders(app: App) -> int:
    """Today's reminders, each sent once; returns how many messages went out.

    Safe to call any number of times: delivered reminders are recorded in
    reminders_sent, and a lock stops the start-up catch-up and the 09:00 job
    from overlapping.
    """
    lock: asyncio.Lock = app.bot_data.setdefault(_LOCK_KEY, asyncio.Lock())
    async with lock:
        services = services_of(app)
        today = _today(services)
        teams = {team.code: team.name for team in await services.roster.teams()}
        kinds = await services.roster.skill_kinds()

        async def deliver(reminder: Reminder) -> bool | None:
            lang = reminder.language or services.settings.language
            labels = {k.code: k.label(lang) for k in kinds}
            text = render_reminder(
                reminder, lang, teams.get(reminder.team_code, ""), labels, today.strftime("%Y-%m")
            )
            return await _deliver(app, reminder.chat_id, text)

        sent = await send_due_reminders(
            services.db, today, deliver, fitness_months=default_standards().validity_months
        )
        log.info("reminders: %d messages sent for %s", sent, today.isoformat())
        return sent


async def _reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_reminders(context.application)


async def on_startup(app: App) -> None:
    """Schedule the 09:00 run; catch up at once if the bot was down over a run."""
    services = services_of(app)
    if app.job_queue is None:
        log.warning("no JobQueue: install python-telegram-bot[job-queue] for reminders")
        return
    tz = services.settings.tz
    app.job_queue.run_daily(
        _reminder_job,
        time=dtime(REMINDER_TIME.hour, REMINDER_TIME.minute, tzinfo=tz),
        name="records-reminders",
    )
    last = await ReminderLog(services.db).last_run()
    if catch_up_due(last, services.clock.now().astimezone(tz)):
        app.job_queue.run_once(
            _reminder_job, when=timedelta(seconds=1), name="records-reminders-catch-up"
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("insurance", insurance_command),
        CommandHandler("training", training_command),
        CommandHandler("fitness", fitness_command),
        CommandHandler("cert", cert_command),
        CallbackQueryHandler(training_button, pattern=rf"^{CALLBACK_PREFIX}:"),
    ]
