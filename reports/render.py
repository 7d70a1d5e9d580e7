"""The reports as a text summary, spreadsheet sheets and a chart description, in zh or en.

No personal data beyond names: a report may be asked for in a group chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.spreadsheet import Percent, Sheet
from common.spreadsheet import workbook_bytes as workbook_bytes
from i18n.catalogue import t
from i18n.labels import bilingual, join
from insurance.model import InsuranceState
from missions.model import MISSION_TYPES, type_label
from reports.model import (
    MONTHS,
    READINESS_REASONS,
    TOP_VOLUNTEERS,
    Deployability,
    InsuranceReport,
    MissionsReport,
    ReadinessReport,
    RosterReport,
    TrainingReport,
)
from roster.taxonomy import Team

NAMES_SHOWN = 40  # names per line in the text; the sheet has them all


@dataclass
class ChartSpec:
    """A stacked bar chart by month; labels already in the chart's language."""

    title: str
    y_label: str
    x_labels: list[str]
    series: list[tuple[str, list[float]]]
    colours: list[int] | None = None  # a palette index per series: the same type, the same colour
    target: float | None = None  # a yearly target, drawn against the running total
    target_label: str = ""
    running_label: str = ""


@dataclass
class Rendered:
    kind: str
    text: str
    sheets: list[Sheet]
    chart: ChartSpec | None = None


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def _names(names: list[str], lang: str) -> str:
    shown = join(names[:NAMES_SHOWN], lang)
    if len(names) > NAMES_SHOWN:
        shown += t("report.more", lang, count=len(names) - NAMES_SHOWN)
    return shown


def _scope(team: str | None, teams: list[Team], lang: str) -> str:
    if team is None:
        return t("report.scope.all", lang)
    name = next((x.name for x in teams if x.code == team), team)
    return t("report.scope.team", lang, code=team, name=name)


def _team_names(teams: list[Team]) -> dict[str, str]:
    return {x.code: x.name for x in teams}


def months(lang: str) -> list[str]:
    return [t(f"report.month.{m}", lang) for m in range(1, MONTHS + 1)]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


# --- missions ----------------------------------------------------------------------------


def missions(report: MissionsReport, teams: list[Team], lang: str, chart_lang: str) -> Rendered:
    return Rendered(
        "missions",
        "\n".join(_missions_lines(report, teams, lang)),
        _missions_sheets(report, teams, lang),
        _missions_chart(report, chart_lang),
    )


def _missions_lines(report: MissionsReport, teams: list[Team], lang: str) -> list[str]:
    lines = [
        t("report.missions.title", lang, year=report.year, scope=_scope(report.team, teams, lang))
    ]
    if report.team is None:
        lines.append(t("report.missions.count", lang, count=report.count, target=report.target))
    else:
        lines.append(
            t(
                "report.missions.count_team",
                lang,
                count=report.count,
                bureau=report.bureau_count,
                target=report.target,
            )
        )
    lines.append(
        t(
            "report.missions.totals",
            lang,
            rescued=report.rescued,
            turnouts=report.turnouts,
            hours=_num(report.volunteer_hours),
        )
    )
    if not report.count:
        lines.append(t("report.missions.none", lang))
    else:
        lines += _missions_breakdown(report, _team_names(teams), lang)
    return lines


def _missions_breakdown(report: MissionsReport, names: dict[str, str], lang: str) -> list[str]:
    """By type, by team, by month and the most active volunteers, for a year with missions."""
    lines: list[str] = []
    items = [f"{type_label(c, lang)} {n}" for c, n in report.by_type.items()]
    lines.append(t("report.missions.by_type", lang, items=join(items, lang)))
    lines.append(t("report.missions.by_team", lang))
    for code, (count, hours) in report.by_team.items():
        lines.append(
            t(
                "report.missions.team_line",
                lang,
                code=code,
                name=names.get(code, code),
                count=count,
                hours=_num(hours),
            )
        )
    month_names = months(lang)
    items = [f"{month_names[i]} {n}" for i, n in enumerate(report.by_month) if n]
    lines.append(t("report.missions.by_month", lang, items=join(items, lang)))
    if report.top:
        lines.append(t("report.missions.top", lang, count=min(TOP_VOLUNTEERS, len(report.top))))
        for rank, person in enumerate(report.top, start=1):
            lines.append(
                t(
                    "report.missions.top_line",
                    lang,
                    rank=rank,
                    name=person.name,
                    code=person.team_code,
                    hours=_num(person.hours),
                    missions=person.missions,
                )
            )
    return lines


