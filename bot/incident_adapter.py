"""The incident service's timer over PTB's JobQueue, and the one service per application.

One job per callout (`incident-<id>`), replaced whenever the next deadline changes, the
way escalation timers work (bot/callout_adapter.py): deadlines live in the database and
the start-up hook runs every watched callout's job at once.
"""

from __future__ import annotations

from datetime import datetime

from telegram.ext import ContextTypes

from bot.callout_adapter import App, callout_service
from bot.jobs import run_once_at
from bot.services import services_of
from common.clock import Clock
from missions.incident_service import IncidentConfig, IncidentService

INCIDENT_KEY = "incident_service"


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
    await incident_service(context.application).tick(callout_id)


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
