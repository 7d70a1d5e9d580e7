"""Incident operations against fakes of our own ports and a fake clock: on scene, safety
checks (also across a restart), the return, hours and the debrief, phone answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from common.clock import FakeClock
from common.errors import DomainError
from missions import delivery
from missions.actions import HoursFix, HoursRight, NeedHelp
from missions.incident import Mark, MarkRequest, Phase
from missions.incident_service import IncidentConfig, IncidentService
from missions.model import GeoPoint
from missions.service import CalloutConfig, CalloutService
from roster.repository import RosterRepository
from storage.db import Database
from tests.factories import add_coordinator, add_volunteer
from tests.unit.test_callout_service import COORD, LEADER, TODAY, FakeNotifier, start

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFIG = IncidentConfig(check_minutes=60, grace_minutes=10, return_minutes=120)


@dataclass
class FakeTimer:
    due: dict[int, datetime] = field(default_factory=dict)

    def schedule_incident(self, callout_id: int, at: datetime) -> None:
        self.due[callout_id] = at


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 1, 2, 0, tzinfo=ZoneInfo("UTC")))


def build(db: Database, notifier: FakeNotifier, clock: FakeClock) -> IncidentService:
    config = CalloutConfig(language="zh", escalate_minutes=10, tz=SHANGHAI, mission_target=59)
    callouts = CalloutService(db, RosterRepository(db), notifier, clock, config)
    return IncidentService(callouts, FakeTimer(), CONFIG)


@pytest.fixture
def incident(db: Database, notifier: FakeNotifier, clock: FakeClock) -> IncidentService:
    return build(db, notifier, clock)


async def crew(db: Database) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER, phone="+8613900000000")
    await add_coordinator(db, COORD)
    for n in range(1, 4):
        await add_volunteer(
            db,
            f"队员{n}",
            telegram_id=n,
            phone=f"+861390000000{n}",
            skills=["mountain_search"],
            fitness_passed_on=TODAY,
        )


@pytest.fixture
async def on_scene(db: Database, incident: IncidentService) -> int:
    """The crew, and callout #1 with 队员1 on scene (`on_scene_callout`)."""
    await crew(db)
    return await on_scene_callout(incident)


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A send that found Telegram unreachable is tried again at once, not after a second."""
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.01,))


async def on_scene_callout(incident: IncidentService) -> int:
    """Callout #1 for two: 队员1 and 队员2 confirmed, 队员3 on standby; 队员1 on scene."""
    callout_id = await start(incident.callouts)
    for n in (1, 2, 3):
        await incident.callouts.tap(n, callout_id, "a", "zh")
    assert "到达现场" in await incident.on_scene(1, callout_id, "zh")
    await incident.callouts.drain()
    return callout_id


async def settle(incident: IncidentService, clock: FakeClock, callout_id: int) -> None:
    """Run what the timer asked to run by now (as the job queue would)."""
    timer = incident.timer
    assert isinstance(timer, FakeTimer)
    while callout_id in timer.due and timer.due[callout_id] <= clock.now():
        del timer.due[callout_id]
        await incident.tick(callout_id)
        await incident.callouts.drain()


async def tick_at(incident: IncidentService, clock: FakeClock, callout_id: int) -> None:
    """Move the clock to the next deadline the timer asked for, and run it."""
    await settle(incident, clock, callout_id)
    timer = incident.timer
    assert isinstance(timer, FakeTimer)
    clock.set(max(clock.now(), timer.due[callout_id]))
    await settle(incident, clock, callout_id)


def texts_to(notifier: FakeNotifier, chat: int) -> list[str]:
    return [s.text for s in notifier.to(chat)]


