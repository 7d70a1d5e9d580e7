"""`rescuebot demo --dashboard`: the dashboard next to the scripted incident, kept running."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

from common.clock import SystemClock
from common.settings import Settings
from dashboard.links import WALL_LINK_HOURS, make_link
from i18n.catalogue import t
from storage.db import Database

DEMO_PORT = 8080


def dashboard_settings(on: bool) -> dict[str, Any]:
    """On 127.0.0.1 only (RESCUEBOT_WEB_PORT chooses the port); off unless asked for."""
    if not on:
        return {"RESCUEBOT_WEB_PORT": 0}
    port = os.environ.get("RESCUEBOT_WEB_PORT") or DEMO_PORT
    return {
        "RESCUEBOT_WEB_PORT": port,
        "RESCUEBOT_WEB_HOST": "127.0.0.1",
        "RESCUEBOT_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


async def print_dashboard_link(
    db: Database, settings: Settings, echo: Callable[[str], None]
) -> None:
    url, until = await make_link(db, settings, SystemClock().now(), hours=WALL_LINK_HOURS)
    shown = until.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
    echo(t("cli.dash_link", settings.language, url=url, until=shown))


async def keep_running(settings: Settings, echo: Callable[[str], None]) -> None:
    """Until Ctrl-C: the bot and the dashboard stay up for the newcomer to look around."""
    echo(t("demo.dashboard_running", settings.language))
    await asyncio.Event().wait()
