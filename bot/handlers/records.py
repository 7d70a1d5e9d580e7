"""Records: /insurance, /training, /fitness and their reminders (placeholder)."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram.ext import BaseHandler

from bot.services import Services
from roster.model import Volunteer


async def me_lines(services: Services, volunteer: Volunteer, lang: str, today: date) -> list[str]:
    """Extra lines of /me: insurance and fitness status."""
    return []


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return []
