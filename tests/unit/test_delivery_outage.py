"""Nothing is lost to an outage: pages are tried until they arrive, the leader hears which
are still out, and outcomes are written in batches."""

from __future__ import annotations

import asyncio

import pytest

from missions import delivery
from missions.model import State
from missions.service import CalloutService
from storage.db import Database
from tests.unit import test_callout_service as callout_tests
from tests.unit.test_callout_service import LEADER, FakeNotifier, start, team

notifier = callout_tests.notifier  # the same fixtures
clock = callout_tests.clock
service = callout_tests.service


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.01,))
    monkeypatch.setattr(delivery, "STILL_OUT_AFTER", 0.05)


async def test_pages_outlast_an_outage_and_the_leader_hears_which_were_still_out(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    notifier.down = True
    starting = asyncio.create_task(start(service))
    await notifier.tried(LEADER, "条通知未送达")  # the leader's notice waits for Telegram too
    volunteers = {1, 2, 3, 4, 8}  # not the caller: their board offers *I'm going too*
    assert all(sum(1 for c, _ in notifier.tries if c == v) >= 2 for v in volunteers)
    notifier.down = False
    callout_id = await starting
    await service.drain()
    # Pages carry buttons; so does the board (📋, its Full list button).
    pages = [s.chat_id for s in notifier.sent if s.buttons and not s.text.startswith("📋")]
    assert sorted(pages) == sorted(volunteers)  # each exactly once
    told = [s.text for s in notifier.to(LEADER)]
    still_out = next(text for text in told if "条通知未送达" in text)
    assert "还有 5 条" in still_out and "队员1 (SD) 138" in still_out
    assert any("所有通知现已送达" in text for text in told)
    assert [s for s in notifier.to(LEADER) if "已确认 0/2" in s.text]  # the board came too
    people = await service.repo.people(callout_id)
    assert all(p.state is State.PAGED and p.message_id is not None for p in people)


async def test_pages_stop_being_tried_when_the_callout_is_cancelled(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    notifier.down = True
    starting = asyncio.create_task(start(service))
    await notifier.tried(LEADER, "条通知未送达")
    callout_id = max(i for (i,) in await db.fetchall("SELECT id FROM callouts"))
    actor = await service.roster.actor(LEADER, "zh", "zh")
    await service.cancel(actor, callout_id, "演练取消")
    await starting
    await service.drain()
    assert not [s for s in notifier.sent if s.buttons]
    people = await service.repo.people(callout_id)
    assert all(p.message_id is None for p in people)  # still recorded as never delivered


async def test_a_fan_out_writes_its_outcomes_in_a_few_batches(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await team(db)
    notifier.blocked.add(8)
    writes: list[int] = []
    record = service.repo.record_pages

    async def counted(callout_id: int, delivered: list, undeliverable: list) -> None:  # type: ignore[type-arg]
        writes.append(len(delivered) + len(undeliverable))
        await record(callout_id, delivered, undeliverable)

    service.repo.record_pages = counted  # type: ignore[method-assign]
    await start(service)
    assert sum(writes) == 5 and len(writes) < 5
