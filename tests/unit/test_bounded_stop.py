"""A stop is bounded: follow-ups get a grace, what still waits is cut short, and the
messages it was sending are saved and sent at the next start (if still wanted)."""

from __future__ import annotations

import asyncio
import typing
from dataclasses import dataclass, field, fields
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from common.clock import FakeClock
from missions import actions, render
from missions.model import GeoPoint, State
from missions.ports import Buttons, Delivery
from missions.saved_buttons import buttons_from_json, buttons_to_json
from missions.service import CalloutConfig, CalloutService
from missions.service_core import REPLY_PATIENCE
from missions.unsent_repository import UnsentMessage, UnsentRepository
from roster.repository import RosterRepository
from storage.db import Database
from tests.unit import test_callout_service as callout_tests
from tests.unit.test_callout_service import LEADER, FakeNotifier, start, team

clock = callout_tests.clock


@dataclass
class HangingNotifier(FakeNotifier):
    """Telegram takes nothing: every send waits (as behind a long 429 pause, or thousands
    queued at the free pace) until the test lets it go."""

    released: asyncio.Event = field(default_factory=asyncio.Event)
    only: set[int] | None = None  # these chats only (None: every chat)

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
        if self.only is not None and chat_id not in self.only:
            return await super().send(chat_id, text, buttons, location=location, page=page)
        self.tries.append((chat_id, text))
        self._tried.set()
        await self.released.wait()
        return Delivery(failure="failed")


@dataclass
class Stopping:
    """The bot's `keep_going`: True until the stop begins."""

    now: bool = False

    def keep_going(self) -> bool:
        return not self.now


def make_service(
    db: Database, notifier: FakeNotifier, clock: FakeClock, stopping: Stopping
) -> CalloutService:
    config = CalloutConfig(
        language="zh", escalate_minutes=10, tz=ZoneInfo("Asia/Shanghai"), mission_target=59
    )
    return CalloutService(
        db, RosterRepository(db), notifier, clock, config, keep_going=stopping.keep_going
    )


async def test_reminders_still_waiting_after_the_grace_are_saved_and_the_next_start_sends_them(
    db: Database, clock: FakeClock
) -> None:
    await team(db)
    first = make_service(db, FakeNotifier(), clock, Stopping())
    callout_id = await start(first)
    await first.drain()
    hanging = HangingNotifier()
    stopping = Stopping()
    before = make_service(db, hanging, clock, stopping)
    before.spawn(before.escalate(callout_id))
    for volunteer in (1, 2, 3, 4):
        await hanging.tried(volunteer, "提醒")
    stopping.now = True
    report = await before.finish(grace=0.05)
    assert report.cut_short == 1  # the reminder round
    assert report.saved >= 4  # the four reminders (and the leader's list, if it had begun)

    after = FakeNotifier()
    again = make_service(db, after, clock, Stopping())
    assert await again.send_unsent() == report.saved
    await again.drain()
    callout = await again.repo.get(callout_id)
    assert callout is not None
    for volunteer in (1, 2, 3, 4):
        (reminder,) = [s for s in after.to(volunteer) if "提醒" in s.text]
        assert reminder.buttons == render.page_buttons(callout, "zh", State.PAGED)
    assert await UnsentRepository(db).take_all() == []  # taken once, not again


async def test_the_next_start_drops_what_is_no_longer_wanted(
    db: Database, clock: FakeClock
) -> None:
    await team(db)
    notifier = FakeNotifier()
    service = make_service(db, notifier, clock, Stopping())
    callout_id = await start(service)
    await service.drain()
    await service.cancel(await service.roster.actor(LEADER, "zh", "zh"), callout_id, "演练")
    await service.drain()
    saved = UnsentRepository(db)
    now = clock.now()
    late = now - timedelta(seconds=REPLY_PATIENCE + 60)
    await saved.save(
        UnsentMessage(1, "of the cancelled callout", None, None, callout_id, None, now)
    )
    await saved.save(UnsentMessage(2, "a reply too late now", None, None, None, None, late))
    await saved.save(UnsentMessage(3, "a reply still in time", None, 7, None, None, now))
    sent_before = len(notifier.sent)

    assert await service.send_unsent() == 1
    await service.drain()
    (sent,) = notifier.sent[sent_before:]
    assert (sent.chat_id, sent.text) == (3, "a reply still in time")


async def test_page_redraws_are_skipped_once_the_bot_is_stopping(
    db: Database, clock: FakeClock
) -> None:
    await team(db)
    notifier = FakeNotifier()
    stopping = Stopping()
    service = make_service(db, notifier, clock, stopping)
    callout_id = await start(service)
    await service.drain()
    callout = await service.repo.get(callout_id)
    person = (await service.repo.people(callout_id))[0]
    assert callout is not None
    stopping.now = True
    await service.refresh_page(callout, person)
    report = await service.finish(grace=1)
    assert notifier.edits == []
    assert report.edits_skipped == 1 and report.cut_short == 0 and report.saved == 0


def an_example_of(kind: type[typing.Any]) -> typing.Any:
    values = {
        f.name: ("t0ken" if f.type in (str, "str") else n + 1) for n, f in enumerate(fields(kind))
    }
    return kind(**values)


@pytest.mark.parametrize("kind", typing.get_args(actions.Action), ids=lambda k: k.__name__)
def test_every_kind_of_button_survives_being_saved(kind: type[typing.Any]) -> None:
    buttons: Buttons = [[("一", an_example_of(kind)), ("two", "raw:data")], [("三", "x")]]
    assert buttons_from_json(buttons_to_json(buttons)) == buttons


def test_a_message_without_buttons_is_saved_without_them() -> None:
    assert buttons_to_json(None) is None and buttons_from_json(None) is None


async def test_pages_delivered_before_a_stop_cut_the_fan_out_short_are_on_record(
    db: Database, clock: FakeClock
) -> None:
    await team(db)
    hanging = HangingNotifier(only={3})  # one page meets a long pause; the others arrive
    stopping = Stopping()
    service = make_service(db, hanging, clock, stopping)

    async def callout() -> None:
        await start(service)

    service.spawn(callout())
    for volunteer in (1, 2, 3, 4, 8):
        await hanging.tried(volunteer, "凤凰山")
    stopping.now = True
    await service.finish(grace=0.05)
    callout_id = max(i for (i,) in await db.fetchall("SELECT id FROM callouts"))
    people = await service.repo.people(callout_id)
    recorded = {p.telegram_id for p in people if p.message_id is not None}
    assert recorded == {1, 2, 4, 8}  # on record: the next start pages only volunteer 3
