"""/fitness: record a test (several messages of one day make one test) or see the team's
fitness status."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ContextTypes,
)

from bot.context import actor_of, args_of, require
from bot.handlers.records_common import team_for, today_of, training_service
from bot.services import Services, services_of
from bot.texts import send_long
from common.chat_options import parse_options
from common.dates import parse_date
from common.errors import DomainError
from i18n.catalogue import t
from i18n.labels import join
from roster.model import looks_like_team_code
from roster.taxonomy import Team
from training.fitness import (
    FitnessItem,
    FitnessResult,
    Standards,
    default_standards,
    pass_valid_on,
    pass_valid_until,
)


def parse_fitness_args(
    args: list[str], standards: Standards, today: date
) -> tuple[str, date, dict[str, float]]:
    """`张伟 run1000=4:12 pullups=5 [date=YYYY-MM-DD]` → (query, day, values)."""

    def resolve(key: str) -> str:
        return "date" if key.lower() in ("date", "日期") else standards.item(key).code

    parsed = parse_options(args, resolve)
    if parsed.words_after_options:
        raise DomainError("fitness.pair_form", value=parsed.words_after_options[0])
    options = dict(parsed.options)
    day = parse_date(options.pop("date")) if "date" in options else today
    values = {code: standards.item(code).parse(raw) for code, raw in options.items()}
    if not parsed.words or not values:
        raise DomainError("fitness.usage", items=", ".join(standards.codes()))
    return " ".join(parsed.words), day, values


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
    service = training_service(services)
    members = await service.roster.team_members(team.code)
    passes = await service.last_passes()
    due = [v.name for v in members if not pass_valid_on(passes.get(v.id), today)]
    lines = [
        t(
            "fitness.summary_title",
            lang,
            team=team.label(lang),
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
    today = today_of(services)
    lang = actor.language
    assert update.effective_message is not None
    if not args or (len(args) == 1 and actor.coordinator and looks_like_team_code(args[0])):
        usage = t("fitness.usage", lang, items=", ".join(standards.codes()))
        if args or actor.team_code is not None:
            team = await team_for(services, actor, args[0] if args else None)
            usage = await fitness_summary(services, team, lang, today) + "\n\n" + usage
        await send_long(update.effective_message, usage)
        return
    query, day, values = parse_fitness_args(args, standards, today)
    recorded = await training_service(services, standards).record_fitness(
        actor, query, day, values, today
    )
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


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("fitness", fitness_command),
    ]
