"""A multi-team callout's parts on the dashboard: per team and per skill slot, k/n, by the
chat board's rule (confirmed people only, each in one slot at most)."""

from __future__ import annotations

from dataclasses import replace

from dashboard.parts import callout_parts
from missions.model import State
from tests.unit.test_board_fits import callout
from tests.unit.test_dashboard_board import BASE

FLOOD = replace(callout(), teams=("HR", "QM", "SD"), needed=4)


def test_each_team_shows_its_confirmed_against_its_quota_and_a_joined_team_its_own_count() -> None:
    split = replace(
        FLOOD, quotas={"HR": 2, "QM": 2}, slots={"boat": 1}, parts={"SD": {"needed": 3}}
    )
    views = [
        replace(BASE, volunteer_id=1, team_code="HR"),
        replace(BASE, volunteer_id=2, team_code="HR"),
        replace(BASE, volunteer_id=3, team_code="QM", state=State.STANDBY),  # not counted
        replace(BASE, volunteer_id=4, team_code="SD"),
    ]
    parts = callout_parts(split, views, {2: frozenset({"boat"})}, "en")
    assert parts == {
        "teams": [
            {"team": "HR", "confirmed": 2, "needed": 2},
            {"team": "QM", "confirmed": 0, "needed": 2},
            {"team": "SD", "confirmed": 1, "needed": 3},
        ],
        "slots": [{"skill": "boat", "label": "boat handling", "filled": 1, "needed": 1}],
    }


def test_a_team_without_places_of_its_own_shows_only_its_count() -> None:
    parts = callout_parts(replace(FLOOD, slots={"boat": 1}), [BASE], {}, "zh")
    assert parts is not None
    assert parts["teams"][2] == {"team": "SD", "confirmed": 1, "needed": None}
    assert parts["slots"] == [{"skill": "boat", "label": "船艇驾驶", "filled": 0, "needed": 1}]


def test_a_plain_callout_has_no_parts_the_headcount_says_it_all() -> None:
    assert callout_parts(FLOOD, [BASE], {}, "zh") is None
