"""The five reports as pure aggregations over plain data — no storage, no Telegram.

The query module (`reports.queries`) reads the rows; these functions count them.
Readiness reuses the callout rules (`missions.model.exclusion_reason`) so the
report says exactly what a callout would do right now.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from common.errors import DomainError
from common.numbers import plain_int
from insurance.model import Policy, TeamCoverage, insurance_status, team_coverage
from missions.model import MISSION_TYPES, Readiness, Reason, exclusion_reason
from roster.model import Role, Volunteer
from roster.taxonomy import Team

KINDS: tuple[str, ...] = ("missions", "training", "insurance", "roster", "readiness")
# Reports that describe a year; the others are a snapshot of today.
YEARLY_KINDS = frozenset({"missions", "training"})
FIRST_YEAR, LAST_YEAR = 1990, 2100
TOP_VOLUNTEERS = 10
MONTHS = 12


def parse_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in KINDS:
        raise DomainError("report.error.kind", value=text, kinds="|".join(KINDS))
    return kind


def check_year(value: int | str) -> int:
    """A plausible calendar year, else DomainError naming the right form."""
    text = str(value).strip()
    year = plain_int(text, LAST_YEAR)
    if year is None or year < FIRST_YEAR:
        raise DomainError("error.bad_year", value=text)
    return year


def year_range_utc(year: int, tz: ZoneInfo) -> tuple[str, str]:
    """The local calendar year as a half-open range of UTC ISO texts.

    Missions store their start as UTC ISO text, so a mission at 20:00 UTC on
    31 December is already next year in Asia/Shanghai.
    """
    start = datetime.combine(date(year, 1, 1), time(0), tz).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tz).astimezone(UTC)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


# --- missions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MissionRecord:
    id: int
    type: str
    teams: tuple[str, ...]
    started_at: datetime  # aware
    rescued: int
    participants: dict[int, float]  # volunteer id → hours
    outcome: str = ""  # `/close outcome=` or `/mission add … outcome=`


@dataclass(frozen=True)
class TopVolunteer:
    name: str
    team_code: str
    hours: float
    missions: int


@dataclass
class MissionsReport:
    year: int
    team: str | None  # None: all teams
    target: int
    bureau_count: int  # every team's missions, against the target
    count: int
    rescued: int
    volunteer_hours: float
    turnouts: int  # participant entries (person-missions)
    by_type: dict[str, int]  # type code → missions, menu order, non-zero only
    by_team: dict[str, tuple[int, float]]  # team → (missions, volunteer-hours)
    by_month: list[int]
    by_month_type: dict[str, list[int]]  # for the chart
    top: list[TopVolunteer]
    rows: list[tuple[date, MissionRecord]]  # local start day, for the sheet


def missions_report(
    missions: Iterable[MissionRecord],
    people: dict[int, Volunteer],
    teams: list[Team],
    *,
    year: int,
    tz: ZoneInfo,
    target: int,
    team: str | None = None,
    bureau_count: int | None = None,
) -> MissionsReport:
    """`missions` are those started in the local `year`; `team` narrows to missions it joined
    and to its own volunteers' hours. `bureau_count`, every team's missions that year, when
    `missions` were already narrowed to the team's (the default counts `missions`)."""
    everything = [m for m in missions if m.started_at.astimezone(tz).year == year]
    chosen = [m for m in everything if team is None or team in m.teams]

    def counts(volunteer_id: int) -> bool:
        person = people.get(volunteer_id)
        return team is None or (person is not None and person.team_code == team)

    by_type_counter: Counter[str] = Counter(m.type for m in chosen)
    by_type = {code: by_type_counter[code] for code in MISSION_TYPES if by_type_counter[code]}
    by_type.update({c: n for c, n in by_type_counter.items() if c not in MISSION_TYPES})
    team_codes = [t.code for t in teams] if team is None else [team]
    team_missions: Counter[str] = Counter(code for m in chosen for code in set(m.teams))
    team_hours: dict[str, float] = defaultdict(float)
    by_month = [0] * MONTHS
    by_month_type: dict[str, list[int]] = {}
    person_hours: dict[int, float] = defaultdict(float)
    person_missions: Counter[int] = Counter()
    rows: list[tuple[date, MissionRecord]] = []
    for m in chosen:
        local = m.started_at.astimezone(tz)
        by_month[local.month - 1] += 1
        by_month_type.setdefault(m.type, [0] * MONTHS)[local.month - 1] += 1
        rows.append((local.date(), m))
        for volunteer_id, hours in m.participants.items():
            if not counts(volunteer_id):
                continue
            person_hours[volunteer_id] += hours
            person_missions[volunteer_id] += 1
            person = people.get(volunteer_id)
            if person is not None:
                team_hours[person.team_code] += hours
    top = [
        TopVolunteer(
            people[v].name if v in people else f"#{v}",
            people[v].team_code if v in people else "",
            round(hours, 1),
            person_missions[v],
        )
        for v, hours in sorted(person_hours.items(), key=lambda item: (-item[1], item[0]))[
            :TOP_VOLUNTEERS
        ]
    ]
    return MissionsReport(
        year=year,
        team=team,
        target=target,
        bureau_count=len(everything) if bureau_count is None else bureau_count,
        count=len(chosen),
        rescued=sum(m.rescued for m in chosen),
        volunteer_hours=round(sum(person_hours.values()), 1),
        turnouts=sum(person_missions.values()),
        by_type=by_type,
        by_team={
            code: (team_missions[code], round(team_hours[code], 1))
            for code in team_codes
            if team_missions[code] or team_hours[code]
        },
        by_month=by_month,
        by_month_type={c: by_month_type[c] for c in by_type if c in by_month_type},
        top=top,
        rows=sorted(rows, key=lambda r: (r[1].started_at, r[1].id)),
    )


