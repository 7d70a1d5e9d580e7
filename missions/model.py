"""Callouts and missions as plain data and rules: types, who may be paged, the headcount.

No storage, no Telegram: the service feeds these functions what the repository read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from common.chat_options import named, parse_options
from common.errors import DomainError
from common.numbers import hours as typed_hours
from common.numbers import plain_int
from i18n.labels import label
from missions.places import check_places, has_counts, split_counted
from roster.model import Volunteer
from training.fitness import pass_valid_on

# code → (Chinese name, English name), named in i18n/labels.py. Order is the menu order.
_TYPE_CODES = (
    *("mountain", "flood", "water", "drowning", "traffic", "typhoon"),
    *("earthquake", "urban", "medical", "event", "drill", "other"),
)
MISSION_TYPES: dict[str, tuple[str, str]] = {
    code: (label("mission_type", code, "zh"), label("mission_type", code, "en"))
    for code in _TYPE_CODES
}
# Further names people type ("防汛/洪水救援", "地震/地质灾害").
TYPE_ALIASES: dict[str, str] = {
    "洪水救援": "flood",
    "洪水": "flood",
    "地质灾害": "earthquake",
    "山地": "mountain",
    "搜救": "mountain",
    "溺水": "drowning",
    "车祸": "traffic",
    "台风": "typhoon",
}
# A mountain search needs a fitness pass unless the caller waives it (fit=no).
FITNESS_TYPES = frozenset({"mountain"})
MAX_NEEDED = 300
MAX_LOCATION = 200
MAX_DESCRIPTION = 2000
# A /cancel reason is quoted in every stand-down message: it must leave them deliverable.
MAX_REASON = 500
MAX_RESCUED = 100_000  # people rescued in one mission: anything above is a typo
ETA_CHOICES = (15, 30, 60)


def type_label(code: str, lang: str) -> str:
    return label("mission_type", code, lang)


def parse_type(text: str) -> str:
    """A mission type by code, Chinese name or alias; DomainError lists the right ones."""
    wanted = text.strip()
    low = wanted.lower()
    if low in MISSION_TYPES:
        return low
    for code, (zh, en) in MISSION_TYPES.items():
        if wanted == zh or low == en:
            return code
    if wanted in TYPE_ALIASES:
        return TYPE_ALIASES[wanted]
    raise DomainError("callout.error.type", value=wanted, types=", ".join(MISSION_TYPES))


class Reason(StrEnum):
    """Why a volunteer of the chosen teams was not paged (board order)."""

    NOT_LINKED = "not_linked"
    INACTIVE = "inactive"
    AWAY = "away"
    UNINSURED = "uninsured"
    SKILL_MISSING = "skill_missing"
    SKILL_EXPIRED = "skill_expired"
    NO_FITNESS = "no_fitness"


@dataclass(frozen=True)
class Readiness:
    """What eligibility needs to know beyond the Volunteer itself."""

    insured: bool
    last_fitness_pass: date | None = None


@dataclass(frozen=True)
class Exclusion:
    volunteer_id: int
    reason: Reason
    detail: str = ""


def exclusion_reason(
    volunteer: Volunteer,
    readiness: Readiness,
    *,
    skills: tuple[str, ...],
    require_fitness: bool,
    day: date,
) -> tuple[Reason, str] | None:
    """None if the volunteer may be paged today, else the first reason (and detail) why not:
    standing (active, linked, here, insured), then the skills asked for, then fitness."""
    return (
        _standing_reason(volunteer, readiness, day)
        or _skill_reason(volunteer, skills, day)
        or (_fitness_reason(readiness, day) if require_fitness else None)
    )


def _standing_reason(
    volunteer: Volunteer, readiness: Readiness, day: date
) -> tuple[Reason, str] | None:
    if not volunteer.active:
        return Reason.INACTIVE, ""
    if not volunteer.linked:
        return Reason.NOT_LINKED, ""
    if volunteer.away_on(day):
        return Reason.AWAY, str(volunteer.away_until)
    if not readiness.insured:
        return Reason.UNINSURED, ""
    return None


def _skill_reason(
    volunteer: Volunteer, skills: tuple[str, ...], day: date
) -> tuple[Reason, str] | None:
    for code in skills:
        holding = volunteer.skill(code)
        if holding is None:
            return Reason.SKILL_MISSING, code
        if not holding.valid_on(day):
            return Reason.SKILL_EXPIRED, code
    return None


def _fitness_reason(readiness: Readiness, day: date) -> tuple[Reason, str] | None:
    # The same 12-month rule as the fitness records and their reminders.
    passed = readiness.last_fitness_pass
    return None if pass_valid_on(passed, day) else (Reason.NO_FITNESS, str(passed or ""))


def split_eligible(
    volunteers: list[Volunteer],
    readiness: dict[int, Readiness],
    *,
    skills: tuple[str, ...],
    require_fitness: bool,
    day: date,
) -> tuple[list[Volunteer], list[Exclusion]]:
    paged: list[Volunteer] = []
    left_out: list[Exclusion] = []
    for volunteer in volunteers:
        found = exclusion_reason(
            volunteer,
            readiness.get(volunteer.id, Readiness(insured=False)),
            skills=skills,
            require_fitness=require_fitness,
            day=day,
        )
        if found is None:
            paged.append(volunteer)
        else:
            left_out.append(Exclusion(volunteer.id, found[0], found[1]))
    return paged, left_out


# --- parsing what leaders type ------------------------------------------------------


@dataclass
class CalloutRequest:
    type: str
    needed: int
    location: str
    description: str = ""
    skills: tuple[str, ...] = ()
    teams: tuple[str, ...] | None = None  # None: the caller's own team
    all_teams: bool = False
    fitness: bool | None = None  # None: the type's default
    # `team=HR:3,QM:3`: places per team, in the order of `teams` (resolved to codes later).
    quotas: tuple[int, ...] = ()
    # `need=boat:2`: skill code → places of the headcount kept for holders of the skill.
    slots: dict[str, int] = field(default_factory=dict)

    def check_lengths(self) -> None:
        """A page must fit one Telegram message (4096 characters) with room for the rest."""
        for field_name, value, limit in (
            ("location", self.location, MAX_LOCATION),
            ("description", self.description, MAX_DESCRIPTION),
        ):
            if len(value) > limit:
                raise DomainError(
                    f"callout.error.{field_name}_too_long", length=len(value), max=limit
                )


def parse_needed(text: str) -> int:
    needed = plain_int(text, MAX_NEEDED)
    if needed is None or needed < 1:
        raise DomainError("callout.error.needed", value=text, max=MAX_NEEDED)
    return needed


_OPTION_NAMES = {
    "skills": "skill",
    "skill": "skill",
    "技能": "skill",
    "team": "team",
    "teams": "team",
    "队伍": "team",
    "fit": "fit",
    "need": "need",
    "needs": "need",
    "名额": "need",
    "体能": "fit",
    "rescued": "rescued",
    "获救": "rescued",
    "place": "place",
    "地点": "place",
    "people": "people",
    "participants": "people",
    "参与": "people",
    "参与者": "people",
    "outcome": "outcome",
    "结果": "outcome",
}
MAX_OUTCOME = 100
MAX_MISSION_HOURS = 24 * 14.0  # a fortnight's flood relief, at most


_OPTIONS = named(_OPTION_NAMES)
# `/widen ID team=…` (the chat syntax of every command lives with its parser).
WIDEN_OPTIONS = named({"team": "team", "teams": "team", "队伍": "team"})
# What the step-by-step `/callout` takes typed along with the place (`bot/callout_dialog.py`).
DESCRIBE_OPTIONS = named({k: v for k, v in _OPTION_NAMES.items() if v in ("need", "fit")})


def _split_options(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """(plain words, options) through the one chat option parser (`common/chat_options.py`):
    quoted values, `＝` and `，`, a repeated or unknown option refused."""
    parsed = parse_options(words, _OPTIONS)
    return parsed.words, parsed.options


def split_list(value: str) -> list[str]:
    for sep in ("、", ";", "，"):
        value = value.replace(sep, ",")
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_skills(value: str, aliases: dict[str, str]) -> tuple[str, ...]:
    """Skill codes from `a,b` (codes, Chinese or English labels, via `aliases` → code)."""
    codes: list[str] = []
    for part in split_list(value):
        code = aliases.get(part) or aliases.get(part.lower())
        if code is None:
            known = sorted(set(aliases.values()))
            raise DomainError("error.unknown_skill", value=part, skills=", ".join(known))
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_fit(value: str) -> bool:
    low = value.strip().lower()
    if low in ("yes", "y", "1", "true", "是", "要"):
        return True
    if low in ("no", "n", "0", "false", "否", "不要"):
        return False
    raise DomainError("callout.error.fit", value=value)


def parse_callout(args: list[str], skill_aliases: dict[str, str]) -> CalloutRequest:
    """`<type> <needed> <location> [description…] [skills=a,b] [team=CODE|all] [fit=yes|no]`."""
    plain, options = _split_options(args)
    if len(plain) < 3:
        raise DomainError("callout.usage")
    request = CalloutRequest(
        type=parse_type(plain[0]),
        needed=parse_needed(plain[1]),
        location=plain[2],
        description=" ".join(plain[3:]),
    )
    if "skill" in options:
        request.skills = parse_skills(options["skill"], skill_aliases)
    if "team" in options:
        teams = split_list(options["team"])
        if not teams:
            raise DomainError("callout.usage")
        if len(teams) == 1 and teams[0].lower() in ("all", "全部"):
            request.all_teams = True
        elif has_counts(options["team"]):
            counted = split_counted(options["team"], "multiteam.error.quota")
            request.teams = tuple(name for name, _ in counted)
            request.quotas = tuple(n for _, n in counted)
        else:
            request.teams = tuple(teams)
    if "need" in options:
        request.slots = parse_slots(options["need"], skill_aliases)
    if "fit" in options:
        request.fitness = parse_fit(options["fit"])
    check_places(
        request.needed,
        dict(zip(request.teams or (), request.quotas, strict=False)),
        request.slots,
    )
    return request


def parse_slots(value: str, aliases: dict[str, str]) -> dict[str, int]:
    """`water_rescue:2,boat:2` (codes or labels) → {skill code: places}."""
    slots: dict[str, int] = {}
    for name, count in split_counted(value, "multiteam.error.slot"):
        code = parse_skills(name, aliases)[0]
        slots[code] = slots.get(code, 0) + count
    return slots


def requires_fitness(type_code: str, choice: bool | None) -> bool:
    return (type_code in FITNESS_TYPES) if choice is None else choice


def parse_close(args: list[str]) -> tuple[int, str]:
    """`[rescued=N] [notes…]` after the callout id → (rescued, notes)."""
    plain, options = _split_options(args)
    rescued = 0
    if "rescued" in options:
        value = options["rescued"]
        count = plain_int(value, MAX_RESCUED)
        if count is None:
            raise DomainError("close.error.rescued", value=value)
        rescued = count
    return rescued, " ".join(plain)


def parse_callout_id(text: str | None, usage: str) -> int:
    raw = (text or "").lstrip("#")
    callout_id = plain_int(raw)
    if callout_id is None:
        raise DomainError(usage)
    return callout_id


@dataclass
class MissionEntry:
    """A mission logged afterwards with `/mission add`."""

    type: str
    day: date
    hours: float
    teams: tuple[str, ...]
    rescued: int = 0
    notes: str = ""
    place: str = ""
    people: tuple[str, ...] = ()  # names or phones; each credited with `hours`
    outcome: str = ""


def parse_outcome(args: list[str]) -> str:
    """`outcome=WORDS` among /close or /mission add options ('' when not given)."""
    _, options = _split_options(args)
    outcome = options.get("outcome", "").strip()
    if len(outcome) > MAX_OUTCOME:
        raise DomainError("mission.error.outcome", max=MAX_OUTCOME)
    return outcome


def parse_mission_add(args: list[str]) -> MissionEntry:
    """`<type> <date> <hours> <teams> [place=…] [people=a,b] [rescued=N] [outcome=…] [notes…]`;
    the caller checks team codes and finds the people."""
    from common.dates import parse_date

    plain, options = _split_options(args)
    if len(plain) < 4:
        raise DomainError("mission.usage")
    kind = parse_type(plain[0])
    try:
        day = parse_date(plain[1])
    except DomainError:
        raise DomainError("mission.error.date", value=plain[1]) from None
    hours = typed_hours(plain[2], MAX_MISSION_HOURS, "mission.error.hours")
    teams = tuple(split_list(plain[3]))
    rescued, _ = parse_close([f"rescued={options['rescued']}"] if "rescued" in options else [])
    place = options.get("place", "").strip()
    if len(place) > MAX_LOCATION:
        raise DomainError("callout.error.location_too_long", length=len(place), max=MAX_LOCATION)
    return MissionEntry(
        kind,
        day,
        hours,
        teams,
        rescued,
        " ".join(plain[4:]),
        place=place,
        people=tuple(split_list(options.get("people", ""))),
        outcome=parse_outcome(args),
    )


# --- responses and the headcount ------------------------------------------------------


class State(StrEnum):
    PAGED = "paged"  # no reply yet
    UNDELIVERABLE = "undeliverable"
    AVAILABLE = "available"  # confirmed: counts towards `needed`
    STANDBY = "standby"
    UNAVAILABLE = "unavailable"
    NO_REPLY = "no_reply"


class Status(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def ended(self) -> bool:
        return self in (Status.CLOSED, Status.CANCELLED)


@dataclass
class Response:
    volunteer_id: int
    state: State
    answered_at: datetime | None = None
    confirmed_at: datetime | None = None
    eta_minutes: int | None = None


@dataclass
class TapOutcome:
    """What one tap did: the tapper's new state and whoever moved up from standby."""

    state: State
    changed: bool
    promoted: int | None = None
    filled: bool = False  # the callout is filled after this tap
    # With skill slots one withdrawal may let several move up (missions/quota_headcount.py).
    also_promoted: tuple[int, ...] = ()


