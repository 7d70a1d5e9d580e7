"""The reminder schedule: who hears what on which day, exactly once, across
restarts and missed days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from common.clock import FakeClock, local_today
from insurance.reminder_service import send_due_reminders
from insurance.reminders import (
    Audience,
    Reminder,
    Topic,
    catch_up_due,
    insurance_threshold,
)
from storage.db import Database
from tests.factories import add_volunteer

TZ = ZoneInfo("Asia/Shanghai")
LEADER, MEMBER = 1001, 2002


class Outbox:
    """A fake delivery port that records what would have been sent."""

    def __init__(self, unreachable: set[int] | None = None) -> None:
        self.sent: list[Reminder] = []
        self.unreachable = unreachable or set()
        self.flaky = False

    async def __call__(self, reminder: Reminder) -> bool | None:
        if self.flaky:
            return None
        if reminder.chat_id in self.unreachable:
            return False
        self.sent.append(reminder)
        return True

    def insurance(self) -> list[tuple[int, str, int | None]]:
        return [
            (r.chat_id, r.audience.value, i.days_left)
            for r in self.sent
            for i in r.items
            if i.topic is Topic.INSURANCE_EXPIRING
        ]

    def clear(self) -> None:
        self.sent.clear()


def at_nine(day: date) -> FakeClock:
    """09:00 in Shanghai is 01:00 UTC."""
    return FakeClock(datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC))


async def team(db: Database, member_until: date) -> None:
    await add_volunteer(
        db, "队长", role="leader", telegram_id=LEADER, fitness_passed_on=date(2026, 5, 1)
    )
    await add_volunteer(
        db,
        "张伟",
        telegram_id=MEMBER,
        insured_until=member_until,
        fitness_passed_on=date(2026, 5, 1),
    )


async def run_day(db: Database, clock: FakeClock, outbox: Outbox) -> int:
    return await send_due_reminders(db, local_today(clock, TZ), outbox)


def test_the_most_urgent_mark_crossed_is_the_one_due() -> None:
    assert insurance_threshold(31) is None
    assert insurance_threshold(30) == 30
    assert insurance_threshold(8) == 30
    assert insurance_threshold(7) == 7
    assert insurance_threshold(2) == 7
    assert insurance_threshold(1) == 1
    assert insurance_threshold(0) == 1
    assert insurance_threshold(-1) is None


async def test_reminders_go_out_at_30_7_and_1_days_to_volunteer_and_leader(db: Database) -> None:
    end = date(2026, 7, 31)
    await team(db, end)
    outbox = Outbox()
    clock = at_nine(end - timedelta(days=31))
    seen: list[tuple[int, str, int | None]] = []
    for _ in range(34):
        outbox.clear()
        await run_day(db, clock, outbox)
        seen += outbox.insurance()
        clock.advance(days=1)
    assert seen == [
        (MEMBER, "self", 30), (LEADER, "leader", 30),
        (MEMBER, "self", 7), (LEADER, "leader", 7),
        (MEMBER, "self", 1), (LEADER, "leader", 1),
    ]  # fmt: skip


async def test_a_second_run_and_a_restart_on_the_same_day_repeat_nothing(db: Database) -> None:
    end = date(2026, 7, 8)
    await team(db, end)
    clock = at_nine(end - timedelta(days=7))
    first = Outbox()
    await run_day(db, clock, first)
    assert len(first.insurance()) == 2
    clock.advance(hours=3)
    again = Outbox()
    assert await run_day(db, clock, again) == 0
    # A restart: a new connection to the same file knows what was sent.
    restarted = Database(db.path)
    await restarted.open()
    try:
        assert await run_day(restarted, clock, again) == 0
    finally:
        await restarted.close()


async def test_a_missed_seven_day_mark_is_caught_up_once_without_the_stale_thirty(
    db: Database,
) -> None:
    end = date(2026, 9, 30)
    await team(db, end)
    outbox = Outbox()
    # The bot was down from 40 days before the end until 5 days before it.
    await run_day(db, at_nine(end - timedelta(days=40)), outbox)
    assert outbox.insurance() == []
    clock = at_nine(end - timedelta(days=5))
    await run_day(db, clock, outbox)
    assert outbox.insurance() == [(MEMBER, "self", 5), (LEADER, "leader", 5)]
    outbox.clear()
    for _ in range(4):  # 4, 3, 2 days left: nothing; then the 1-day mark
        clock.advance(days=1)
        await run_day(db, clock, outbox)
    assert outbox.insurance() == [(MEMBER, "self", 1), (LEADER, "leader", 1)]


async def test_an_expired_policy_is_reported_to_the_leader_only_once(db: Database) -> None:
    end = date(2026, 6, 10)
    await team(db, end)
    outbox = Outbox()
    clock = at_nine(end + timedelta(days=1))
    await run_day(db, clock, outbox)
    clock.advance(days=1)
    await run_day(db, clock, outbox)
    expired = [
        (r.chat_id, r.audience)
        for r in outbox.sent
        for i in r.items
        if i.topic is Topic.INSURANCE_EXPIRED
    ]
    assert expired == [(LEADER, Audience.LEADER)]


async def test_long_lapsed_history_does_not_flood_the_leader(db: Database) -> None:
    await team(db, date(2024, 12, 31))
    outbox = Outbox()
    await run_day(db, at_nine(date(2026, 6, 1)), outbox)
    assert not any(i.topic is Topic.INSURANCE_EXPIRED for r in outbox.sent for i in r.items)


async def test_a_renewed_volunteer_gets_no_expiry_reminder(db: Database) -> None:
    await team(db, date(2026, 6, 30))
    await db.execute(
        "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, start_date, "
        "end_date) SELECT id, '平安', 'RENEW', 1, '2026-07-01', '2027-06-30' FROM volunteers "
        "WHERE name = '张伟'"
    )
    outbox = Outbox()
    await run_day(db, at_nine(date(2026, 6, 29)), outbox)
    assert outbox.insurance() == []


async def test_a_blocked_volunteer_does_not_stop_the_leader_and_is_not_retried(
    db: Database,
) -> None:
    end = date(2026, 7, 8)
    await team(db, end)
    outbox = Outbox(unreachable={MEMBER})
    clock = at_nine(end - timedelta(days=7))
    await run_day(db, clock, outbox)
    assert outbox.insurance() == [(LEADER, "leader", 7)]
    outbox.unreachable.clear()
    outbox.clear()
    await run_day(db, clock, outbox)
    assert outbox.insurance() == []


async def test_a_transient_failure_is_retried_on_the_next_run(db: Database) -> None:
    end = date(2026, 7, 8)
    await team(db, end)
    outbox = Outbox()
    outbox.flaky = True
    clock = at_nine(end - timedelta(days=7))
    await run_day(db, clock, outbox)
    outbox.flaky = False
    await run_day(db, clock, outbox)
    assert outbox.insurance() == [(MEMBER, "self", 7), (LEADER, "leader", 7)]


async def test_the_local_day_decides_the_schedule_not_the_utc_day(db: Database) -> None:
    # 2026-07-07 17:30 UTC is already 8 July 01:30 in Shanghai: 7 days before the end.
    end = date(2026, 7, 15)
    await team(db, end)
    clock = FakeClock(datetime(2026, 7, 7, 17, 30, tzinfo=UTC))
    outbox = Outbox()
    await run_day(db, clock, outbox)
    assert outbox.insurance() == [(MEMBER, "self", 7), (LEADER, "leader", 7)]


async def test_the_monthly_digest_goes_to_leaders_once_a_month(db: Database) -> None:
    await add_volunteer(
        db, "队长", role="leader", telegram_id=LEADER, fitness_passed_on=date(2026, 5, 1)
    )
    await add_volunteer(db, "从未测试", telegram_id=MEMBER)
    await add_volunteer(
        db,
        "老合格",
        fitness_passed_on=date(2025, 1, 10),
        skills={
            "first_aid": date(2026, 6, 20),
            "rope": date(2026, 5, 1),
            "drone": date(2027, 1, 1),
        },
    )
    outbox = Outbox()
    clock = at_nine(date(2026, 6, 1))
    await run_day(db, clock, outbox)
    monthly = [r for r in outbox.sent if r.audience is Audience.MONTHLY]
    assert [r.chat_id for r in monthly] == [LEADER]
    items = {(i.topic, i.volunteer.name, i.skill) for i in monthly[0].items}
    assert items == {
        (Topic.CERTIFICATE, "老合格", "rope"),
        (Topic.CERTIFICATE, "老合格", "first_aid"),
        (Topic.FITNESS, "从未测试", None),
        (Topic.FITNESS, "老合格", None),
    }
    outbox.clear()
    clock.advance(days=1)
    await run_day(db, clock, outbox)
    assert outbox.sent == []
    clock.set(datetime(2026, 7, 1, 1, 0, tzinfo=UTC))
    await run_day(db, clock, outbox)
    assert [r.audience for r in outbox.sent] == [Audience.MONTHLY]


async def test_the_monthly_digest_is_caught_up_later_in_the_month(db: Database) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
    outbox = Outbox()
    await run_day(db, at_nine(date(2026, 6, 9)), outbox)
    assert [r.audience for r in outbox.sent] == [Audience.MONTHLY]


def test_start_up_catches_up_only_a_bot_that_ran_before_and_missed_a_run() -> None:
    def local(day: int, hour: int) -> datetime:
        return datetime(2026, 6, day, hour, 0, tzinfo=TZ)

    assert catch_up_due(date(2026, 6, 3), local(5, 10))  # down over two 09:00 runs
    assert not catch_up_due(date(2026, 6, 5), local(5, 10))  # already ran today
    assert not catch_up_due(date(2026, 6, 3), local(5, 8))  # 09:00 today will do it
    assert not catch_up_due(None, local(5, 10))  # a fresh install waits for 09:00


def test_the_chinese_expiry_reminders_say_paging_stops_only_once_the_cover_has_ended() -> None:
    from i18n.catalogue import t

    params = {"insurer": "平安", "policy": "P-1", "date": "2026-12-31", "days": 30}
    for key in ("remind.self.expiring", "remind.self.expires_today"):
        text = t(key, "zh", **params)
        assert "续保前不会收到召集" not in text  # false: they are paged until the end date
        assert "如未续保，将不会收到召集" in text
        assert "Without cover you will not be called out" in t(key, "en", **params)