def _missions_sheets(report: MissionsReport, teams: list[Team], lang: str) -> list[Sheet]:
    return _missions_summary_sheets(report, teams, lang) + _missions_detail_sheets(report, lang)


def _missions_summary_sheets(report: MissionsReport, teams: list[Team], lang: str) -> list[Sheet]:
    """The year's figures, by type and by team."""
    names = _team_names(teams)
    return [
        Sheet(
            t("report.sheet.summary", lang),
            [t("report.col.item", lang), t("report.col.value", lang)],
            [
                [t("report.col.year", lang), report.year],
                [t("report.col.scope", lang), _scope(report.team, teams, lang)],
                [t("report.col.missions", lang), report.count],
                [t("report.col.bureau_missions", lang), report.bureau_count],
                [t("report.col.target", lang), report.target],
                [t("report.col.rescued", lang), report.rescued],
                [t("report.col.turnouts", lang), report.turnouts],
                [t("report.col.volunteer_hours", lang), report.volunteer_hours],
            ],
        ),
        Sheet(
            t("report.sheet.by_type", lang),
            [
                t("report.col.type", lang),
                t("report.col.label", lang),
                t("report.col.missions", lang),
            ],
            [[c, type_label(c, lang), n] for c, n in report.by_type.items()],
        ),
        Sheet(
            t("report.sheet.by_team", lang),
            [
                t("report.col.code", lang),
                t("report.col.team", lang),
                t("report.col.missions", lang),
                t("report.col.volunteer_hours", lang),
            ],
            [[c, names.get(c, c), n, h] for c, (n, h) in report.by_team.items()],
        ),
    ]


def _missions_detail_sheets(report: MissionsReport, lang: str) -> list[Sheet]:
    """By month (and type), every mission, the most active volunteers."""
    month_names = months(lang)
    type_codes = list(report.by_type)
    return [
        Sheet(
            t("report.sheet.by_month", lang),
            [t("report.col.month", lang), t("report.col.missions", lang)]
            + [type_label(c, lang) for c in type_codes],
            [
                [month_names[i], report.by_month[i]]
                + [report.by_month_type.get(c, [0] * MONTHS)[i] for c in type_codes]
                for i in range(MONTHS)
            ],
        ),
        Sheet(
            t("report.sheet.missions", lang),
            [
                "#",
                t("report.col.date", lang),
                t("report.col.type", lang),
                t("report.col.teams", lang),
                t("report.col.rescued", lang),
                t("report.col.participants", lang),
                t("report.col.volunteer_hours", lang),
                t("report.col.outcome", lang),
            ],
            [
                [
                    m.id,
                    day,
                    type_label(m.type, lang),
                    ",".join(m.teams),
                    m.rescued,
                    len(m.participants),
                    round(sum(m.participants.values()), 1),
                    m.outcome,
                ]
                for day, m in report.rows
            ],
        ),
        Sheet(
            t("report.sheet.top", lang),
            [
                t("report.col.rank", lang),
                t("report.col.name", lang),
                t("report.col.code", lang),
                t("report.col.volunteer_hours", lang),
                t("report.col.missions", lang),
            ],
            [[i, p.name, p.team_code, p.hours, p.missions] for i, p in enumerate(report.top, 1)],
        ),
    ]


def _missions_chart(report: MissionsReport, chart_lang: str) -> ChartSpec:
    type_codes = list(report.by_type)
    charted = [c for c in type_codes if c in report.by_month_type]
    chart = ChartSpec(
        title=t("report.chart.missions", chart_lang, year=report.year),
        y_label=t("report.chart.missions_y", chart_lang),
        x_labels=months(chart_lang),
        series=[
            (type_label(c, chart_lang), [float(v) for v in report.by_month_type[c]])
            for c in charted
        ],
        colours=[_type_colour(c) for c in charted],
        target=float(report.target),
        target_label=t("report.chart.target", chart_lang, target=report.target),
        running_label=t("report.chart.running", chart_lang),
    )
    return chart


