"""Accident-insurance policies and a volunteer's status on a day — pure functions, no I/O."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_COVERAGE = 1e10  # ¥10 billion: anything above is a typing mistake
EXPIRING_DAYS = 30  # "expiring": the cover ends within 30 days


class InsuranceState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NONE = "none"


@dataclass(frozen=True)
class Policy:
    id: int
    volunteer_id: int
    insurer: str
    policy_no: str
    coverage: float | None
    start: date
    end: date  # inclusive: the volunteer is insured on this day

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class InsuranceStatus:
    state: InsuranceState
    # Last day of continuous cover from `day` (valid/expiring), or the last
    # day of the most recent policy (expired); None when never insured.
    until: date | None = None
    days_left: int | None = None  # until - day; negative once expired
    policy: Policy | None = None  # the policy whose end is `until`

    @property
    def insured(self) -> bool:
        return self.state in (InsuranceState.VALID, InsuranceState.EXPIRING)


def insurance_status(policies: Iterable[Policy], day: date) -> InsuranceStatus:
    """Status on `day` across all of a volunteer's policies.

    A renewal that starts by the day after the current policy ends extends the
    cover, so a volunteer whose next year's policy is already on file is not
    reported as expiring.
    """
    ordered = sorted(policies, key=lambda p: (p.start, p.end))
    covering = [p for p in ordered if p.covers(day)]
    if covering:
        current = max(covering, key=lambda p: p.end)
        extended = True
        while extended:
            extended = False
            for p in ordered:
                if p.start.toordinal() <= current.end.toordinal() + 1 and p.end > current.end:
                    current = p
                    extended = True
        days_left = (current.end - day).days
        state = InsuranceState.EXPIRING if days_left <= EXPIRING_DAYS else InsuranceState.VALID
        return InsuranceStatus(state, current.end, days_left, current)
    past = [p for p in ordered if p.end < day]
    if past:
        last = max(past, key=lambda p: p.end)
        return InsuranceStatus(InsuranceState.EXPIRED, last.end, (last.end - day).days, last)
    return InsuranceStatus(InsuranceState.NONE)


@dataclass
class TeamCoverage:
    """One team's insurance at a glance, for /insurance and the report."""

    team_code: str
    by_state: dict[InsuranceState, list[tuple[str, InsuranceStatus]]]

    def count(self, state: InsuranceState) -> int:
        return len(self.by_state.get(state, []))


def team_coverage(
    team_code: str, people: Iterable[tuple[str, list[Policy]]], day: date
) -> TeamCoverage:
    """Group a team's (name, policies) by status on `day`, soonest expiry first."""
    grouped: dict[InsuranceState, list[tuple[str, InsuranceStatus]]] = {
        s: [] for s in InsuranceState
    }
    for name, policies in people:
        status = insurance_status(policies, day)
        grouped[status.state].append((name, status))
    for entries in grouped.values():
        entries.sort(key=lambda e: (e[1].until or date.max, e[0]))
    return TeamCoverage(team_code, grouped)


def parse_coverage(text: str) -> float | None:
    """`500000`, `500,000`, `¥500,000`, `50万`, `50万元` → 500000.0; blank → None.

    Raises ValueError for anything else, so the importer can name the row.
    """
    cleaned = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    cleaned = cleaned.removesuffix("元").strip()
    if not cleaned:
        return None
    factor = 1.0
    if cleaned.endswith("万"):
        factor, cleaned = 10000.0, cleaned[:-1].strip()
    value = float(cleaned) * factor
    # float() also reads "inf", "nan" and "1e400" (= inf): none is a sum insured.
    if not math.isfinite(value) or not 0 <= value <= MAX_COVERAGE:
        raise ValueError(text)
    return value
