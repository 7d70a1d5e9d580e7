"""One-shot timers on PTB's JobQueue, by name: escalation and incident deadlines.

Deadlines live in the database; a timer only wakes the service, which reads what is due.
Scheduling a name again replaces the earlier timer of that name.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram.ext import Application, ContextTypes

from common.clock import Clock

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
JobCallback = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def run_once_at(
    app: App, clock: Clock, name: str, callback: JobCallback, data: int, at: datetime
) -> None:
    """Run `callback` (with `data`) at `at`, at once if it has passed."""
    queue = app.job_queue
    if queue is None:
        log.error("no job queue: timer %s cannot be scheduled", name)
        return
    for job in queue.get_jobs_by_name(name):
        with contextlib.suppress(Exception):  # already fired and gone
            job.schedule_removal()
    delay = max(0.0, (at - clock.now()).total_seconds())
    # misfire_grace_time=None: a deadline the loop reached late still fires.
    queue.run_once(
        callback, when=delay, data=data, name=name, job_kwargs={"misfire_grace_time": None}
    )