def _type_colour(code: str) -> int:
    codes = list(MISSION_TYPES)
    return codes.index(code) if code in codes else len(codes)


# --- training ----------------------------------------------------------------------------


def training(report: TrainingReport, teams: list[Team], lang: str, chart_lang: str) -> Rendered:
    return Rendered(
        "training",
        "\n".join(_training_lines(report, teams, lang)),
        _training_sheets(report, lang),
        _training_chart(report, chart_lang),
    )


def _training_lines(report: TrainingReport, teams: list[Team], lang: str) -> list[str]:
    lines = [
        t("report.training.title", lang, year=report.year, scope=_scope(report.team, teams, lang)),
        t(
            "report.training.totals",
            lang,
            sessions=report.sessions,
            hours=_num(report.hours),
        ),
    ]
    for row in report.teams:
        rate = (
            t(
                "report.training.rate",
                lang,
                passed=row.fitness_passed,
                tested=row.fitness_tested,
                percent=_percent(row.fitness_passed, row.fitness_tested),
            )
            if row.fitness_tested
            else t("report.training.no_tests", lang)
        )
        lines.append(
            t(
                "report.training.team_line",
                lang,
                code=row.team.code,
                name=row.team.name,
                sessions=row.sessions,
                hours=_num(row.hours),
                attendances=row.attendances,
                person_hours=_num(row.person_hours),
                trained=row.trained,
                members=row.members,
                rate=rate,
            )
        )
        if row.untrained:
            lines.append(
                t(
                    "report.training.untrained",
                    lang,
                    count=len(row.untrained),
                    names=_names(row.untrained, lang),
                )
            )
    return lines


def _training_sheets(report: TrainingReport, lang: str) -> list[Sheet]:
    month_names = months(lang)
    sheets = [
        Sheet(
            t("report.sheet.teams", lang),
            [
                t("report.col.code", lang),
                t("report.col.team", lang),
                t("report.col.sessions", lang),
                t("report.col.hours", lang),
                t("report.col.attendances", lang),
                t("report.col.person_hours", lang),
                t("report.col.members", lang),
                t("report.col.trained", lang),
                t("report.col.untrained", lang),
                t("report.col.fitness_tested", lang),
                t("report.col.fitness_passed", lang),
                t("report.col.pass_rate", lang),
            ],
            [
                [
                    r.team.code,
                    r.team.name,
                    r.sessions,
                    round(r.hours, 1),
                    r.attendances,
                    round(r.person_hours, 1),
                    r.members,
                    r.trained,
                    len(r.untrained),
                    r.fitness_tested,
                    r.fitness_passed,
                    Percent(r.pass_rate) if r.pass_rate is not None else None,
                ]
                for r in report.teams
            ],
        ),
        Sheet(
            t("report.sheet.untrained", lang),
            [t("report.col.code", lang), t("report.col.name", lang)],
            [[r.team.code, name] for r in report.teams for name in r.untrained],
        ),
        Sheet(
            t("report.sheet.by_month", lang),
            [t("report.col.month", lang)] + [r.team.code for r in report.teams],
            [
                [month_names[i]]
                + [round(report.hours_by_month_team[r.team.code][i], 1) for r in report.teams]
                for i in range(MONTHS)
            ],
        ),
    ]
    return sheets


def _training_chart(report: TrainingReport, chart_lang: str) -> ChartSpec:
    chart = ChartSpec(
        title=t("report.chart.training", chart_lang, year=report.year),
        y_label=t("report.chart.training_y", chart_lang),
        x_labels=months(chart_lang),
        series=[(r.team.code, report.hours_by_month_team[r.team.code]) for r in report.teams],
    )
    return chart


# --- insurance ---------------------------------------------------------------------------

_NOT_VALID = (InsuranceState.EXPIRING, InsuranceState.EXPIRED, InsuranceState.NONE)


