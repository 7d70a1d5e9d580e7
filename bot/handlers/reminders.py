"""The 09:00 reminders (insurance, certificates, fitness) sent through the JobQueue."""

from __future__ import annotations

import asyncio
import logging
from datetime import time as dtime
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    ContextTypes,
)

from bot.handlers.records_common import today_of
from bot.services import services_of
from bot.texts import split_text
from i18n.catalogue import t
from insurance.reminder_service import last_reminder_run, send_due_reminders
from insurance.reminders import (
    REMINDER_TIME,
    Audience,
    Reminder,
    Topic,
    catch_up_due,
)
from training.fitness import (
    default_standards,
)

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

_LOCK_KEY = "records.reminder_lock"


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
        today = today_of(services)
        teams = {team.code: team for team in await services.roster.teams()}
        kinds = await services.roster.skill_kinds()

        async def deliver(reminder: Reminder) -> bool | None:
            lang = reminder.language or services.settings.language
            labels = {k.code: k.label(lang) for k in kinds}
            team = teams.get(reminder.team_code)
            text = render_reminder(
                reminder, lang, team.label(lang) if team else "", labels, today.strftime("%Y-%m")
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
    last = await last_reminder_run(services.db)
    if catch_up_due(last, services.clock.now().astimezone(tz)):
        app.job_queue.run_once(
            _reminder_job, when=timedelta(seconds=1), name="records-reminders-catch-up"
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return []
