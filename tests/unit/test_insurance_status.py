"""Insurance status on a date: the boundaries that decide who may be paged."""

from __future__ import annotations

from datetime import date

from insurance.model import InsuranceState, Policy, insurance_status, parse_coverage, team_coverage


def policy(start: date, end: date, pid: int = 1) -> Policy:
    return Policy(pid, 1, "平安", f"P{pid}", 500000, start, end)


YEAR = policy(date(2026, 1, 1), date(2026, 12, 31))


def test_a_volunteer_without_policies_has_no_insurance() -> None:
    assert insurance_status([], date(2026, 6, 1)).state is InsuranceState.NONE


def test_a_policy_that_expires_today_still_covers_today_and_is_expiring() -> None:
    status = insurance_status([YEAR], date(2026, 12, 31))
    assert status.state is InsuranceState.EXPIRING
    assert status.insured
    assert status.days_left == 0


def test_the_day_after_the_end_the_volunteer_is_expired() -> None:
    status = insurance_status([YEAR], date(2027, 1, 1))
    assert status.state is InsuranceState.EXPIRED
    assert not status.insured
    assert status.until == date(2026, 12, 31)
    assert status.days_left == -1


def test_a_policy_that_expires_tomorrow_is_expiring_with_one_day_left() -> None:
    status = insurance_status([YEAR], date(2026, 12, 30))
    assert (status.state, status.days_left) == (InsuranceState.EXPIRING, 1)


def test_thirty_days_left_is_expiring_and_thirty_one_is_valid() -> None:
    assert insurance_status([YEAR], date(2026, 12, 1)).state is InsuranceState.EXPIRING
    assert insurance_status([YEAR], date(2026, 11, 30)).state is InsuranceState.VALID


def test_a_policy_that_has_not_started_does_not_cover_yet() -> None:
    future = policy(date(2026, 7, 1), date(2027, 6, 30))
    assert insurance_status([future], date(2026, 6, 30)).state is InsuranceState.NONE
    assert insurance_status([future], date(2026, 7, 1)).state is InsuranceState.VALID


def test_a_policy_ending_on_a_leap_day_counts_the_leap_day() -> None:
    leap = policy(date(2027, 3, 1), date(2028, 2, 29))
    assert insurance_status([leap], date(2028, 2, 28)).days_left == 1
    assert insurance_status([leap], date(2028, 2, 29)).state is InsuranceState.EXPIRING
    assert insurance_status([leap], date(2028, 3, 1)).state is InsuranceState.EXPIRED
    # 30 days before the leap day, counted across February 2028 (29 days).
    assert insurance_status([leap], date(2028, 1, 30)).days_left == 30


def test_a_renewal_starting_the_next_day_keeps_the_volunteer_valid() -> None:
    renewal = policy(date(2027, 1, 1), date(2027, 12, 31), pid=2)
    status = insurance_status([YEAR, renewal], date(2026, 12, 20))
    assert status.state is InsuranceState.VALID
    assert status.until == date(2027, 12, 31)
    assert status.policy == renewal


def test_a_renewal_after_a_gap_does_not_hide_the_expiry() -> None:
    later = policy(date(2027, 1, 10), date(2027, 12, 31), pid=2)
    status = insurance_status([YEAR, later], date(2026, 12, 20))
    assert status.state is InsuranceState.EXPIRING
    assert status.until == date(2026, 12, 31)
    assert insurance_status([YEAR, later], date(2027, 1, 5)).state is InsuranceState.EXPIRED


def test_the_most_recent_lapsed_policy_is_reported_when_expired() -> None:
    old = policy(date(2024, 1, 1), date(2024, 12, 31), pid=2)
    status = insurance_status([old, YEAR], date(2027, 2, 1))
    assert status.policy == YEAR


def test_team_coverage_counts_each_state_and_lists_names() -> None:
    coverage = team_coverage(
        "SD",
        [("张伟", [YEAR]), ("李娜", []), ("王强", [policy(date(2025, 1, 1), date(2025, 12, 31))])],
        date(2026, 12, 15),
    )
    assert coverage.count(InsuranceState.EXPIRING) == 1
    assert coverage.count(InsuranceState.NONE) == 1
    assert [n for n, _ in coverage.by_state[InsuranceState.EXPIRED]] == ["王强"]


def test_coverage_amounts_are_read_as_people_type_them() -> None:
    assert parse_coverage("500000") == 500000
    assert parse_coverage("500,000") == 500000
    assert parse_coverage("¥500,000元") == 500000
    assert parse_coverage("50万") == 500000
    assert parse_coverage("") is None