# --- training ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRecord:
    id: int
    team_code: str
    date: date
    hours: float
    attendees: frozenset[int]
    # How many attended, when counted in SQL without listing them (`attendees` is then
    # empty and who trained comes separately).
    count: int | None = None

    @property
    def attendance(self) -> int:
        return len(self.attendees) if self.count is None else self.count


@dataclass(frozen=True)
class FitnessRecord:
    volunteer_id: int
    date: date
    passed: bool


@dataclass
class TeamTraining:
    team: Team
    sessions: int = 0
    hours: float = 0.0
    attendances: int = 0  # person-sessions
    person_hours: float = 0.0
    members: int = 0  # active members
    trained: int = 0  # active members at one session or more (of any team)
    untrained: list[str] = field(default_factory=list)
    fitness_tested: int = 0
    fitness_passed: int = 0

    @property
    def pass_rate(self) -> float | None:
        return self.fitness_passed / self.fitness_tested if self.fitness_tested else None


@dataclass
class TrainingReport:
    year: int
    team: str | None
    teams: list[TeamTraining]
    hours_by_month_team: dict[str, list[float]]  # for the chart

    @property
    def sessions(self) -> int:
        return sum(t.sessions for t in self.teams)

    @property
    def hours(self) -> float:
        return sum(t.hours for t in self.teams)


def training_report(
    sessions: Iterable[SessionRecord],
    fitness: Iterable[FitnessRecord],
    people: list[Volunteer],
    teams: list[Team],
    *,
    year: int,
    team: str | None = None,
    trained: set[int] | None = None,
) -> TrainingReport:
    """Sessions run by each team in `year`; a volunteer is trained if they attended any
    team's session (`trained`, when the sessions were narrowed to one team's, names them);
    fitness: of those tested in `year`, who passed at least once."""
    chosen_teams = [t for t in teams if team is None or t.code == team]
    rows = {t.code: TeamTraining(t) for t in chosen_teams}
    by_month: dict[str, list[float]] = {t.code: [0.0] * MONTHS for t in chosen_teams}
    attended = _count_sessions(sessions, year, rows, by_month)
    _count_people(
        people,
        rows,
        attended=trained if trained is not None else attended,
        tested=_fitness_outcomes(fitness, year),
    )
    return TrainingReport(year, team, list(rows.values()), by_month)


