"""Per-team quotas and skill slots: who takes a place, who waits, who moves up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import DomainError
from missions.model import Response, State
from missions.places import Candidate, Places, check_places, split_counted
from missions.quota_headcount import QuotaHeadcount

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def count_of(places: Places, people: list[Candidate]) -> QuotaHeadcount:
    return QuotaHeadcount(
        places.needed,
        {p.volunteer_id: Response(p.volunteer_id, State.PAGED) for p in people},
        places=places,
        people={p.volunteer_id: p for p in people},
    )


def tap_all(count: QuotaHeadcount, ids: list[int]) -> list[State]:
    return [count.answer(i, True, T0 + timedelta(seconds=n)).state for n, i in enumerate(ids)]


def test_each_team_fills_its_own_quota() -> None:
    people = [Candidate(i, "HR") for i in range(1, 5)] + [Candidate(i, "QM") for i in (5, 6)]
    count = count_of(Places(4, {"HR": 2, "QM": 2}), people)
    states = tap_all(count, [1, 2, 3, 4, 5, 6])
    assert states == [State.AVAILABLE] * 2 + [State.STANDBY] * 2 + [State.AVAILABLE] * 2
    assert count.filled


def test_a_slot_is_kept_for_a_holder_of_its_skill() -> None:
    people = [Candidate(1, "SD"), Candidate(2, "SD"), Candidate(3, "SD", frozenset({"boat"}))]
    count = count_of(Places(2, slots={"boat": 1}), people)
    assert tap_all(count, [1, 2, 3]) == [State.AVAILABLE, State.STANDBY, State.AVAILABLE]


def test_a_person_with_two_skills_fills_one_slot_and_is_moved_to_where_needed() -> None:
    both = Candidate(1, "SD", frozenset({"boat", "diver"}))
    diver = Candidate(2, "SD", frozenset({"diver"}))
    places = Places(2, slots={"boat": 1, "diver": 1})
    assert places.assign([both, diver]) == {1: "boat", 2: "diver"}
    assert not places.fits([both, Candidate(3, "SD")])
    assert places.tally([both]) == ({}, {"boat": 1, "diver": 0})


def test_a_withdrawal_promotes_the_first_standby_who_fits_the_freed_place() -> None:
    people = [
        Candidate(1, "HR"),
        Candidate(2, "QM"),
        Candidate(3, "QM"),
        Candidate(4, "HR"),
    ]
    count = count_of(Places(2, {"HR": 1, "QM": 1}), people)
    tap_all(count, [1, 2, 3, 4])
    outcome = count.answer(1, False, T0 + timedelta(minutes=1))
    # QM's standby came first, but only an HR person may take HR's place.
    assert outcome.promoted == 4


def test_quotas_must_add_up_to_the_headcount_and_slots_fit_inside_it() -> None:
    with pytest.raises(DomainError) as caught:
        check_places(5, {"HR": 3, "QM": 3}, {})
    assert caught.value.key == "multiteam.error.quota_sum"
    with pytest.raises(DomainError) as caught:
        check_places(3, {}, {"boat": 2, "diver": 2})
    assert caught.value.key == "multiteam.error.slot_sum"


def test_counted_parts_are_read_in_chinese_and_latin_punctuation() -> None:
    assert split_counted("HR:3，QM：2", "x") == [("HR", 3), ("QM", 2)]
    assert split_counted("HR：３", "x") == [("HR", 3)]  # full-width digits, as IMEs type them
    for bad in ("HR", "HR:0", "HR:x", "HR:²", ":2"):
        with pytest.raises(DomainError):
            split_counted(bad, "multiteam.error.quota")


TEAMS = ("HR", "QM", "SD")
SKILLS = ("boat", "diver", "rope")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Places, list[Candidate], list[tuple[int, bool]]]:
    quota_teams = draw(st.lists(st.sampled_from(TEAMS), unique=True, max_size=2))
    quotas = {team: draw(st.integers(1, 3)) for team in quota_teams}
    needed = sum(quotas.values()) if quotas else draw(st.integers(1, 6))
    slots: dict[str, int] = {}
    for skill in draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2)):
        room = needed - sum(slots.values())
        if room > 0:
            slots[skill] = draw(st.integers(1, room))
    size = draw(st.integers(1, 10))
    people = [
        Candidate(
            i,
            draw(st.sampled_from(TEAMS)),
            frozenset(draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2))),
        )
        for i in range(1, size + 1)
    ]
    taps = draw(st.lists(st.tuples(st.integers(1, size), st.booleans()), max_size=30))
    return Places(needed, quotas, slots), people, taps


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_quota_or_slot_is_ever_overfilled_and_nobody_counts_twice(
    scenario: tuple[Places, list[Candidate], list[tuple[int, bool]]],
) -> None:
    places, people, taps = scenario
    count = count_of(places, people)
    for step, (vid, available) in enumerate(taps):
        count.answer(vid, available, T0 + timedelta(seconds=step))
        confirmed = count.placed()
        # Every person at most once; the confirmed can always all be placed.
        assert len({p.volunteer_id for p in confirmed}) == len(confirmed)
        assignment = places.assign(confirmed)
        assert assignment is not None
        teams, slots = places.tally(confirmed)
        assert all(teams[team] <= places.quotas[team] for team in teams)
        assert all(slots[skill] <= places.slots[skill] for skill in slots)
        # Promotion keeps the quotas and leaves nobody waiting who would fit.
        waiting = [count.people[r.volunteer_id] for r in count.standby()]
        assert not any(places.fits([*confirmed, w]) for w in waiting)


def test_a_slot_holder_moving_up_leaves_the_free_place_to_the_next_in_line() -> None:
    people = [
        Candidate(1, "SD"),
        Candidate(2, "SD"),
        Candidate(3, "SD", frozenset({"boat"})),
        Candidate(4, "SD"),
    ]
    count = count_of(Places(2, slots={"boat": 1}), people)
    tap_all(count, [1, 4])  # 1 takes the free place; 4 waits (the other is boat's)
    count.answer(3, True, T0 + timedelta(seconds=5))  # the boat holder fills the slot
    count.answer(2, True, T0 + timedelta(seconds=6))
    outcome = count.answer(3, False, T0 + timedelta(seconds=7))
    assert outcome.promoted is None  # nobody waiting holds the boat skill
    outcome = count.answer(1, False, T0 + timedelta(seconds=8))
    assert outcome.promoted == 4 and outcome.also_promoted == ()


def test_a_callout_reads_team_quotas_and_skill_slots() -> None:
    from missions.model import parse_callout

    aliases = {"boat": "boat", "船艇驾驶": "boat", "water_rescue": "water_rescue"}
    request = parse_callout(
        ["flood", "6", "江心洲", "team=HR:3,QM:3", "need=water_rescue:2，船艇驾驶：2"], aliases
    )
    assert request.teams == ("HR", "QM") and request.quotas == (3, 3)
    assert request.slots == {"water_rescue": 2, "boat": 2}
