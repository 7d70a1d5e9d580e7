"""Reports in chat: /missions [year] and /report KIND [year] [team].

Coordinators see every team (or one they name); leaders and deputies see their
own team only. Each answer is a text summary, an XLSX file and, for missions
and training, a PNG chart. Reports carry names but never phone numbers, so
they may be asked for in a group chat.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot.context import actor_of, args_of, require
from bot.reporting import build_report, file_name
from bot.services import services_of
from bot.texts import send_long
from common.clock import local_today
from common.errors import DomainError
from i18n.catalogue import t
from reports.chart import render_png, warm_up
from reports.model import check_year, parse_kind
from reports.render import workbook_bytes
from roster.model import Actor

log = logging.getLogger(__name__)


async def _scope(
    context: ContextTypes.DEFAULT_TYPE, actor: Actor, words: list[str], usage: str
) -> tuple[int | None, str | None]:
    """(year, team) from `[year] [team]` in any order; team None means every team."""
    year: int | None = None
    team_text: str | None = None
    for word in words:
        if word.isascii() and word.isdigit() and len(word) == 4 and year is None:
            year = check_year(word)
            continue
        if team_text is not None:
            raise DomainError(usage)
        team_text = word
    roster = services_of(context).roster
    if team_text is not None:
        try:
            team = (await roster.find_team(team_text)).code
        except DomainError:
            # "20x6" or "26" was meant as a year: say so rather than "no such team".
            if any(ch.isdigit() for ch in team_text):
                raise DomainError("error.bad_year", value=team_text) from None
            raise
        require(actor.leads(team), "report.team_only", team=team)
        return year, team
    if actor.coordinator:
        return year, None
    return year, actor.team_code


async def _answer(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    actor: Actor,
    kind: str,
    words: list[str],
    usage: str,
) -> None:
    services = services_of(context)
    year, team = await _scope(context, actor, words, usage)
    lang = actor.language
    rendered = await build_report(
        services.db, services.settings, kind, year, lang, team=team, clock=services.clock
    )
    message = update.effective_message
    assert message is not None
    await send_long(message, rendered.text)
    # openpyxl and matplotlib take tens of milliseconds: off the event loop, so taps on a
    # callout are still answered at once while a report is being drawn.
    xlsx = await asyncio.to_thread(workbook_bytes, rendered.sheets)
    name = file_name(rendered, year, team, local_today(services.clock, services.settings.tz))
    await message.reply_document(
        document=xlsx, filename=name, caption=t("report.caption.xlsx", lang, name=name)
    )
    if rendered.chart is not None:
        png = await asyncio.to_thread(render_png, rendered.chart)
        await message.reply_photo(
            photo=png, caption=t("report.caption.chart", lang, title=rendered.chart.title)
        )


async def missions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    await _answer(update, context, actor, "missions", args_of(context), "report.missions_usage")


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    args = args_of(context)
    if not args:
        raise DomainError("report.usage")
    await _answer(update, context, actor, parse_kind(args[0]), args[1:], "report.usage")


_WARM_UP: set[asyncio.Task[None]] = set()  # keeps the task referenced until it is done


async def on_startup(app: Any) -> None:
    """Load matplotlib, XlsxWriter, openpyxl and the chart font (≈1 s) once, in a worker
    thread, right after start-up: the first report of the process is then as fast as
    any other, and the event loop never waits for an import."""
    task = asyncio.create_task(asyncio.to_thread(warm_up))
    _WARM_UP.add(task)
    task.add_done_callback(_warmed)


def _warmed(task: asyncio.Task[None]) -> None:
    _WARM_UP.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # Reports still work: each loads what it needs when first asked.
        log.warning("report warm-up failed: %r", task.exception())


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("missions", missions_command),
        CommandHandler("report", report_command),
    ]
