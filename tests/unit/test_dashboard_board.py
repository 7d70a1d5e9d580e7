"""Responders as a generic list, so new states and columns show up without a change."""

from __future__ import annotations

import asyncio

from dashboard.board import grouped, responder_from_row
from dashboard.live import ChangeHub
from dashboard.page import _label

BASE = {
    "callout_id": 1,
    "volunteer_id": 7,
    "name": "王五",
    "team_code": "SD",
    "phone": "+8613800000001",
    "telegram_id": 70,
    "state": "available",
    "eta_minutes": 30,
    "reason": None,
    "chat_id": 70,
    "message_id": 5,
    "language": "zh",
    "paged_at": "2026-06-01T01:00:00+00:00",
    "answered_at": "2026-06-01T01:02:00+00:00",
    "confirmed_at": None,
}


def test_a_responder_row_gives_times_without_the_plumbing_columns() -> None:
    person = responder_from_row(BASE)
    assert person.state == "available" and person.eta_minutes == 30
    assert dict(person.times) == {"paged": BASE["paged_at"], "answered": BASE["answered_at"]}
    assert person.flags == () and person.position is None


def test_a_new_state_flag_and_last_position_show_up_without_a_change_here() -> None:
    row = BASE | {
        "state": "on_scene",
        "on_scene_at": "2026-06-01T02:00:00+00:00",
        "need_help": 1,
        "check_overdue": 0,
        "last_latitude": 30.25,
        "last_longitude": 120.17,
        "checks_count": 1,
    }
    person = responder_from_row(row)
    assert person.state == "on_scene"
    assert ("on_scene", row["on_scene_at"]) in person.times
    assert person.flags == ("need_help",)
    assert person.position == (30.25, 120.17)


def test_states_are_grouped_in_board_order_with_unknown_ones_last() -> None:
    rows = [
        BASE | {"volunteer_id": 1, "state": "unavailable"},
        BASE | {"volunteer_id": 2, "state": "regrouping"},
        BASE | {"volunteer_id": 3, "state": "available"},
        BASE | {"volunteer_id": 4, "state": "on_scene", "need_help": 1},
    ]
    order = [state for state, _ in grouped([responder_from_row(r) for r in rows])]
    assert order == ["on_scene", "available", "unavailable", "regrouping"]


def test_a_state_without_a_label_yet_is_shown_by_its_name() -> None:
    assert _label("dashboard.state", "on_scene", "en") == "On scene"
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
