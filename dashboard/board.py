"""A callout's responders as the duty officer sees them, from the incident read model.

Each person is in one group by where they are now (on scene, confirmed, …, home safe);
in the return phase after /close everyone not yet home safe is in one *still out* group.
Need help, an overdue safety check and an overdue return are alerts: such a person
heads their group and the callout's alert box. Recorded by phone is a note, not an alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from missions.incident import Phase, ResponderView

# Board order while the callout runs.
OPEN_ORDER: tuple[str, ...] = (
    "on_scene",
    "confirmed",
    "standby",
    "paged",
    "no_reply",
    "undeliverable",
    "unavailable",
    "home_safe",
)
# In the return phase: who is still out first, then who is home, then the rest.
RETURN_ORDER: tuple[str, ...] = ("still_out", "home_safe", *OPEN_ORDER[2:])
STILL_OUT = "still_out"
# Most urgent first: the order of the alert box and of a person's flags.
ALERTS: tuple[str, ...] = ("need_help", "check_overdue", "return_overdue")


@dataclass(frozen=True)
class Flag:
    code: str
    since: datetime | None
    alert: bool


@dataclass(frozen=True)
class Placed:
    """One responder, with the group they are shown in and what to flag."""

    person: ResponderView
    group: str
    flags: tuple[Flag, ...]
    urgency: int = len(ALERTS)  # the most urgent alert's rank; len(ALERTS): none

    @property
    def alerts(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.alert)

    @property
    def shows_on_map(self) -> bool:
        """A last known position matters while they are out, not once they are home."""
        return self.person.position is not None and self.person.home_safe_at is None


def place(
    person: ResponderView, *, returning_since: datetime | None, return_minutes: float, now: datetime
) -> Placed:
    """`returning_since`: when the return phase began (None while the callout runs)."""
    group = person.phase.value
    out = person.participant and person.home_safe_at is None
    if returning_since is not None and out:
        group = STILL_OUT
    flags: list[Flag] = []
    if person.need_help_at is not None and person.home_safe_at is None:
        flags.append(Flag("need_help", person.need_help_at, True))
    if person.check_overdue_since is not None and person.phase is Phase.ON_SCENE:
        flags.append(Flag("check_overdue", person.check_overdue_since, True))
    if (
        returning_since is not None
        and out
        and now >= returning_since + timedelta(minutes=return_minutes)
    ):
        flags.append(Flag("return_overdue", returning_since, True))
    urgency = ALERTS.index(flags[0].code) if flags else len(ALERTS)  # flags come in ALERTS order
    if person.recorded_by is not None:
        flags.append(Flag("phone", None, False))
    return Placed(person, group, tuple(flags), urgency)


def grouped(people: list[Placed], returning: bool) -> list[tuple[str, list[Placed]]]:
    """Groups in board order; within one, alerts first (most urgent first), then by the
    moment they arrived or answered, then by name."""
    order = RETURN_ORDER if returning else OPEN_ORDER
    groups: dict[str, list[Placed]] = {}
    for one in people:
        groups.setdefault(one.group, []).append(one)

    def rank(name: str) -> tuple[int, str]:
        return (order.index(name), "") if name in order else (len(order), name)

    ordered = sorted(groups.items(), key=lambda item: rank(item[0]))
    for _, members in ordered:
        members.sort(key=_sort_key)
    return ordered


_LAST = datetime.max.replace(tzinfo=UTC)


def _sort_key(placed: Placed) -> tuple[int, datetime, str]:
    p = placed.person
    moment = p.on_scene_at or p.confirmed_at or p.answered_at
    return (placed.urgency, moment or _LAST, p.name)


def alerts(people: list[Placed]) -> list[Placed]:
    """Everyone with an alert, most urgent first: the top of the callout's card."""
    return sorted((p for p in people if p.urgency < len(ALERTS)), key=_sort_key)
