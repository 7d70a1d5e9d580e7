"""What the records commands share: today's date, the team a command is about, the
training service."""

from __future__ import annotations

from datetime import date

from bot.services import Services
from common.clock import local_today
from roster.model import Actor
from roster.taxonomy import Team
from training.fitness import (
    Standards,
)
from training.service import TrainingService


def today_of(services: Services) -> date:
    return local_today(services.clock, services.settings.tz)


async def team_for(services: Services, actor: Actor, text: str | None) -> Team:
    """The team a command is about: a leader's own, or the one a coordinator names."""
    return await services.roster.team_for(actor, text, "insurance.usage")


def training_service(services: Services, standards: Standards | None = None) -> TrainingService:
    return TrainingService(services.db, services.roster, standards)
