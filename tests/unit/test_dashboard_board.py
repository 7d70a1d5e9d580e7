"""Responders as the dashboard groups them: where each is now, and alerts first."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dashboard.board import alerts, grouped, place
from dashboard.live import ChangeHub
from dashboard.page import _label
from missions.incident import Phase, ResponderView
from missions.model import GeoPoint, State

NOW = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
BASE = ResponderView(
    callout_id=1,
    volunteer_id=7,
    name="王五",
    phone="+8613800000001",
    team_code="SD",
    telegram_id=70,
    phase=Phase.CONFIRMED,
    state=State.AVAILABLE,
    eta_minutes=30,
    answered_at=NOW - timedelta(hours=2),
    confirmed_at=NOW - timedelta(hours=2),
    on_scene_at=None,
    home_safe_at=None,
    need_help_at=None,
    recorded_by=None,
    position=None,
    position_at=None,
    check_overdue_since=None,
)
ON_SCENE = replace(
    BASE, phase=Phase.ON_SCENE, on_scene_at=NOW - timedelta(hours=1), position=GeoPoint(30.2, 120.1)
)


def test_need_help_and_an_overdue_check_are_alerts_and_a_phone_answer_is_only_a_note() -> None:
    person = place(
        replace(ON_SCENE, need_help_at=NOW, check_overdue_since=NOW, recorded_by=9),
        returning_since=None,
        return_minutes=120,
        now=NOW,
    )
    assert [(f.code, f.alert) for f in person.flags] == [
        ("need_help", True),
        ("check_overdue", True),
        ("phone", False),
    ]
    assert person.group == "on_scene" and person.shows_on_map


def test_in_the_return_phase_participants_not_home_are_still_out_and_flagged_when_late() -> None:
    started = NOW - timedelta(minutes=30)
    out = place(ON_SCENE, returning_since=started, return_minutes=120, now=NOW)
    assert out.group == "still_out" and out.alerts == ()
    late = place(ON_SCENE, returning_since=started, return_minutes=20, now=NOW)
    assert [f.code for f in late.alerts] == ["return_overdue"]
    home = replace(ON_SCENE, phase=Phase.HOME_SAFE, home_safe_at=NOW)
    safe = place(home, returning_since=started, return_minutes=20, now=NOW)
    assert safe.group == "home_safe" and safe.alerts == () and not safe.shows_on_map
    standby = replace(BASE, phase=Phase.STANDBY, state=State.STANDBY)
    assert place(standby, returning_since=started, return_minutes=20, now=NOW).group == "standby"


def test_groups_follow_board_order_and_alerts_lead_their_group() -> None:
    calm = replace(ON_SCENE, volunteer_id=1, name="甲")
    helped = replace(ON_SCENE, volunteer_id=2, name="乙", need_help_at=NOW)
    late = replace(ON_SCENE, volunteer_id=3, name="丙", check_overdue_since=NOW)
    views = [
        replace(BASE, volunteer_id=4, phase=Phase.UNAVAILABLE, state=State.UNAVAILABLE),
        BASE,
        calm,
        late,
        helped,
    ]
    people = [place(v, returning_since=None, return_minutes=120, now=NOW) for v in views]
    order = grouped(people, returning=False)
    assert [state for state, _ in order] == ["on_scene", "confirmed", "unavailable"]
    assert [p.person.name for p in order[0][1]] == ["乙", "丙", "甲"]
    assert [p.person.name for p in alerts(people)] == ["乙", "丙"]


def test_a_state_without_a_label_yet_is_shown_by_its_name() -> None:
    assert _label("dashboard.state", "on_scene", "en") == "On scene"
    assert _label("dashboard.state", "still_out", "zh") == "尚未返回"
    assert _label("dashboard.state", "regrouping", "en") == "regrouping"


async def test_a_burst_of_changes_wakes_a_screen_once_and_a_closed_screen_is_forgotten() -> None:
    hub = ChangeHub()
    with hub.subscribe() as screen:
        for _ in range(263):
            hub.publish(4)
        hub.publish(5)
        assert await screen.wait(1) == {4, 5}
        assert await asyncio.wait_for(screen.wait(0.01), 1) == set()
        assert hub.subscribers == 1
    assert hub.subscribers == 0
    hub.publish(4)  # nobody listening: nothing kept
