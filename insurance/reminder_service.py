"""Sending today's reminders: `plan_reminders` (insurance/reminders.py, the pure rule) fed
from the database, each reminder handed to the caller's `deliver` and logged once sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from insurance.reminders import Reminder, plan_reminders
from insurance.repository import InsuranceRepository, ReminderLog
from roster.service import RosterService
from storage.db import Database
from training.service import TrainingService

Deliver = Callable[[Reminder], Awaitable[bool | None]]


async def last_reminder_run(db: Database) -> date | None:
    """The day of the last daily run that finished (start-up catches up a missed one)."""
    return await ReminderLog(db).last_run()


async def send_due_reminders(
    db: Database, today: date, deliver: Deliver, *, fitness_months: int = 12
) -> int:
    """Plan today's reminders from the database and hand each to `deliver`.

    `deliver` returns True when sent, False when the recipient cannot be
    reached (recorded as done: retrying daily would not help) and None on a
    transient failure (not recorded, so the next run tries again). Returns
    how many messages were sent.
    """
    log = ReminderLog(db)
    plan = plan_reminders(
        today,
        await RosterService(db).all_volunteers(),
        await InsuranceRepository(db).policies_by_volunteer(),
        await TrainingService(db).last_passes(),
        await log.sent_keys(),
        fitness_months=fitness_months,
    )
    sent = 0
    for reminder in plan:
        if reminder.items:
            delivered = await deliver(reminder)
            if delivered is None:
                continue
            sent += int(delivered)
        await log.mark(reminder.keys)
    await log.mark_run(today)
    return sent
