"""The duty officer's page through an incident, driven by the incident service with fakes
of our own ports and a fake clock: every step signals the board change open pages wait
for, and the page then shows on scene, alerts on top, the return phase and who is out."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from common.clock import FakeClock
from dashboard.page import PageConfig, build_page
from dashboard.view import Viewer
from missions.actions import NeedHelp
from missions.incident import Mark, MarkRequest
from missions.incident_service import IncidentService
from missions.model import GeoPoint
from storage.db import Database
from tests.unit import test_incident_service as incident_tests
from tests.unit.test_callout_service import LEADER, FakeNotifier
from tests.unit.test_incident_service import crew, on_scene_callout, tick_at

CONFIG = PageConfig(
    ZoneInfo("Asia/Shanghai"),
    59,
    "http://127.0.0.1:9/{z}/{x}/{y}.png",
    grace_minutes=10,
    return_minutes=120,
)
DUTY = Viewer("en", coordinator=True)


# The incident tests' fixtures: a fake notifier and clock, and the service on them.
notifier, clock, incident = incident_tests.notifier, incident_tests.clock, incident_tests.incident


async def page(db: Database, at: FakeClock, viewer: Viewer = DUTY) -> dict[str, Any]:
    return await build_page(db, viewer, CONFIG, at.now())


def people(callout: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for g in callout["groups"] for p in g["people"]}


def group_of(callout: dict[str, Any], name: str) -> str:
    return str(people(callout)[name]["state"])


def signalled(fake: FakeNotifier, callout_id: int, since: int) -> bool:
    return callout_id in fake.boards[since:]


async def test_on_scene_shows_the_check_in_time_and_a_position_on_the_map(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    assert callout_id in notifier.boards
    before = len(notifier.boards)
    await incident.record_position(1, GeoPoint(30.25, 120.15))
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    assert callout["phase"] == "open" and callout["on_scene"] == 1
    assert callout["confirmed"] == 2 and callout["needed"] == 2
    assert [g["state"] for g in callout["groups"]][:3] == ["on_scene", "confirmed", "standby"]
    scene = callout["groups"][0]
    assert scene["label"] == "On scene"
    first = people(callout)["队员1"]
    assert first["times"]["on_scene"] and first["position"] == [30.25, 120.15]
    assert first["on_map"] and first["phone"] == "139 0000 0001"
    assert not people(callout)["队员2"]["on_map"]
    assert callout["alerts"] == []


async def test_a_missed_check_then_need_help_head_the_card_and_put_the_callout_first(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    await tick_at(incident, clock, callout_id)  # the round of checks
    before = len(notifier.boards)
    await tick_at(incident, clock, callout_id)  # the grace is over: missed
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    [overdue] = callout["alerts"]
    assert overdue["name"] == "队员1"
    assert [f["code"] for f in overdue["flags"] if f["alert"]] == ["check_overdue"]
    assert overdue["flags"][0]["label"] == "Safety check overdue"

    # Need help on the (late) answer: at once, and first among the flags.
    ask = next(s for s in notifier.to(1) if "安全确认" in s.text)
    assert ask.buttons is not None
    before = len(notifier.boards)
    help_action = ask.buttons[0][1][1]
    assert isinstance(help_action, NeedHelp)
    await incident.button(1, help_action, "zh")
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    [helped] = callout["alerts"]
    assert helped["flags"][0]["code"] == "need_help" and helped["flags"][0]["since"]


async def test_after_close_the_callout_stays_in_its_return_phase_until_everyone_is_home(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    clock.advance(hours=3)
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    before = len(notifier.boards)
    await incident.callouts.close(leader, callout_id, 1, "")
    await incident.after_close(callout_id)
    await incident.callouts.drain()
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    assert callout["phase"] == "return" and callout["status"] == "closed"
    assert callout["home"] == {"safe": 0, "total": 2}
    assert callout["groups"][0]["state"] == "still_out"
    assert callout["groups"][0]["label"] == "Still out"
    assert {p["name"] for p in callout["groups"][0]["people"]} == {"队员1", "队员2"}
    assert group_of(callout, "队员3") == "standby"

    before = len(notifier.boards)
    await incident.home_safe(1, callout_id, "zh")
    await incident.callouts.drain()
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    assert callout["home"] == {"safe": 1, "total": 2}
    assert group_of(callout, "队员1") == "home_safe"
    assert people(callout)["队员1"]["times"]["home_safe"]

    # Nobody heard from 队员2 within the return interval: flagged, and the page is told.
    before = len(notifier.boards)
    await tick_at(incident, clock, callout_id)
    assert signalled(notifier, callout_id, before)
    [callout] = (await page(db, clock))["callouts"]
    [out] = callout["alerts"]
    assert out["name"] == "队员2" and out["flags"][0]["code"] == "return_overdue"

    before = len(notifier.boards)
    await incident.mark(leader, MarkRequest(callout_id, "队员2", Mark.SAFE))
    await incident.callouts.drain()
    assert signalled(notifier, callout_id, before)
    assert (await page(db, clock))["callouts"] == []


async def test_a_wall_screen_shows_the_incident_without_any_phone(
    db: Database, incident: IncidentService, clock: FakeClock
) -> None:
    await crew(db)
    await on_scene_callout(incident)
    await incident.record_position(1, GeoPoint(30.25, 120.15))
    wall = await page(db, clock, Viewer.wall_screen("zh", None))
    [callout] = wall["callouts"]
    assert people(callout)["队员1"]["on_map"]
    assert all(p["phone"] is None for p in people(callout).values())
    assert "139" not in str(wall["callouts"])
    other_team = await page(db, clock, Viewer("en", team="HR", kind="leader"))
    assert other_team["callouts"] == []
