"""Who is reminded of what on a given day — pure, so the schedule can be tested
without Telegram or a clock.

Schedule, run daily at 09:00 local time and once at start-up when a
day was missed:

* Insurance ending in 30, 7 or 1 days: the volunteer and their team's
  leaders/deputies. Only the most urgent mark crossed is sent: after downtime
  a policy 5 days from its end gets the 7-day reminder once, never the stale
  30-day one as well. The text always says the real number of days left.
* Insurance lapsed (within the last 30 days, so importing old history does not
  flood anyone): the team's leaders, once per lapsed policy.
* Monthly, at the first run of each calendar month: each leader gets their
  team's certificates expired or expiring within 30 days and volunteers whose
  fitness pass is older than 12 months or who never passed.

Every (reminder, recipient) pair has a key in `reminders_sent`, recorded once
delivered, so a restart or a second run on the same day repeats nothing.
`plan_reminders` is the pure rule; `send_due_reminders` (insurance/reminder_service.py)
feeds it from the database and records what was delivered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from insurance.model import InsuranceState, Policy, insurance_status
from roster.model import Volunteer
from training.certificates import certificates_due
from training.fitness import pass_valid_on

INSURANCE_THRESHOLDS = (30, 7, 1)
EXPIRED_LOOKBACK_DAYS = 30
REMINDER_TIME = time(9, 0)

SentKey = tuple[str, str]


class Topic(StrEnum):
    INSURANCE_EXPIRING = "insurance_expiring"
    INSURANCE_EXPIRED = "insurance_expired"
    CERTIFICATE = "certificate"
    FITNESS = "fitness"


class Audience(StrEnum):
    SELF = "self"  # the volunteer about their own record
    LEADER = "leader"  # a leader/deputy about their team (insurance)
    MONTHLY = "monthly"  # a leader's monthly certificates and fitness digest


@dataclass(frozen=True)
class Item:
    topic: Topic
    volunteer: Volunteer
    day: date | None = None  # the expiry day, or the last fitness pass
    days_left: int | None = None
    skill: str | None = None
    policy: Policy | None = None


@dataclass
class Reminder:
    chat_id: int
    language: str | None
    audience: Audience
    team_code: str
    items: list[Item] = field(default_factory=list)
    keys: list[SentKey] = field(default_factory=list)  # record these once delivered


def insurance_threshold(days_left: int) -> int | None:
    """The most urgent reminder mark crossed: 20 days left → 30, 5 → 7, 0 → 1."""
    crossed = [d for d in INSURANCE_THRESHOLDS if days_left <= d]
    return min(crossed) if crossed and days_left >= 0 else None


def catch_up_due(last_run: date | None, now_local: datetime) -> bool:
    """Run at start-up only if the bot ran before, missed today's 09:00 run
    (or earlier days), and it is past 09:00: a fresh install starts with the
    next scheduled run rather than a burst of messages."""
    return (
        last_run is not None and last_run < now_local.date() and now_local.time() >= REMINDER_TIME
    )


@dataclass
class _Plan:
    """The reminders being planned, one per (recipient, audience); already-sent keys skipped."""

    sent: set[SentKey]
    leaders: dict[str, list[Volunteer]]  # team code → leaders/deputies reachable in chat
    planned: dict[tuple[int, Audience], Reminder] = field(default_factory=dict)

    def add(
        self, recipient: Volunteer, audience: Audience, item: Item, kind: str, key: str
    ) -> None:
        assert recipient.telegram_id is not None
        full: SentKey = (kind, f"{key}:{recipient.telegram_id}")
        if full in self.sent:
            return
        reminder = self.planned.setdefault(
            (recipient.telegram_id, audience),
            Reminder(recipient.telegram_id, recipient.language, audience, recipient.team_code),
        )
        reminder.items.append(item)
        reminder.keys.append(full)

    def insurance(self, volunteer: Volunteer, policies: list[Policy], today: date) -> None:
        """Expiring: the volunteer and their leaders, at the most urgent mark crossed.
        Lapsed recently: the leaders, once per policy."""
        status = insurance_status(policies, today)
        if status.policy is None or status.days_left is None:
            return
        leaders = self.leaders.get(volunteer.team_code, [])
        if status.insured:
            threshold = insurance_threshold(status.days_left)
            if threshold is None:
                return
            item = Item(
                Topic.INSURANCE_EXPIRING,
                volunteer,
                status.until,
                status.days_left,
                policy=status.policy,
            )
            key = f"{status.policy.id}:{threshold}"
            if volunteer.telegram_id is not None:
                self.add(volunteer, Audience.SELF, item, "insurance", key)
            for leader in leaders:
                if leader.id != volunteer.id:
                    self.add(leader, Audience.LEADER, item, "insurance", key)
        elif status.state is InsuranceState.EXPIRED and -status.days_left <= EXPIRED_LOOKBACK_DAYS:
            item = Item(
                Topic.INSURANCE_EXPIRED,
                volunteer,
                status.until,
                status.days_left,
                policy=status.policy,
            )
            for leader in leaders:
                self.add(leader, Audience.LEADER, item, "insurance", f"{status.policy.id}:expired")

    def monthly(self, team_code: str, digest: list[Item], month: str) -> None:
        for leader in self.leaders[team_code]:
            assert leader.telegram_id is not None
            month_key: SentKey = ("monthly", f"{month}:{leader.telegram_id}")
            if month_key in self.sent:
                continue
            # Recorded even when empty, so a quiet month stays quiet.
            self.planned[(leader.telegram_id, Audience.MONTHLY)] = Reminder(
                leader.telegram_id,
                leader.language,
                Audience.MONTHLY,
                team_code,
                list(digest),
                [month_key],
            )


def _leaders_by_team(people: list[Volunteer]) -> dict[str, list[Volunteer]]:
    leaders: dict[str, list[Volunteer]] = {}
    for v in people:
        if v.leads_team and v.telegram_id is not None:
            leaders.setdefault(v.team_code, []).append(v)
    return leaders


def _monthly_digest(
    members: list[Volunteer], today: date, last_passes: dict[int, date], fitness_months: int
) -> list[Item]:
    """A team's certificates due (all of them first), then whose fitness pass is not valid."""
    digest: list[Item] = []
    for v in members:
        for skill in certificates_due(v, today):
            assert skill.expires_on is not None
            days_left = (skill.expires_on - today).days
            digest.append(Item(Topic.CERTIFICATE, v, skill.expires_on, days_left, skill=skill.code))
    for v in members:
        passed = last_passes.get(v.id)
        if not pass_valid_on(passed, today, fitness_months):
            digest.append(Item(Topic.FITNESS, v, passed))
    return digest


def plan_reminders(
    today: date,
    volunteers: Iterable[Volunteer],
    policies: dict[int, list[Policy]],
    last_passes: dict[int, date],
    sent: set[SentKey],
    *,
    fitness_months: int = 12,
) -> list[Reminder]:
    people = [v for v in volunteers if v.active]
    plan = _Plan(sent, _leaders_by_team(people))
    for v in people:
        plan.insurance(v, policies.get(v.id, []), today)
    month = today.strftime("%Y-%m")
    for team_code in plan.leaders:
        members = sorted((v for v in people if v.team_code == team_code), key=lambda v: v.name)
        plan.monthly(team_code, _monthly_digest(members, today, last_passes, fitness_months), month)
    return list(plan.planned.values())