def _count_sessions(
    sessions: Iterable[SessionRecord],
    year: int,
    rows: dict[str, TeamTraining],
    by_month: dict[str, list[float]],
) -> set[int]:
    """Adds `year`'s sessions to their team's row and month; returns everyone who attended
    any of them (whichever team ran it)."""
    attended: set[int] = set()
    for s in sessions:
        if s.date.year != year:
            continue
        attended |= s.attendees
        row = rows.get(s.team_code)
        if row is None:
            continue
        row.sessions += 1
        row.hours += s.hours
        row.attendances += s.attendance
        row.person_hours += s.hours * s.attendance
        by_month[s.team_code][s.date.month - 1] += s.hours
    return attended


def _fitness_outcomes(fitness: Iterable[FitnessRecord], year: int) -> dict[int, bool]:
    """Of those tested in `year`: volunteer id → passed at least once."""
    tested: dict[int, bool] = {}
    for f in fitness:
        if f.date.year == year:
            tested[f.volunteer_id] = tested.get(f.volunteer_id, False) or f.passed
    return tested


def _count_people(
    people: list[Volunteer],
    rows: dict[str, TeamTraining],
    *,
    attended: set[int],
    tested: dict[int, bool],
) -> None:
    """Each active member of a reported team: trained or not (by name), fitness tested and
    passed."""
    for person in sorted(people, key=lambda p: p.name):
        row = rows.get(person.team_code)
        if row is None or not person.active:
            continue
        row.members += 1
        if person.id in attended:
            row.trained += 1
        else:
            row.untrained.append(person.name)
        if person.id in tested:
            row.fitness_tested += 1
            row.fitness_passed += int(tested[person.id])


# --- insurance ---------------------------------------------------------------------------


@dataclass
class InsuranceReport:
    day: date
    team: str | None
    teams: list[tuple[Team, TeamCoverage]]


def insurance_report(
    people: list[Volunteer],
    policies: dict[int, list[Policy]],
    teams: list[Team],
    *,
    day: date,
    team: str | None = None,
) -> InsuranceReport:
    """Active volunteers by insurance status on `day` (the insurance module's own rule)."""
    result = []
    for t in teams:
        if team is not None and t.code != team:
            continue
        members = [p for p in people if p.team_code == t.code and p.active]
        coverage = team_coverage(t.code, ((p.name, policies.get(p.id, [])) for p in members), day)
        result.append((t, coverage))
    return InsuranceReport(day, team, result)


# --- roster ------------------------------------------------------------------------------


@dataclass
class TeamRoster:
    team: Team
    headcount: int = 0
    active: int = 0
    linked: int = 0  # active and linked
    away: int = 0  # active and away today
    leaders: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)
    skills: dict[str, tuple[int, int]] = field(default_factory=dict)  # code → (holders, valid)

    @property
    def not_linked(self) -> int:
        return self.active - self.linked


@dataclass
class RosterReport:
    day: date
    team: str | None
    teams: list[TeamRoster]
    skill_codes: list[str]


def roster_report(
    people: list[Volunteer],
    teams: list[Team],
    skill_codes: list[str],
    *,
    day: date,
    team: str | None = None,
) -> RosterReport:
    """Headcount counts everyone on file; the other figures count active volunteers."""
    rows = {t.code: TeamRoster(t) for t in teams if team is None or t.code == team}
    holders: dict[str, Counter[str]] = {code: Counter() for code in rows}
    valid: dict[str, Counter[str]] = {code: Counter() for code in rows}
    for person in sorted(people, key=lambda p: (p.name, p.id)):
        row = rows.get(person.team_code)
        if row is None:
            continue
        row.headcount += 1
        if person.role is Role.LEADER:
            row.leaders.append(person.name)
        elif person.role is Role.DEPUTY:
            row.deputies.append(person.name)
        if not person.active:
            continue
        row.active += 1
        row.linked += int(person.linked)
        row.away += int(person.away_on(day))
        for holding in person.skills:
            holders[person.team_code][holding.code] += 1
            valid[person.team_code][holding.code] += int(holding.valid_on(day))
    for code, row in rows.items():
        row.skills = {
            s: (holders[code][s], valid[code][s]) for s in skill_codes if holders[code][s]
        }
    return RosterReport(day, team, list(rows.values()), skill_codes)