@dataclass
class Headcount:
    """The callout's places. `responses` may be a subset (the tapper and the standby
    list); `others_confirmed` counts confirmed volunteers left out of it, so a tap
    need not load everyone who was paged."""

    needed: int
    responses: dict[int, Response] = field(default_factory=dict)
    others_confirmed: int = 0

    def confirmed(self) -> list[Response]:
        return [r for r in self.responses.values() if r.state is State.AVAILABLE]

    def standby(self) -> list[Response]:
        # First come, first promoted: by the time they said Available.
        waiting = [r for r in self.responses.values() if r.state is State.STANDBY]
        return sorted(waiting, key=lambda r: (r.answered_at or datetime.max, r.volunteer_id))

    @property
    def filled(self) -> bool:
        return len(self.confirmed()) + self.others_confirmed >= self.needed

    def answer(self, volunteer_id: int, available: bool, now: datetime) -> TapOutcome:
        """Apply Available/Unavailable; idempotent, and changing one's mind works."""
        response = self.responses[volunteer_id]
        before = response.state
        if available:
            if before in (State.AVAILABLE, State.STANDBY):
                return TapOutcome(before, changed=False, filled=self.filled)
            response.answered_at = now
            if self.has_place(volunteer_id):
                response.state = State.AVAILABLE
                response.confirmed_at = now
            else:
                response.state = State.STANDBY
            return TapOutcome(response.state, changed=True, filled=self.filled)
        if before is State.UNAVAILABLE:
            return TapOutcome(before, changed=False, filled=self.filled)
        response.state = State.UNAVAILABLE
        response.answered_at = now
        response.confirmed_at = None
        response.eta_minutes = None
        moved = self.promote_all(now) if before is State.AVAILABLE else []
        return TapOutcome(
            State.UNAVAILABLE,
            changed=True,
            promoted=moved[0] if moved else None,
            filled=self.filled,
            also_promoted=tuple(moved[1:]),
        )

    def has_place(self, volunteer_id: int) -> bool:
        """May this person take a place now? (Quotas and slots refine it.)"""
        return not self.filled

    def promote_all(self, now: datetime) -> list[int]:
        """Whoever moves up after a withdrawal: one person, for a plain headcount."""
        promoted = self.promote(now)
        return [promoted] if promoted is not None else []

    def promote(self, now: datetime) -> int | None:
        """A place freed up: the first standby volunteer becomes confirmed."""
        if self.filled:
            return None
        waiting = self.standby()
        if not waiting:
            return None
        first = waiting[0]
        first.state = State.AVAILABLE
        first.confirmed_at = now
        return first.volunteer_id


def next_status(current: Status, filled: bool) -> Status:
    if current.ended:
        return current
    return Status.FILLED if filled else Status.OPEN


# --- escalation and missions ------------------------------------------------------------

REMIND_STAGE = 1  # reminder to non-responders; the caller gets their phones
COORDINATORS_STAGE = 2  # coordinators are told and may widen
LAST_STAGE = COORDINATORS_STAGE


def escalation_deadline(created_at: datetime, next_stage: int, minutes: float) -> datetime | None:
    """Stage k fires k × the interval after the callout went out."""
    if next_stage > LAST_STAGE:
        return None
    return created_at + timedelta(minutes=minutes * next_stage)


def hours_between(start: datetime, end: datetime) -> float:
    """Hours on the mission, to a tenth; at least a tenth so a quick job still counts."""
    return max(0.1, round((end - start).total_seconds() / 3600, 1))


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
