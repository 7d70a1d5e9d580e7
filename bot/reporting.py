"""Reports shared by `rescuebot report` and the chat: load, aggregate, render."""

from __future__ import annotations

from datetime import date

from common.clock import Clock, SystemClock, local_today
from common.settings import Settings
from reports import model, queries, render
from reports.chart import chart_language
from storage.db import Database


async def build_report(
    db: Database,
    settings: Settings,
    kind: str,
    year: int | None,
    lang: str,
    *,
    team: str | None = None,
    clock: Clock | None = None,
    charts: bool = True,
) -> render.Rendered:
    """One report; `team` narrows it to one team (a leader's view), None is every team.

    `year` applies to missions and training; the others describe today. `charts=False`
    (text only, as on the command line) never loads matplotlib.
    """
    kind = model.parse_kind(kind)
    today = local_today(clock or SystemClock(), settings.tz)
    year = model.check_year(year) if year is not None else today.year
    # Every query is narrowed to the team in SQL: a team's report reads a team's rows.
    basics = await queries.load_basics(db, team, skills=kind in ("roster", "readiness"))
    chart_lang = chart_language(lang) if charts else lang
    if kind == "missions":
        missions = await queries.load_missions(db, year, settings.tz, team)
        report = model.missions_report(
            missions,
            basics.by_id,
            basics.teams,
            year=year,
            tz=settings.tz,
            target=settings.mission_target,
            team=team,
            bureau_count=await queries.count_missions(db, year, settings.tz) if team else None,
        )
        return _charted(render.missions(report, basics.teams, lang, chart_lang), charts)
    if kind == "training":
        sessions = await queries.load_sessions(db, year, team)
        fitness = await queries.load_fitness(db, year=year, team=team)
        trained = await queries.load_trained(db, year, team)
        training = model.training_report(
            sessions, fitness, basics.people, basics.teams, year=year, team=team, trained=trained
        )
        return _charted(render.training(training, basics.teams, lang, chart_lang), charts)
    if kind == "insurance":
        policies = await queries.load_policies(db, today, team)
        insurance = model.insurance_report(
            basics.people, policies, basics.teams, day=today, team=team
        )
        return render.insurance(insurance, basics.teams, lang)
    if kind == "roster":
        roster = model.roster_report(
            basics.people, basics.teams, basics.skill_codes, day=today, team=team
        )
        return render.roster(roster, basics.teams, basics.skill_labels, lang)
    policies = await queries.load_policies(db, today, team)
    passes = await queries.load_fitness(db, upto=today, team=team)
    readiness = model.readiness_report(
        basics.people,
        model.readiness_from(basics.people, policies, passes, today),
        basics.teams,
        basics.skill_codes,
        day=today,
        team=team,
    )
    return render.readiness(readiness, basics.teams, basics.skill_labels, lang)


def _charted(rendered: render.Rendered, charts: bool) -> render.Rendered:
    if not charts:
        rendered.chart = None
    return rendered


async def text_report(
    db: Database, settings: Settings, kind: str, year: int | None, lang: str
) -> str:
    """`rescuebot report KIND [--year Y]`: the chat's text summary for every team."""
    return (await build_report(db, settings, kind, year, lang, charts=False)).text


def file_name(rendered: render.Rendered, year: int | None, team: str | None, today: date) -> str:
    """`missions-2026.xlsx`, `readiness-SD-2026-06-01.xlsx`: what and when, at a glance."""
    when = str(year or today.year) if rendered.kind in model.YEARLY_KINDS else today.isoformat()
    parts = [rendered.kind, *([team] if team else []), when]
    return "-".join(parts) + ".xlsx"
