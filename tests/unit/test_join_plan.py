"""The rule of what a join adds (missions/parts_plan.py): joining teams get their own
quotas, one headcount asked of several is split among them, teams already on the callout
add nothing and are named; and the joining caller's reply says all of it."""

from __future__ import annotations

import pytest

from common.errors import DomainError
from missions.parts_plan import AlreadyOn, JoinOutcome, JoinPlan, plan_join, split_evenly
from missions.parts_text import join_reply, part_line
from missions.places import Candidate, Places


def test_one_headcount_is_split_as_evenly_as_it_goes_the_first_teams_taking_one_more() -> None:
    assert split_evenly(5, ["HR", "QM"]) == {"HR": 3, "QM": 2}
    assert split_evenly(7, ["HR", "QM", "SD"]) == {"HR": 3, "QM": 2, "SD": 2}
    assert split_evenly(8, ["HR", "QM", "SD"]) == {"HR": 3, "QM": 3, "SD": 2}
    assert split_evenly(4, ["HR"]) == {"HR": 4}


def test_a_headcount_smaller_than_the_joining_teams_is_refused_with_what_would_do() -> None:
    with pytest.raises(DomainError) as refused:
        split_evenly(1, ["HR", "QM"])
    assert refused.value.key == "multiteam.error.join_split"
    assert refused.value.params["example"] == "HR:1,QM:1"


def test_several_joining_teams_without_quotas_get_the_headcount_split_into_theirs() -> None:
    plan = plan_join({"SD": None}, ["HR", "QM"], [], 5)
    assert plan == JoinPlan({"HR": 3, "QM": 2}, (), split=True)
    assert plan.needed == 5 and plan.teams == ("HR", "QM")


def test_per_team_quotas_are_kept_and_a_team_already_on_keeps_its_places() -> None:
    plan = plan_join({"HR": 2, "QM": 1}, ["HR", "SD"], [3, 2], 5)
    assert plan.quotas == {"SD": 2} and not plan.split
    assert plan.already == (AlreadyOn("HR", 2, 3),)


def test_one_headcount_goes_whole_to_the_teams_that_join_when_another_is_already_on() -> None:
    plan = plan_join({"HR": None}, ["HR", "QM"], [], 4)
    assert plan == JoinPlan({"QM": 4}, (AlreadyOn("HR", None, None),))


def test_a_request_whose_teams_are_all_on_the_callout_adds_nothing() -> None:
    plan = plan_join({"SD": None}, ["SD"], [], 3)
    assert plan.teams == () and plan.needed == 0
    assert plan.already == (AlreadyOn("SD", None, None),)


def test_a_split_headcount_holds_as_each_teams_quota_in_the_fill_rule() -> None:
    quotas = {"SD": 2, **plan_join({"SD": None}, ["HR", "QM"], [], 5).quotas}
    places = Places(7, quotas)
    hr = [Candidate(n, "HR") for n in range(1, 5)]
    assert places.fits(hr[:3])
    assert not places.fits(hr)  # HR's fourth cannot take QM's or SD's places
    assert places.fits([*hr[:3], Candidate(9, "QM"), Candidate(10, "QM")])
    assert places.tally([*hr[:3], Candidate(9, "QM")])[0] == {"SD": 0, "HR": 3, "QM": 1}


def test_the_board_says_how_a_headcount_was_shared_out() -> None:
    shared = {"needed": 5, "teams": ["HR", "QM"]}
    part = {"by": 1, "place": "北岸", "needed": 3, "skills": [], "shared": shared}
    assert part_line("HR", part, {}, "zh").endswith("北岸 · 共 5 人由 HR、QM 平分")
    assert part_line("HR", part, {}, "en").endswith("· 5 shared out among HR, QM")


def test_the_joining_callers_reply_names_the_split_and_what_was_not_added() -> None:
    plan = JoinPlan({"QM": 2, "SD": 1}, (AlreadyOn("HR", 2, 3),), split=False)
    reply = join_reply(JoinOutcome(1, plan, 4, 6, 5), "en")
    assert reply.splitlines() == [
        "Joined callout #1; 4 more paged.",
        "Teams already on the callout were not paged again and keep their places: "
        "HR (2 places of its own).",
        "The places you asked of them were not added: HR 3.",
    ]
    split = join_reply(JoinOutcome(1, JoinPlan({"HR": 3, "QM": 2}, (), True), 6, 5, 2), "zh")
    assert split.splitlines()[1].endswith("HR 3 人、QM 2 人。")


def test_a_reply_to_a_join_that_added_nothing_says_so_and_what_can_be_done() -> None:
    plan = JoinPlan({}, (AlreadyOn("SD", None, None),))
    reply = join_reply(JoinOutcome(1, plan, 0, 3, 2), "en")
    assert reply.startswith(
        "Joined callout #1; 0 more paged.\n"
        "Your team is already on callout #1: SD (no quota of its own; the callout needs 2). "
        "So the callout is unchanged: nobody was paged, and the 3 people"
    )
    assert "/widen 1" in reply and "Page anyway" in reply and "/update 1" in reply