def insurance(report: InsuranceReport, teams: list[Team], lang: str) -> Rendered:
    lines = [
        t(
            "report.insurance.title",
            lang,
            date=report.day.isoformat(),
            scope=_scope(report.team, teams, lang),
        )
    ]
    detail_rows: list[list[Any]] = []
    for team, coverage in report.teams:
        lines.append(
            t(
                "report.insurance.team_line",
                lang,
                code=team.code,
                name=team.name,
                **{s.value: coverage.count(s) for s in InsuranceState},
            )
        )
        for state in _NOT_VALID:
            entries = coverage.by_state.get(state, [])
            if not entries:
                continue
            shown = [
                name
                if status.until is None
                else t("report.insurance.name_until", lang, name=name, date=status.until)
                for name, status in entries
            ]
            lines.append(t(f"report.insurance.{state.value}", lang, names=_names(shown, lang)))
            for name, status in entries:
                detail_rows.append(
                    [
                        team.code,
                        name,
                        t(f"report.state.{state.value}", lang),
                        status.until,
                        status.days_left,
                    ]
                )
    sheets = [
        Sheet(
            t("report.sheet.teams", lang),
            [t("report.col.code", lang), t("report.col.team", lang)]
            + [t(f"report.state.{s.value}", lang) for s in InsuranceState],
            [
                [team.code, team.name] + [coverage.count(s) for s in InsuranceState]
                for team, coverage in report.teams
            ],
        ),
        Sheet(
            t("report.sheet.not_valid", lang),
            [
                t("report.col.code", lang),
                t("report.col.name", lang),
                t("report.col.status", lang),
                t("report.col.until", lang),
                t("report.col.days_left", lang),
            ],
            detail_rows,
        ),
    ]
    return Rendered("insurance", "\n".join(lines), sheets)


# --- roster ------------------------------------------------------------------------------


def _skill_label(code: str, labels: dict[str, tuple[str, str]], lang: str) -> str:
    zh, en = labels.get(code, (code, code))
    return bilingual(zh, en, lang)


def roster(
    report: RosterReport, teams: list[Team], labels: dict[str, tuple[str, str]], lang: str
) -> Rendered:
    return Rendered(
        "roster",
        "\n".join(_roster_lines(report, teams, labels, lang)),
        _roster_sheets(report, labels, lang),
    )


def _roster_lines(
    report: RosterReport, teams: list[Team], labels: dict[str, tuple[str, str]], lang: str
) -> list[str]:
    none = t("report.none", lang)
    lines = [
        t(
            "report.roster.title",
            lang,
            date=report.day.isoformat(),
            scope=_scope(report.team, teams, lang),
        )
    ]
    for row in report.teams:
        lines.append(
            t(
                "report.roster.team_line",
                lang,
                code=row.team.code,
                name=row.team.name,
                headcount=row.headcount,
                active=row.active,
                linked=row.linked,
                not_linked=row.not_linked,
                away=row.away,
            )
        )
        lines.append(
            t(
                "report.roster.leaders",
                lang,
                leaders=join(row.leaders, lang) or none,
                deputies=join(row.deputies, lang) or none,
            )
        )
        if row.skills:
            items = [
                f"{_skill_label(c, labels, lang)} {valid}/{held}"
                for c, (held, valid) in row.skills.items()
            ]
            lines.append(t("report.roster.skills", lang, items=join(items, lang)))
    return lines


def _roster_sheets(
    report: RosterReport, labels: dict[str, tuple[str, str]], lang: str
) -> list[Sheet]:
    sheets = [
        Sheet(
            t("report.sheet.teams", lang),
            [
                t("report.col.code", lang),
                t("report.col.team", lang),
                t("report.col.headcount", lang),
                t("report.col.active", lang),
                t("report.col.linked", lang),
                t("report.col.not_linked", lang),
                t("report.col.away", lang),
                t("report.col.leaders", lang),
                t("report.col.deputies", lang),
            ],
            [
                [
                    r.team.code,
                    r.team.name,
                    r.headcount,
                    r.active,
                    r.linked,
                    r.not_linked,
                    r.away,
                    join(r.leaders, lang),
                    join(r.deputies, lang),
                ]
                for r in report.teams
            ],
        ),
        Sheet(
            t("report.sheet.skills", lang),
            [
                t("report.col.code", lang),
                t("report.col.skill", lang),
                t("report.col.label", lang),
                t("report.col.holders", lang),
                t("report.col.valid", lang),
            ],
            [
                [r.team.code, c, _skill_label(c, labels, lang), held, valid]
                for r in report.teams
                for c, (held, valid) in r.skills.items()
            ],
        ),
    ]
    return sheets


