"""What handlers need, built once per process and kept in `application.bot_data`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, ContextTypes

from common.clock import Clock
from common.settings import Settings
from dashboard.live import ChangeHub
from roster.service import RosterService
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    # Handlers ask the roster service; only the wiring hands its repository on as a port.
    roster: RosterService
    # Board changes, heard by every open dashboard.
    changes: ChangeHub = field(default_factory=ChangeHub)


SERVICES_KEY = "services"


def services_of(
    context: ContextTypes.DEFAULT_TYPE | Application[Any, Any, Any, Any, Any, Any],
) -> Services:
    data = context.bot_data
    services: Services = data[SERVICES_KEY]
    return services