# --- readiness ---------------------------------------------------------------------------

# The reasons the readiness table counts, in the callout board's order.
READINESS_REASONS: tuple[Reason, ...] = (
    Reason.INACTIVE,
    Reason.NOT_LINKED,
    Reason.AWAY,
    Reason.UNINSURED,
    Reason.SKILL_EXPIRED,
    Reason.NO_FITNESS,
)


@dataclass
class Deployability:
    """Of `total` people, `ready` could be paged now; `reasons` says why the rest could not."""

    total: int = 0
    ready: int = 0
    reasons: Counter[Reason] = field(default_factory=Counter)


@dataclass
class TeamReadiness:
    team: Team
    general: Deployability  # a callout with no skill or fitness requirement
    fitness: Deployability  # a mountain search: fitness pass required
    skills: dict[str, Deployability]  # code → among holders of that skill


@dataclass
class ReadinessReport:
    day: date
    team: str | None
    teams: list[TeamReadiness]
    skill_codes: list[str]

    def skill_total(self, code: str) -> Deployability:
        total = Deployability()
        for row in self.teams:
            part = row.skills.get(code)
            if part is not None:
                total.total += part.total
                total.ready += part.ready
                total.reasons.update(part.reasons)
        return total

    def overall(self, which: str) -> Deployability:
        total = Deployability()
        for row in self.teams:
            part: Deployability = getattr(row, which)
            total.total += part.total
            total.ready += part.ready
            total.reasons.update(part.reasons)
        return total


def _tally(
    target: Deployability,
    person: Volunteer,
    readiness: Readiness,
    *,
    skills: tuple[str, ...],
    require_fitness: bool,
    day: date,
) -> None:
    target.total += 1
    found = exclusion_reason(
        person, readiness, skills=skills, require_fitness=require_fitness, day=day
    )
    if found is None:
        target.ready += 1
    else:
        target.reasons[found[0]] += 1


def readiness_report(
    people: list[Volunteer],
    readiness: dict[int, Readiness],
    teams: list[Team],
    skill_codes: list[str],
    *,
    day: date,
    team: str | None = None,
) -> ReadinessReport:
    """Who could be paged on `day`, by the very rules a callout applies.

    Per skill, only the volunteers holding that skill are counted: a missing
    skill is not a fault to fix before the next callout, an expired one is.
    """
    rows = {
        t.code: TeamReadiness(t, Deployability(), Deployability(), {})
        for t in teams
        if team is None or t.code == team
    }
    for person in people:
        row = rows.get(person.team_code)
        if row is None:
            continue
        state = readiness.get(person.id, Readiness(insured=False))
        _tally(row.general, person, state, skills=(), require_fitness=False, day=day)
        _tally(row.fitness, person, state, skills=(), require_fitness=True, day=day)
        for holding in person.skills:
            target = row.skills.setdefault(holding.code, Deployability())
            _tally(target, person, state, skills=(holding.code,), require_fitness=False, day=day)
    for row in rows.values():
        row.skills = {s: row.skills[s] for s in skill_codes if s in row.skills} | {
            s: d for s, d in row.skills.items() if s not in skill_codes
        }
    return ReadinessReport(day, team, list(rows.values()), skill_codes)


def readiness_from(
    people: list[Volunteer],
    policies: dict[int, list[Policy]],
    fitness: Iterable[FitnessRecord],
    day: date,
) -> dict[int, Readiness]:
    """What the callout rules need beyond the Volunteer: insured on `day` (the insurance
    module's status) and the last fitness pass on or before `day`."""
    last_pass: dict[int, date] = {}
    for f in fitness:
        if f.passed and f.date <= day and f.date > last_pass.get(f.volunteer_id, date.min):
            last_pass[f.volunteer_id] = f.date
    return {
        p.id: Readiness(
            insured=insurance_status(policies.get(p.id, []), day).insured,
            last_fitness_pass=last_pass.get(p.id),
        )
        for p in people
    }