# --- readiness ---------------------------------------------------------------------------


def _reasons(part: Deployability, lang: str) -> str:
    items = [
        f"{t(f'report.reason.{r.value}', lang)} {part.reasons[r]}"
        for r in READINESS_REASONS
        if part.reasons[r]
    ]
    return join(items, lang)


def readiness(
    report: ReadinessReport,
    teams: list[Team],
    labels: dict[str, tuple[str, str]],
    lang: str,
) -> Rendered:
    return Rendered(
        "readiness",
        "\n".join(_readiness_lines(report, teams, labels, lang)),
        _readiness_sheets(report, labels, lang),
    )


def _readiness_lines(
    report: ReadinessReport,
    teams: list[Team],
    labels: dict[str, tuple[str, str]],
    lang: str,
) -> list[str]:
    lines = [
        t(
            "report.readiness.title",
            lang,
            date=report.day.isoformat(),
            scope=_scope(report.team, teams, lang),
        )
    ]
    for row in report.teams:
        lines.append(
            t(
                "report.readiness.team_line",
                lang,
                code=row.team.code,
                name=row.team.name,
                ready=row.general.ready,
                total=row.general.total,
                fit=row.fitness.ready,
            )
        )
        why = _reasons(row.fitness, lang)
        if why:
            lines.append(t("report.readiness.reasons", lang, items=why))
    lines.append(t("report.readiness.by_skill", lang))
    lines += _readiness_skill_lines(report, labels, lang)
    lines.append(t("report.readiness.note", lang))
    return lines


def _readiness_skill_lines(
    report: ReadinessReport, labels: dict[str, tuple[str, str]], lang: str
) -> list[str]:
    """One line per skill anyone holds: ready of total, and why the others are not."""
    lines: list[str] = []
    skill_codes = list(
        dict.fromkeys([c for c in report.skill_codes] + [c for r in report.teams for c in r.skills])
    )
    for code in skill_codes:
        total = report.skill_total(code)
        if not total.total:
            continue
        why = _reasons(total, lang)
        lines.append(
            t(
                "report.readiness.skill_line",
                lang,
                label=_skill_label(code, labels, lang),
                ready=total.ready,
                total=total.total,
                reasons=t("report.readiness.skill_reasons", lang, items=why) if why else "",
            )
        )
    return lines


def _readiness_sheets(
    report: ReadinessReport, labels: dict[str, tuple[str, str]], lang: str
) -> list[Sheet]:
    reason_headers = [t(f"report.reason.{r.value}", lang) for r in READINESS_REASONS]
    sheets = [
        Sheet(
            t("report.sheet.teams", lang),
            [
                t("report.col.code", lang),
                t("report.col.team", lang),
                t("report.col.total", lang),
                t("report.col.ready", lang),
                t("report.col.ready_fit", lang),
                *reason_headers,
            ],
            [
                [
                    r.team.code,
                    r.team.name,
                    r.general.total,
                    r.general.ready,
                    r.fitness.ready,
                    *[r.fitness.reasons[x] for x in READINESS_REASONS],
                ]
                for r in report.teams
            ],
        ),
        Sheet(
            t("report.sheet.skills", lang),
            [
                t("report.col.code", lang),
                t("report.col.skill", lang),
                t("report.col.label", lang),
                t("report.col.holders", lang),
                t("report.col.ready", lang),
                *reason_headers,
            ],
            [
                [
                    r.team.code,
                    c,
                    _skill_label(c, labels, lang),
                    d.total,
                    d.ready,
                    *[d.reasons[x] for x in READINESS_REASONS],
                ]
                for r in report.teams
                for c, d in r.skills.items()
            ],
        ),
    ]
    return sheets
