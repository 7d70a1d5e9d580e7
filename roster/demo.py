"""The demo roster: 263 synthetic volunteers over the six teams.

Everything comes from `rng` and `today`, so one seed always gives the same
people, phones, skills, certificates and policies. The mix is chosen so that
every rule has something to show: expired certificates, expired and expiring
insurance, a few people without insurance, unlinked accounts, inactive and
away volunteers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from common.dates import add_years
from common.errors import DomainError
from roster.phones import normalise_phone
from roster.repository import PeopleRecords, RosterRepository
from roster.taxonomy import SKILLS, TEAMS
from storage.db import Database
from storage.unit_of_work import UnitOfWork

TEAM_SIZES: dict[str, int] = {"LT": 70, "SD": 50, "HR": 45, "MA": 35, "330": 33, "QM": 30}
TELEGRAM_BASE = 7_000_000_000

# How likely a member of each team holds each skill (leaders a bit more so).
SKILL_ODDS: dict[str, dict[str, float]] = {
    "SD": {
        "mountain_search": 0.85, "rope": 0.45, "first_aid": 0.6, "comms": 0.3,
        "drone": 0.12, "medical": 0.05, "logistics": 0.15,
    },
    "HR": {
        "water_rescue": 0.85, "swiftwater": 0.45, "boat": 0.45, "diving": 0.25,
        "first_aid": 0.55, "comms": 0.15, "drone": 0.08,
    },
    "LT": {
        "mountain_search": 0.35, "water_rescue": 0.35, "first_aid": 0.6, "rope": 0.2,
        "swiftwater": 0.15, "boat": 0.15, "usar": 0.2, "drone": 0.15, "comms": 0.2,
        "logistics": 0.25, "medical": 0.06,
    },
    "MA": {
        "first_aid": 0.65, "logistics": 0.4, "usar": 0.3, "drone": 0.15, "comms": 0.25,
        "medical": 0.1, "hazmat": 0.08,
    },
    "QM": {
        "boat": 0.55, "logistics": 0.5, "comms": 0.3, "water_rescue": 0.3, "first_aid": 0.4,
        "drone": 0.1,
    },
    "330": {
        "first_aid": 0.6, "usar": 0.3, "logistics": 0.4, "drone": 0.15, "rope": 0.2,
        "comms": 0.25, "mountain_search": 0.15,
    },
}  # fmt: skip

# One group accident policy per team: insurer, policy-number prefix, cover per person (CNY).
TEAM_POLICIES: dict[str, tuple[str, str, int]] = {
    "HR": ("中国人民财产保险", "PEAC", 500_000),
    "LT": ("中国平安财产保险", "PAAB", 500_000),
    "MA": ("太平洋财产保险", "ACPY", 300_000),
    "QM": ("中华联合财产保险", "ZHLH", 300_000),
    "330": ("大地财产保险", "DDBX", 500_000),
    "SD": ("中国人寿财产保险", "GSYW", 600_000),
}

# How many people (members only) show each special case across the whole roster.
NO_POLICY, EXPIRED_POLICY, EXPIRING_POLICY = 5, 6, 7
INACTIVE, AWAY = 5, 6

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红春梅海波宇浩然子涵"
    "思远晨阳欣怡俊杰嘉琪文博雨萱立新永辉晓东卫东振华德明少峰国庆金龙凤霞丹丹雪莲一鸣"
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "186", "187",
    "188", "189",
)  # fmt: skip


@dataclass
class _Person:
    team: str
    name: str
    phone: str
    role: str
    birth_date: date
    joined: date
    telegram_id: int | None = None
    active: bool = True
    away_until: date | None = None
    insurance: str = "team"  # team / none / expired / expiring
    skills: list[tuple[str, date, date | None]] = field(default_factory=list)
    policies: list[tuple[str, str, int, date, date]] = field(default_factory=list)


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        # Common surnames far more often, as in any real roster.
        surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
        given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
        if surname + given not in taken:
            taken.add(surname + given)
            return surname + given


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        text = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        try:
            phone = normalise_phone(text)
        except DomainError:
            continue
        if phone not in taken:
            taken.add(phone)
            return phone


def _skills(
    rng: random.Random, team: str, role: str, today: date, validity: dict[str, int | None]
) -> list[tuple[str, date, date | None]]:
    boost = 0.25 if role != "member" else 0.0
    held: list[tuple[str, date, date | None]] = []
    for code, odds in SKILL_ODDS[team].items():
        if role != "member" and code == "first_aid":
            odds = 1.0  # every leader holds first aid
        if rng.random() >= min(1.0, odds + boost):
            continue
        years = validity.get(code)
        if years is None:
            certified = today - timedelta(days=rng.randint(60, 8 * 365))
            held.append((code, certified, None))
            continue
        if rng.random() < 0.07:  # lapsed: certified longer ago than the validity
            certified = today - timedelta(days=rng.randint(years * 365 + 5, years * 365 + 400))
        else:
            certified = today - timedelta(days=rng.randint(30, years * 365 - 20))
        held.append((code, certified, add_years(certified, years)))
    return held


def _people(rng: random.Random, today: date) -> list[_Person]:
    validity = {s.code: s.validity_years for s in SKILLS}
    names: set[str] = set()
    phones: set[str] = set()
    people: list[_Person] = []
    for team in (t.code for t in TEAMS):
        size = TEAM_SIZES[team]
        roles = ["leader"] + ["deputy"] * rng.randint(1, 2)
        roles += ["member"] * (size - len(roles))
        for role in roles:
            age_days = rng.randint(20 * 365, 58 * 365)
            people.append(
                _Person(
                    team=team,
                    name=_name(rng, names),
                    phone=_phone(rng, phones),
                    role=role,
                    birth_date=today - timedelta(days=age_days),
                    joined=today - timedelta(days=rng.randint(30, 8 * 365)),
                    skills=_skills(rng, team, role, today, validity),
                )
            )
    for number, person in enumerate(people, start=1):
        # Leaders are always linked; about one member in ten has not linked yet.
        if person.role != "member" or rng.random() >= 0.11:
            person.telegram_id = TELEGRAM_BASE + number
    members = [p for p in people if p.role == "member"]
    specials = rng.sample(members, NO_POLICY + EXPIRED_POLICY + EXPIRING_POLICY)
    cases = ["none"] * NO_POLICY + ["expired"] * EXPIRED_POLICY + ["expiring"] * EXPIRING_POLICY
    for person, case in zip(specials, cases, strict=True):
        person.insurance = case
    _insure(rng, today, people)
    for person in rng.sample(members, INACTIVE):
        person.active = False
    for person in rng.sample([p for p in members if p.active], AWAY):
        person.away_until = today + timedelta(days=rng.randint(1, 21))
    return people


def _insure(rng: random.Random, today: date, people: list[_Person]) -> None:
    for team, (insurer, prefix, cover) in TEAM_POLICIES.items():
        # The team renewed 40–320 days ago, so its current policy runs well past 30 days.
        start = today - timedelta(days=rng.randint(40, 320))
        end = add_years(start, 1) - timedelta(days=1)
        last_start = add_years(start, -1)
        number = f"{prefix}{start.year}4401{rng.randrange(10**8):08d}"
        last_number = f"{prefix}{last_start.year}4401{rng.randrange(10**8):08d}"
        previous = (insurer, last_number, cover, last_start, start - timedelta(days=1))
        for person in (p for p in people if p.team == team):
            if person.insurance == "none":
                continue
            if person.insurance == "expired":
                person.policies.append(previous)  # not renewed with the team
            elif person.insurance == "expiring":
                # Joined mid-year on an individual policy that runs out within 30 days.
                own_start = add_years(today, -1) + timedelta(days=rng.randint(2, 30))
                own = f"{prefix}{own_start.year}4401{rng.randrange(10**8):08d}"
                own_end = add_years(own_start, 1) - timedelta(days=1)
                person.policies.append((insurer, own, cover, own_start, own_end))
            else:
                if person.joined <= last_start:
                    person.policies.append(previous)
                person.policies.append((insurer, number, cover, start, end))


async def seed_roster(db: Database, rng: random.Random, today: date) -> None:
    """Add the demo roster in one transaction (the teams and skills are added first)."""
    await RosterRepository(db).seed_reference_data()
    people = _people(rng, today)
    async with UnitOfWork(db) as uow:
        records = uow.repo(PeopleRecords)
        for person in people:
            stamp = f"{person.joined.isoformat()}T02:00:00+00:00"
            await records.add_demo_person(
                (
                    person.team,
                    person.name,
                    person.phone,
                    person.role,
                    person.telegram_id,
                    int(person.active),
                    person.away_until.isoformat() if person.away_until else None,
                    person.birth_date.isoformat(),
                    stamp,
                    stamp,
                ),
                [
                    (code, on.isoformat(), until.isoformat() if until else None)
                    for code, on, until in person.skills
                ],
                [
                    (insurer, number, cover, start.isoformat(), end.isoformat())
                    for insurer, number, cover, start, end in person.policies
                ],
            )
