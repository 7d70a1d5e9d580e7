"""The incident service's timer over PTB's JobQueue, and the one service per application.

One job per callout (`incident-<id>`), replaced whenever the next deadline changes, the
way escalation timers work (bot/callout_adapter.py): deadlines live in the database and
the start-up hook runs every watched callout's job at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.ext import ContextTypes

from bot.callout_adapter import App, callout_service
from bot.jobs import run_once_at
from bot.services import services_of
from common.clock import Clock
from missions.incident_service import IncidentConfig, IncidentService

log = logging.getLogger(__name__)
INCIDENT_KEY = "incident_service"
RETRY_SECONDS = 30.0


class JobQueueTimer:
    def __init__(self, app: App, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def schedule_incident(self, callout_id: int, at: datetime) -> None:
        run_once_at(self.app, self.clock, f"incident-{callout_id}", _incident_job, callout_id, at)


async def _incident_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None
    callout_id = job.data
    assert isinstance(callout_id, int)
    service = incident_service(context.application)
    try:
        await service.tick(callout_id)
    except Exception:
        # A timer that dies would silence this callout's checks until a restart: log it
        # and try again shortly.
        log.exception("incident timer of callout %s failed; retrying", callout_id)
        service.timer.schedule_incident(
            callout_id, service.clock.now() + timedelta(seconds=RETRY_SECONDS)
        )


def incident_service(app: App) -> IncidentService:
    """The one IncidentService of this application, built on first use."""
    found = app.bot_data.get(INCIDENT_KEY)
    if isinstance(found, IncidentService):
        return found
    services = services_of(app)
    settings = services.settings
    service = IncidentService(
        callout_service(app),
        JobQueueTimer(app, services.clock),
        IncidentConfig(
            check_minutes=settings.check_minutes,
            grace_minutes=settings.check_grace_minutes,
            return_minutes=settings.return_minutes,
        ),
    )
    app.bot_data[INCIDENT_KEY] = service
    return service
