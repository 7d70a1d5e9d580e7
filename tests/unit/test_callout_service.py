"""The callout service against a fake Notifier: who is paged, taps, escalation, closing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from common.clock import FakeClock
from common.errors import DomainError, NotAllowed
from missions import delivery
from missions.actions import Widen
from missions.busy_repository import ReminderRepository
from missions.model import GeoPoint, MissionEntry, State, parse_callout
from missions.ports import BLOCKED, UNREACHABLE, Buttons, Delivery
from missions.service import CalloutConfig, CalloutService
from roster.repository import RosterRepository
from storage.db import Database
from storage.unit_of_work import UnitOfWork
from tests.factories import add_coordinator, add_volunteer

LEADER = 100
COORD = 900
TODAY = date(2026, 6, 1)


@dataclass
class Sent:
    chat_id: int
    text: str
    buttons: Buttons | None
    location: GeoPoint | None
    message_id: int


@dataclass
class FakeNotifier:
    sent: list[Sent] = field(default_factory=list)
    edits: list[tuple[int, int, str | None, Buttons | None]] = field(default_factory=list)
    boards: list[int] = field(default_factory=list)
    timers: dict[int, datetime] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    down: bool = False  # Telegram unreachable
    tries: list[tuple[int, str]] = field(default_factory=list)  # every send, delivered or not
    _tried: asyncio.Event = field(default_factory=asyncio.Event)
    edits_down: bool = False  # Telegram unreachable for edits
    edit_tries: list[int] = field(default_factory=list)  # the chat of every edit tried
    held: dict[int, asyncio.Event] = field(default_factory=dict)  # sends wait till set

    async def edit_tried(self, chat_id: int, times: int) -> None:
        """Wait until edits in `chat_id` have been tried `times` times (10 s at most)."""
        async with asyncio.timeout(10):
            while self.edit_tries.count(chat_id) < times:
                self._tried.clear()
                await self._tried.wait()

    async def tried(self, chat_id: int, text: str) -> None:
        """Wait until a send of `text` to `chat_id` has been tried."""
        while not any(c == chat_id and text in t for c, t in self.tries):
            self._tried.clear()
            await self._tried.wait()

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None = None,
        *,
        location: GeoPoint | None = None,
        reply_to: int | None = None,
        page: bool = False,
        patient: bool = False,
    ) -> Delivery:
        self.tries.append((chat_id, text))
        self._tried.set()
        if (gate := self.held.get(chat_id)) is not None:
            await gate.wait()
        if self.down:
            return Delivery(failure=UNREACHABLE)
        if chat_id in self.blocked:
            return Delivery(failure=BLOCKED)
        self.sent.append(Sent(chat_id, text, buttons, location, len(self.sent) + 1))
        return Delivery(message_id=len(self.sent))

    async def edit(
        self, chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> bool:
        self.edit_tries.append(chat_id)
        self._tried.set()
        if self.edits_down:
            return False
        self.edits.append((chat_id, message_id, text, buttons))
        return True

    def board_changed(self, callout_id: int) -> None:
        self.boards.append(callout_id)

    def schedule_escalation(self, callout_id: int, at: datetime) -> None:
        self.timers[callout_id] = at

    def tried_texts(self, chat_id: int) -> list[str]:
        return [text for chat, text in self.tries if chat == chat_id]

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def service(db: Database, notifier: FakeNotifier, clock: FakeClock) -> CalloutService:
    config = CalloutConfig(
        language="zh", escalate_minutes=10, tz=ZoneInfo("Asia/Shanghai"), mission_target=59
    )
    return CalloutService(db, RosterRepository(db), notifier, clock, config)


async def team(db: Database) -> dict[str, int]:
    """A leader and eight members: four ready, one uninsured, away, unskilled, blocked."""
    ids = {
        "leader": await add_volunteer(
            db,
            "队长",
            role="leader",
            telegram_id=LEADER,
            skills=["mountain_search"],
            fitness_passed_on=TODAY,
        )
    }
    for n in range(1, 5):
        ids[f"ok{n}"] = await add_volunteer(
            db, f"队员{n}", telegram_id=n, skills=["mountain_search"], fitness_passed_on=TODAY
        )
    ids["uninsured"] = await add_volunteer(
        db,
        "无保险",
        telegram_id=5,
        skills=["mountain_search"],
        insured_until=None,
        fitness_passed_on=TODAY,
    )
    ids["away"] = await add_volunteer(
        db,
        "外出",
        telegram_id=6,
        skills=["mountain_search"],
        away_until=TODAY,
        fitness_passed_on=TODAY,
    )
    ids["unskilled"] = await add_volunteer(db, "无技能", telegram_id=7, fitness_passed_on=TODAY)
    ids["blocked"] = await add_volunteer(
        db, "屏蔽", telegram_id=8, skills=["mountain_search"], fitness_passed_on=TODAY
    )
    return ids


async def leader(service: CalloutService) -> object:
    return await service.roster.actor(LEADER, "zh", "zh")


async def start(
    service: CalloutService, args: str = "mountain 2 凤凰山 skills=mountain_search"
) -> int:
    actor = await service.roster.actor(LEADER, "zh", "zh")
    request = parse_callout(args.split(), await service.skill_aliases())
    result = await service.start(actor, request)
    assert result.callout_id is not None
    return result.callout_id


async def test_only_eligible_volunteers_are_paged_and_the_rest_are_listed(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    notifier.blocked.add(8)
    callout_id = await start(service)
    await service.drain()  # the board goes out beside the pages, not before them
    paged = {s.chat_id for s in notifier.sent if s.buttons}
    assert paged == {LEADER, 1, 2, 3, 4}
    people = {p.name: p for p in await service.repo.people(callout_id)}
    assert people["屏蔽"].state is State.UNDELIVERABLE and people["屏蔽"].reason == BLOCKED
    reasons = {x.name: x.reason for x in await service.repo.left_out(callout_id)}
    assert reasons == {"无保险": "uninsured", "外出": "away", "无技能": "skill_missing"}
    actor = await service.roster.actor(LEADER, "zh", "zh")
    board = await service.board_text(callout_id, actor)
    assert "无保险 138" in board and "已屏蔽机器人" in board and "已确认 0/2" in board
    page = notifier.to(1)[0]
    assert page.buttons is not None
    assert [b[0] for b in page.buttons[0]] == ["可以出队", "无法出队"]
    assert notifier.timers[callout_id] == datetime(2026, 6, 1, 2, 10, tzinfo=UTC)


async def test_a_member_cannot_call_out(db: Database, service: CalloutService) -> None:
    await add_volunteer(db, "队员", telegram_id=42)
    actor = await service.roster.actor(42, "zh", "zh")
    with pytest.raises(NotAllowed):
        await service.start(actor, parse_callout(["mountain", "2", "hill"], {}))


async def test_a_leader_cannot_call_out_another_team(db: Database, service: CalloutService) -> None:
    await team(db)
    actor = await service.roster.actor(LEADER, "zh", "zh")
    with pytest.raises(NotAllowed):
        await service.start(actor, parse_callout(["mountain", "2", "hill", "team=HR"], {}))


async def test_taps_fill_then_standby_then_promote(
    db: Database, service: CalloutService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await team(db)
    callout_id = await start(service)
    answers = []
    for chat in (1, 2, 3):
        clock.advance(seconds=1)
        answers.append(await service.tap(chat, callout_id, "a", "zh"))
    assert "待命" in answers[2]
    assert (await service.repo.get(callout_id)).status.value == "filled"  # type: ignore[union-attr]
    assert "没有变化" in await service.tap(2, callout_id, "a", "zh")
    await service.tap(1, callout_id, "u", "zh")
    await service.drain()
    states = {p.telegram_id: p.state for p in await service.repo.people(callout_id)}
    assert states[1] is State.UNAVAILABLE and states[3] is State.AVAILABLE
    assert any("待命转为确认" in s.text for s in notifier.to(3))
    assert await service.tap(2, callout_id, "eta", "zh", eta=30) == "已记录：30 分钟到。"


async def test_taps_in_the_same_instant_never_over_fill_and_each_is_audited(
    db: Database, service: CalloutService
) -> None:
    await team(db)
    callout_id = await start(service)  # needs 2; volunteers 1-4 and the leader are paged
    answers = await asyncio.gather(*(service.tap(n, callout_id, "a", "zh") for n in (1, 2, 3, 4)))
    await service.drain()
    states = [p.state for p in await service.repo.people(callout_id) if p.telegram_id != LEADER]
    assert states.count(State.AVAILABLE) == 2 and states.count(State.STANDBY) == 2
    assert sum("待命" in a for a in answers) == 2
    taps = await db.fetchall("SELECT actor FROM audit_log WHERE action = 'tap'")
    assert sorted(r[0] for r in taps) == [1, 2, 3, 4]


async def test_a_tap_by_someone_not_paged_changes_nothing(
    db: Database, service: CalloutService
) -> None:
    await team(db)
    callout_id = await start(service)
    assert "不是发给你" in await service.tap(7, callout_id, "a", "zh")
    assert all(
        p.state is State.PAGED
        for p in await service.repo.people(callout_id)
        if p.telegram_id in (1, 2, 3, 4)
    )


async def test_escalation_reminds_then_tells_coordinators(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    await add_coordinator(db, COORD)
    await add_volunteer(
        db, "蓝天", team="LT", telegram_id=77, skills=["mountain_search"], fitness_passed_on=TODAY
    )
    callout_id = await start(service)
    await service.tap(1, callout_id, "a", "zh")
    await service.escalate(callout_id)
    assert any("提醒" in s.text for s in notifier.to(2))
    caller_note = notifier.to(LEADER)[-1].text
    assert "队员2" in caller_note and "138" in caller_note and "队员1" not in caller_note
    await service.escalate(callout_id)
    alert = notifier.to(COORD)[-1]
    assert "还缺 1/2" in alert.text and "1 名符合" in alert.text
    assert alert.buttons and alert.buttons[0][0][1] == Widen(callout_id)
    # Still short an interval later: the coordinators hear again, until they mute it.
    await service.escalate(callout_id)
    assert len(notifier.to(COORD)) == 2 and "再次提醒" in notifier.to(COORD)[-1].text
    await service.mute(await service.roster.actor(COORD, "zh", "zh"), callout_id)
    await service.escalate(callout_id)
    assert len(notifier.to(COORD)) == 2
    coordinator = await service.roster.actor(COORD, "zh", "zh")
    assert await service.widen(coordinator, callout_id) == 1
    with pytest.raises(DomainError):  # every team is in already: nobody is paged twice
        await service.widen(coordinator, callout_id, "LT")


async def set_message_id(
    db: Database, callout_id: int, telegram_id: int, value: int | None
) -> None:
    """A page still queued (None) or arrived (an id): as a fan-out longer than the interval
    leaves them."""
    async with UnitOfWork(db) as uow:
        await uow.tx.execute(
            "UPDATE responses SET message_id = ? WHERE callout_id = ? AND volunteer_id = "
            "(SELECT id FROM volunteers WHERE telegram_id = ?)",
            (value, callout_id, telegram_id),
        )


async def test_nobody_is_reminded_before_their_page_arrives_and_the_caller_hears_how_many_wait(
    db: Database, service: CalloutService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await team(db)
    callout_id = await start(service)
    await set_message_id(db, callout_id, 3, None)  # 队员3's page is still in the queue
    await service.escalate(callout_id)
    assert any("提醒" in s.text for s in notifier.to(2))
    assert not any("提醒" in s.text for s in notifier.to(3))
    caller_note = notifier.to(LEADER)[-1].text
    # Not replied either: the leader may ring 队员3, listed after the queued-pages line.
    queued_line = caller_note.index("另有 1 人的召集通知仍在发送中")
    assert caller_note.index("队员3") > queued_line
    # The page arrives; a whole interval later 队员3 is reminded like anyone paged late.
    await set_message_id(db, callout_id, 3, 999)
    clock.advance(minutes=11)
    await service.escalate(callout_id)
    assert any("提醒" in s.text for s in notifier.to(3))
    assert sum("提醒" in s.text for s in notifier.to(2)) == 1


async def escalate_beside_another_fan_out(
    service: CalloutService, notifier: FakeNotifier
) -> tuple[int, asyncio.Task[int], asyncio.Task[None]]:
    """The first callout escalates while a second one's fan-out is still going out (its page
    to 队员4 is on the wire until `notifier.held[4]` is set); returns once the caller has
    their list."""
    first = await start(service)
    notifier.held[4] = asyncio.Event()
    second = asyncio.create_task(start(service, "flood 2 城西街道"))
    await notifier.tried(4, "城西街道")
    escalation = asyncio.create_task(service.escalate(first))
    await notifier.tried(LEADER, "已提醒")
    return first, second, escalation


async def test_reminders_wait_until_the_pages_still_going_out_have_gone(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    first, second, escalation = await escalate_beside_another_fan_out(service, notifier)
    # The caller hears at once (with the phones, and that the reminders follow the pages);
    # nobody has a reminder before every page has gone.
    assert "先让每个人收到召集" in notifier.tried_texts(LEADER)[-1]
    assert not any("提醒：" in text for _, text in notifier.tries)
    await service.tap(2, first, "u", "zh")  # answered meanwhile: no reminder needed
    notifier.held[4].set()
    await second
    await escalation
    reminded = {chat for chat, text in notifier.tries if "提醒：" in text}
    assert reminded == {1, 3, 4, 8}


async def test_reminders_a_stop_cut_off_before_they_went_are_due_again(
    db: Database, service: CalloutService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await team(db)
    first, second, escalation = await escalate_beside_another_fan_out(service, notifier)
    escalation.cancel()
    second.cancel()
    await asyncio.gather(escalation, second, return_exceptions=True)
    # After a restart the next round finds them due: nobody silent goes unreminded.
    clock.advance(minutes=11)
    due = await ReminderRepository(db).due(first, clock.now())
    assert len(due) == 5


async def test_close_logs_the_mission_with_confirmed_participants(
    db: Database, service: CalloutService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await team(db)
    callout_id = await start(service)
    await service.tap(1, callout_id, "a", "zh")
    await service.tap(2, callout_id, "u", "zh")
    clock.advance(hours=3)
    actor = await service.roster.actor(LEADER, "zh", "zh")
    closed = await service.close(actor, callout_id, 1, "carried out")
    await service.drain()
    assert (closed.number, closed.year, closed.target, closed.participants) == (1, 2026, 59, 1)
    [mission] = await service.repo.missions(2026, service.config.tz)
    assert mission.rescued == 1 and list(mission.participants.values()) == [3.0]
    assert "已结束" in await service.tap(1, callout_id, "a", "zh")
    stripped = [e for e in notifier.edits if e[3] is None]
    # Every delivered page (five members; the calling leader is not paged) lost its buttons.
    assert len(stripped) == 5
    clock.advance(days=30)  # a mission is logged afterwards, never ahead of time
    entry = MissionEntry("flood", date(2026, 7, 1), 5, ("SD",))
    assert (await service.add_mission(actor, entry)).number == 2
    with pytest.raises(DomainError):
        await service.close(actor, callout_id, 0, "")


async def test_a_second_callout_of_the_same_type_is_held_and_can_join(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    await add_coordinator(db, COORD)
    first = await start(service)
    actor = await service.roster.actor(LEADER, "zh", "zh")
    held = await service.start(actor, parse_callout(["mountain", "2", "凤凰山 "], {}))
    assert held.callout_id is None and held.duplicate_of == first
    assert any("仍在进行" in s.text for s in notifier.to(COORD))
    assert held.draft_id is not None
    again = await service.page_anyway(actor, held.draft_id)
    assert again.callout_id is not None and again.callout_id != first


async def test_a_callout_of_the_same_type_elsewhere_is_not_held(
    service: CalloutService, db: Database
) -> None:
    await team(db)
    await start(service)
    actor = await service.roster.actor(LEADER, "zh", "zh")
    other = await service.start(actor, parse_callout(["mountain", "2", "别处"], {}))
    assert other.callout_id is not None and other.duplicate_of is None


async def test_cancel_tells_confirmed_volunteers_to_stand_down(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    callout_id = await start(service)
    await service.tap(1, callout_id, "a", "zh")
    actor = await service.roster.actor(LEADER, "zh", "zh")
    await service.cancel(actor, callout_id, "found safe")
    await service.drain()
    assert any("已取消" in s.text and "found safe" in s.text for s in notifier.to(1))
    assert not any("已取消" in s.text for s in notifier.to(2))


async def test_a_slow_tap_follow_up_never_puts_buttons_back_on_a_closed_callout(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    callout_id = await start(service)
    started, release = asyncio.Event(), asyncio.Event()
    plain_edit = notifier.edit

    async def held_first_edit(
        chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> bool:
        if not started.is_set():
            started.set()
            await release.wait()  # this tap's page edit is still on its way…
        return await plain_edit(chat_id, message_id, text, buttons)

    notifier.edit = held_first_edit  # type: ignore[method-assign]
    await service.tap(1, callout_id, "a", "zh")
    await started.wait()
    actor = await service.roster.actor(LEADER, "zh", "zh")
    await service.close(actor, callout_id, 0, "")  # …when the callout is closed

    def stripped() -> int:
        return sum(1 for e in notifier.edits if e[3] is None)

    others = len(await service.repo.people(callout_id)) - 1

    async def other_pages_stripped() -> None:
        while stripped() < others:  # the stand-down reaches the other pages
            notifier._tried.clear()
            await notifier._tried.wait()

    await asyncio.wait_for(other_pages_stripped(), timeout=10)
    release.set()
    await service.drain()
    page_of_1 = [e for e in notifier.edits if e[0] == 1]
    assert page_of_1[-1][3] is None  # the last edit of that page has no buttons


async def test_volunteers_added_by_widen_get_their_reminder_an_interval_later(
    db: Database, service: CalloutService, notifier: FakeNotifier, clock: FakeClock
) -> None:
    await team(db)
    await add_coordinator(db, COORD)
    await add_volunteer(
        db, "蓝天", team="LT", telegram_id=77, skills=["mountain_search"], fitness_passed_on=TODAY
    )
    callout_id = await start(service)
    await service.escalate(callout_id)  # the first reminder
    await service.escalate(callout_id)  # the coordinators
    coordinator = await service.roster.actor(COORD, "zh", "zh")
    await service.widen(coordinator, callout_id)
    await service.escalate(callout_id)  # too soon for the widened page
    assert not any("提醒" in s.text for s in notifier.to(77))
    reminded_before = sum("提醒" in s.text for s in notifier.to(2))
    clock.advance(minutes=10)
    await service.escalate(callout_id)
    assert any("提醒" in s.text for s in notifier.to(77))
    # Those reminded at the first round are not reminded again.
    assert sum("提醒" in s.text for s in notifier.to(2)) == reminded_before


async def tapped_while_edits_fail(
    db: Database, service: CalloutService, notifier: FakeNotifier, monkeypatch: pytest.MonkeyPatch
) -> int:
    """A callout whose first volunteer tapped Available while Telegram took no edits, and
    whose page edit has been tried three times."""
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.0,))
    await team(db)
    callout_id = await start(service)
    notifier.edits_down = True
    await service.tap(1, callout_id, "a", "zh")
    await notifier.edit_tried(1, times=3)
    return callout_id


async def test_a_page_edit_telegram_could_not_take_is_tried_again_and_the_latest_answer_wins(
    db: Database,
    service: CalloutService,
    notifier: FakeNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    callout_id = await tapped_while_edits_fail(db, service, notifier, monkeypatch)
    await service.tap(1, callout_id, "eta", "zh", eta=30)
    tried = notifier.edit_tries.count(1)
    await notifier.edit_tried(1, times=tried + 3)
    notifier.edits_down = False
    await service.drain()
    arrived = [(text, buttons) for chat, _, text, buttons in notifier.edits if chat == 1]
    assert len(arrived) == 1  # the older redraw stopped trying once a newer one took over
    text, buttons = arrived[0]
    assert "你已确认出队" in str(text) and "30 分钟到" in str(text)
    assert buttons is not None and len(buttons) > 1  # ETA and On scene buttons


async def test_a_page_edit_stops_being_tried_when_the_callout_ends(
    db: Database,
    service: CalloutService,
    notifier: FakeNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    callout_id = await tapped_while_edits_fail(db, service, notifier, monkeypatch)
    actor = await service.roster.actor(LEADER, "zh", "zh")
    await service.cancel(actor, callout_id, "found safe")
    await asyncio.wait_for(service.drain(), timeout=10)  # no edit is tried for ever
    assert notifier.edits == []