async def test_on_scene_is_recorded_once_and_the_first_check_is_one_interval_later(
    db: Database, incident: IncidentService, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    assert "没有变化" in await incident.on_scene(1, callout_id, "zh")
    callout = await incident.callouts.callout(callout_id)
    assert callout.next_check_at == clock.now() + timedelta(minutes=60)
    views = await incident.repo.responders(callout_id, now=clock.now(), grace_minutes=10)
    phases = {v.name: v.phase for v in views}
    assert phases == {"队员1": Phase.ON_SCENE, "队员2": Phase.CONFIRMED, "队员3": Phase.STANDBY}


async def test_someone_who_said_unavailable_cannot_be_on_scene(
    db: Database, incident: IncidentService
) -> None:
    await crew(db)
    callout_id = await start(incident.callouts)
    await incident.callouts.tap(2, callout_id, "u", "zh")
    assert "请先点击" in await incident.on_scene(2, callout_id, "zh")
    assert "不是发给你" in await incident.on_scene(LEADER, callout_id, "zh")


async def test_a_missed_check_reaches_the_leader_with_phone_and_position_then_coordinators(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    await incident.record_position(1, GeoPoint(30.25, 120.15))
    arrived = clock.now()
    await tick_at(incident, clock, callout_id)  # the round
    ask = next(s for s in notifier.to(1) if "安全确认" in s.text)
    assert ask.buttons and [label for label, _ in ask.buttons[0]] == ["平安", "需要支援"]
    await tick_at(incident, clock, callout_id)  # the grace is over
    alert = texts_to(notifier, LEADER)[-1]
    assert "未回复安全确认" in alert and "队员1 (SD) 139 0000 0001" in alert
    assert "30.25000, 120.15000" in alert
    assert clock.now() - arrived <= timedelta(minutes=60 + 10)
    assert not any("安全确认" in text for text in texts_to(notifier, COORD))
    await tick_at(incident, clock, callout_id)  # twice the grace
    assert "仍未回复安全确认" in texts_to(notifier, COORD)[-1]
    assert (await incident.repo.overdue_ids(callout_id)) == {
        v.volunteer_id
        for v in await incident.repo.responders(callout_id, now=clock.now(), grace_minutes=10)
        if v.name == "队员1"
    }


async def test_need_help_alerts_the_leader_and_coordinators_at_once_with_a_pin(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    await incident.record_position(1, GeoPoint(30.25, 120.15))
    await tick_at(incident, clock, callout_id)
    ask = next(s for s in notifier.to(1) if "安全确认" in s.text)
    assert ask.buttons is not None
    help_action = ask.buttons[0][1][1]
    assert isinstance(help_action, NeedHelp) and help_action.callout_id == callout_id
    answer = await incident.button(1, help_action, "zh")
    assert "已通知" in answer
    await incident.callouts.drain()
    for chat in (LEADER, COORD):
        alert = notifier.to(chat)[-1]
        assert "请求支援" in alert.text and alert.location == GeoPoint(30.25, 120.15)
    assert "没有变化" in await incident.button(1, help_action, "zh")
    assert "不是发给你" in await incident.button(2, help_action, "zh")


@pytest.mark.usefixtures("quick_retries")
async def test_a_need_help_alert_outlasts_an_outage_and_arrives_once(
    incident: IncidentService, notifier: FakeNotifier, clock: FakeClock, on_scene: int
) -> None:
    callout_id = on_scene
    await tick_at(incident, clock, callout_id)
    ask = next(s for s in notifier.to(1) if "安全确认" in s.text)
    assert ask.buttons is not None
    notifier.down = True  # Telegram unreachable just as the responder asks for help
    await incident.button(1, ask.buttons[0][1][1], "zh")
    for chat in (LEADER, COORD):
        await notifier.tried(chat, "请求支援")
    notifier.down = False
    await incident.callouts.drain()
    for chat in (LEADER, COORD):
        assert len([s for s in notifier.to(chat) if "请求支援" in s.text]) == 1


@pytest.mark.usefixtures("quick_retries")
async def test_a_safety_check_asked_during_an_outage_arrives_once_it_is_over(
    incident: IncidentService, notifier: FakeNotifier, clock: FakeClock, on_scene: int
) -> None:
    callout_id = on_scene
    await settle(incident, clock, callout_id)
    timer = incident.timer
    assert isinstance(timer, FakeTimer)
    notifier.down = True
    clock.set(timer.due.pop(callout_id))  # the check round
    await incident.tick(callout_id)  # returns while the question waits out the outage
    await notifier.tried(1, "安全确认")
    notifier.down = False
    await incident.callouts.drain()
    assert len([s for s in notifier.to(1) if "安全确认" in s.text]) == 1


@pytest.mark.usefixtures("quick_retries")
async def test_the_home_safe_question_asked_during_an_outage_arrives_once_it_is_over(
    incident: IncidentService, notifier: FakeNotifier, on_scene: int
) -> None:
    callout_id = on_scene
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    await incident.callouts.close(leader, callout_id, 0, "")
    await incident.callouts.drain()
    notifier.down = True  # Telegram unreachable as the callout ends
    await incident.after_close(callout_id)
    await notifier.tried(1, "安全到家")
    notifier.down = False
    await incident.callouts.drain()
    assert len([s for s in notifier.to(1) if "安全到家" in s.text]) == 1


async def test_a_check_due_while_the_bot_was_down_is_sent_at_start_up(
    db: Database, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    first = build(db, notifier, clock)
    callout_id = await on_scene_callout(first)
    # The bot stops; the round falls due while it is down; a new process starts.
    clock.advance(minutes=90)
    second = build(db, notifier, clock)
    assert await second.resume() == 1
    await settle(second, clock, callout_id)
    assert any("安全确认" in text for text in texts_to(notifier, 1))
    callout = await second.callouts.callout(callout_id)
    # One round, not one per missed interval; the next counts from now.
    assert callout.next_check_at == clock.now() + timedelta(minutes=60)
    assert len([t for t in texts_to(notifier, 1) if "安全确认" in t]) == 1


async def test_the_return_asks_home_safe_flags_who_is_still_out_and_says_everyone_is_home(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    clock.advance(hours=3)
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    closed = await incident.callouts.close(leader, callout_id, 1, "")
    assert closed.participants == 2
    assert await incident.after_close(callout_id) == 2
    await incident.callouts.drain()
    board = (await incident.callouts.status(leader, None))[0]
    assert "返程中" in board and "已安全返回 0/2" in board
    clock.advance(hours=1)
    assert "欢迎回来" in await incident.home_safe(1, callout_id, "zh")
    await incident.callouts.drain()
    debrief = notifier.to(1)[-1]
    assert "4 小时" in debrief.text and debrief.buttons is not None
    await tick_at(incident, clock, callout_id)  # the return interval
    overdue = texts_to(notifier, LEADER)[-1]
    assert "未确认安全返回" in overdue and "队员2 (SD) 139 0000 0002" in overdue
    assert "队员1" not in overdue
    await tick_at(incident, clock, callout_id)
    assert "仍有 1 人未确认安全返回" in texts_to(notifier, COORD)[-1]
    reply = await incident.mark(leader, MarkRequest(callout_id, "队员2", Mark.SAFE))
    assert "队员2" in reply
    await incident.callouts.drain()
    assert "全员 2 人已安全返回" in texts_to(notifier, LEADER)[-1]
    assert await incident.callouts.status(leader, None) == ["目前没有进行中的召集。"]


async def test_the_debrief_keeps_counted_and_confirmed_hours_and_reports_read_confirmed(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    clock.advance(hours=2)
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    closed = await incident.callouts.close(leader, callout_id, 0, "")
    await incident.after_close(callout_id)
    await incident.callouts.drain()  # the stand-down has arrived before anyone is home
    await incident.home_safe(1, callout_id, "zh")
    await incident.home_safe(2, callout_id, "zh")
    await incident.callouts.drain()
    right = notifier.to(1)[-1].buttons
    fix = notifier.to(2)[-1].buttons
    assert right is not None and fix is not None
    right_action, fix_action = right[0][0][1], fix[0][1][1]
    assert isinstance(right_action, HoursRight) and isinstance(fix_action, HoursFix)
    assert "已记录" in await incident.button(1, right_action, "zh")
    assert "回复" in await incident.button(2, fix_action, "zh")
    with pytest.raises(DomainError):
        await incident.correct_hours(2, "七十")
    assert "6.5" in (await incident.correct_hours(2, "6.5") or "")
    assert await incident.correct_hours(2, "3") is None  # nothing asked any more
    record = await incident.mission_record(leader, closed.mission_id)
    assert "队员1 (SD) 2 小时 · 已确认" in record and "修改为 6.5 小时" in record
    rows = await db.fetchall(
        "SELECT counted_hours, confirmed_hours, hours FROM mission_participants ORDER BY "
        "volunteer_id"
    )
    assert [tuple(r) for r in rows] == [(2.0, 2.0, 2.0), (2.0, 6.5, 6.5)]


async def test_phone_answers_count_in_the_headcount_and_the_participants(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    await add_volunteer(db, "没微信", phone="+8613800009999")  # not linked: never paged
    callout_id = await start(incident.callouts)
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    await incident.callouts.tap(1, callout_id, "a", "zh")
    reply = await incident.mark(leader, MarkRequest(callout_id, "没微信", Mark.AVAILABLE, eta=30))
    assert "电话确认" in reply
    callout = await incident.callouts.callout(callout_id)
    assert callout.status.value == "filled"
    await incident.mark(leader, MarkRequest(callout_id, "没微信", Mark.ON_SCENE))
    await incident.callouts.drain()
    board = (await incident.callouts.status(leader, callout_id))[0]
    assert "到达现场 1" in board and "没微信 (SD)" in board and "队长代记" in board
    closed = await incident.callouts.close(leader, callout_id, 0, "")
    assert closed.participants == 2
    audit = await db.fetchall("SELECT detail FROM audit_log WHERE action IN ('mark','on_scene')")
    assert all('"by": "leader"' in r[0] for r in audit) and len(audit) == 2
    with pytest.raises(DomainError):
        await incident.mark(leader, MarkRequest(callout_id, "队员3", Mark.SAFE))


async def test_a_member_cannot_mark_or_change_the_check_interval(
    db: Database, incident: IncidentService
) -> None:
    await crew(db)
    callout_id = await start(incident.callouts)
    member = await incident.roster.actor(1, "zh", "zh")
    with pytest.raises(DomainError):
        await incident.mark(member, MarkRequest(callout_id, "队员2", Mark.AVAILABLE))
    with pytest.raises(DomainError):
        await incident.set_check(member, callout_id, 5)


async def test_a_callout_cancelled_with_people_on_scene_still_waits_for_them_to_come_home(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    await incident.callouts.cancel(leader, callout_id, "伤者已自行下山")
    assert (await incident.callouts.callout(callout_id)).returning
    assert await incident.after_close(callout_id) == 2
    await incident.callouts.drain()
    assert any("已取消。安全到家后" in text for text in texts_to(notifier, 1))
    await incident.home_safe(1, callout_id, "zh")
    await incident.home_safe(2, callout_id, "zh")
    await incident.callouts.drain()
    assert "全员 2 人已安全返回" in texts_to(notifier, LEADER)[-1]


async def test_a_callout_cancelled_before_anyone_arrived_has_no_return_phase(
    db: Database, incident: IncidentService
) -> None:
    await crew(db)
    callout_id = await start(incident.callouts)
    await incident.callouts.tap(1, callout_id, "a", "zh")
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    await incident.callouts.cancel(leader, callout_id, "")
    assert not (await incident.callouts.callout(callout_id)).returning


async def test_home_safe_questions_not_sent_before_a_crash_go_out_at_start_up(
    db: Database, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    first = build(db, notifier, clock)
    callout_id = await on_scene_callout(first)
    leader = await first.roster.actor(LEADER, "zh", "zh")
    await first.callouts.close(leader, callout_id, 0, "")  # …and the bot dies here
    await first.callouts.drain()
    assert not any("安全到家后" in text for text in texts_to(notifier, 1))
    second = build(db, notifier, clock)
    await second.resume()
    await second.callouts.drain()
    for chat in (1, 2):
        assert any("安全到家后" in text for text in texts_to(notifier, chat))
    await second.resume()  # a second restart asks nobody twice
    await second.callouts.drain()
    assert len([t for t in texts_to(notifier, 1) if "安全到家后" in t]) == 1


async def test_a_standby_volunteer_who_turns_up_counts_as_a_participant_with_hours(
    db: Database, incident: IncidentService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await crew(db)
    callout_id = await on_scene_callout(incident)  # 队员3 is on standby
    clock.advance(minutes=30)
    assert "到达现场" in await incident.on_scene(3, callout_id, "zh")
    await incident.callouts.drain()
    leader = await incident.roster.actor(LEADER, "zh", "zh")
    board = (await incident.callouts.status(leader, callout_id))[0]
    assert "到达现场 2" in board and "待命" not in board  # moved from standby to on scene
    clock.advance(hours=2)
    closed = await incident.callouts.close(leader, callout_id, 0, "")
    assert closed.participants == 3
    hours = await db.fetchone(
        "SELECT p.hours FROM mission_participants p JOIN volunteers v ON v.id = p.volunteer_id "
        "WHERE v.name = '队员3'"
    )
    assert hours is not None and hours[0] == 2.0
