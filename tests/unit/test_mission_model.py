"""The callout rules as plain functions: types, eligibility, parsing, the headcount."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from common.errors import DomainError
from missions.model import (
    Headcount,
    Readiness,
    Reason,
    Response,
    State,
    escalation_deadline,
    exclusion_reason,
    hours_between,
    parse_callout,
    parse_close,
    parse_mission_add,
    parse_type,
)
from roster.model import SkillHolding, Volunteer

TODAY = date(2026, 6, 1)
ALIASES = {"mountain_search": "mountain_search", "山地搜救": "mountain_search", "rope": "rope"}


def volunteer(**changes: object) -> Volunteer:
    base = Volunteer(
        1,
        "SD",
        "张三",
        "+8613800000001",
        telegram_id=11,
        skills=[SkillHolding("mountain_search"), SkillHolding("rope", None, TODAY)],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def reason(v: Volunteer, readiness: Readiness | None = None, **kw: object) -> Reason | None:
    found = exclusion_reason(
        v,
        readiness or Readiness(insured=True, last_fitness_pass=TODAY),
        skills=kw.get("skills", ("mountain_search",)),  # type: ignore[arg-type]
        require_fitness=bool(kw.get("fit", True)),
        day=TODAY,
    )
    return found[0] if found else None


def test_chinese_names_and_aliases_are_mission_types() -> None:
    assert parse_type("山地搜救") == "mountain"
    assert parse_type("洪水救援") == "flood"
    assert parse_type("Mountain") == "mountain"
    with pytest.raises(DomainError) as caught:
        parse_type("picnic")
    assert caught.value.key == "callout.error.type"


def test_a_ready_volunteer_is_eligible() -> None:
    assert reason(volunteer()) is None


@pytest.mark.parametrize(
    ("changes", "readiness", "expected"),
    [
        ({"telegram_id": None}, None, Reason.NOT_LINKED),
        ({"active": False}, None, Reason.INACTIVE),
        ({"away_until": TODAY}, None, Reason.AWAY),
        ({}, Readiness(insured=False, last_fitness_pass=TODAY), Reason.UNINSURED),
        ({"skills": []}, None, Reason.SKILL_MISSING),
        ({}, Readiness(insured=True, last_fitness_pass=date(2025, 5, 31)), Reason.NO_FITNESS),
        ({}, Readiness(insured=True), Reason.NO_FITNESS),
    ],
)
def test_each_reason_for_leaving_someone_out(
    changes: dict[str, object], readiness: Readiness | None, expected: Reason
) -> None:
    assert reason(volunteer(**changes), readiness) is expected


def test_an_expired_skill_is_a_reason_but_expiring_today_is_fine() -> None:
    assert reason(volunteer(), skills=("rope",)) is None
    v = volunteer(skills=[SkillHolding("rope", None, TODAY - timedelta(days=1))])
    assert reason(v, skills=("rope",)) is Reason.SKILL_EXPIRED


def test_waiving_fitness_pages_someone_without_a_pass() -> None:
    assert reason(volunteer(), Readiness(insured=True), fit=False) is None


def test_a_full_callout_command_is_parsed() -> None:
    request = parse_callout(
        [
            "山地搜救",
            "4",
            "凤凰山西坡",
            "徒步者",
            "受伤",
            "skills=山地搜救,rope",
            "team=SD",
            "fit=no",
        ],
        ALIASES,
    )
    assert (request.type, request.needed, request.location) == ("mountain", 4, "凤凰山西坡")
    assert request.description == "徒步者 受伤"
    assert request.skills == ("mountain_search", "rope")
    assert request.teams == ("SD",) and request.fitness is False


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["mountain", "4"], "callout.usage"),
        (["mountain", "zero", "hill"], "callout.error.needed"),
        (["mountain", "0", "hill"], "callout.error.needed"),
        (["hike", "4", "hill"], "callout.error.type"),
        (["mountain", "4", "hill", "skills=juggling"], "error.unknown_skill"),
        (["mountain", "4", "hill", "fit=maybe"], "callout.error.fit"),
    ],
)
def test_bad_callout_input_names_what_was_wrong(args: list[str], key: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_callout(args, ALIASES)
    assert caught.value.key == key


def test_close_and_mission_add_arguments() -> None:
    assert parse_close(["rescued=2", "hiker", "carried", "out"]) == (2, "hiker carried out")
    entry = parse_mission_add(["防汛", "2026-07-12", "6", "HR,QM", "rescued=3", "evacuated"])
    assert (entry.type, entry.day, entry.hours, entry.teams) == (
        "flood",
        date(2026, 7, 12),
        6.0,
        ("HR", "QM"),
    )
    assert (entry.rescued, entry.notes) == (3, "evacuated")
    with pytest.raises(DomainError) as caught:
        parse_mission_add(["flood", "yesterday", "6", "HR"])
    assert caught.value.key == "mission.error.date"


@pytest.mark.parametrize("text", ["6", "6h", "６", "6小时", "2.5", "336"])
def test_mission_add_hours_are_a_plain_decimal_with_an_optional_unit(text: str) -> None:
    entry = parse_mission_add(["flood", "2026-07-12", text, "HR"])
    assert entry.hours == float(text.translate(str.maketrans("６", "6")).rstrip("h小时"))


@pytest.mark.parametrize("text", ["0", "337", "1e3", "nan", "inf", "١", "-2", "six"])
def test_mission_add_hours_that_are_no_plain_amount_are_refused_with_the_range(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_mission_add(["flood", "2026-07-12", text, "HR"])
    assert refused.value.key == "mission.error.hours"
    assert refused.value.params["max"] == "336"


T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def headcount(needed: int, people: int) -> Headcount:
    return Headcount(needed, {i: Response(i, State.PAGED) for i in range(1, people + 1)})


def test_available_taps_beyond_the_headcount_become_standby() -> None:
    count = headcount(4, 6)
    states = [count.answer(i, True, T0 + timedelta(seconds=i)).state for i in range(1, 6)]
    assert states == [State.AVAILABLE] * 4 + [State.STANDBY]
    assert count.filled


def test_a_second_identical_tap_changes_nothing() -> None:
    count = headcount(2, 2)
    count.answer(1, True, T0)
    again = count.answer(1, True, T0 + timedelta(seconds=5))
    assert not again.changed and count.responses[1].confirmed_at == T0


def test_a_withdrawal_promotes_the_first_standby_by_time() -> None:
    count = headcount(1, 3)
    count.answer(1, True, T0)
    count.answer(3, True, T0 + timedelta(seconds=1))
    count.answer(2, True, T0 + timedelta(seconds=2))
    outcome = count.answer(1, False, T0 + timedelta(seconds=3))
    assert outcome.promoted == 3 and outcome.filled
    assert count.responses[3].state is State.AVAILABLE
    assert count.responses[2].state is State.STANDBY


def test_changing_from_unavailable_to_available_works() -> None:
    count = headcount(2, 2)
    count.answer(1, False, T0)
    assert count.answer(1, True, T0).state is State.AVAILABLE


def test_escalation_stages_are_one_and_two_intervals_after_the_callout() -> None:
    assert escalation_deadline(T0, 1, 10) == T0 + timedelta(minutes=10)
    assert escalation_deadline(T0, 2, 10) == T0 + timedelta(minutes=20)
    assert escalation_deadline(T0, 3, 10) is None


def test_hours_are_counted_to_a_tenth() -> None:
    assert hours_between(T0, T0 + timedelta(minutes=90)) == 1.5
    assert hours_between(T0, T0) == 0.1


def test_a_fitness_pass_counts_through_its_anniversary_as_in_the_fitness_records() -> None:
    from training.fitness import pass_valid_on

    a_year_ago = date(TODAY.year - 1, TODAY.month, TODAY.day)
    assert reason(volunteer(), Readiness(insured=True, last_fitness_pass=a_year_ago)) is None
    assert pass_valid_on(a_year_ago, TODAY)


def test_a_description_too_long_for_a_page_is_refused_with_the_limit() -> None:
    request = parse_callout(["flood", "3", "河堤", "水" * 2500], {})
    with pytest.raises(DomainError) as caught:
        request.check_lengths()
    assert caught.value.key == "callout.error.description_too_long"
    assert caught.value.params["max"] == 2000
