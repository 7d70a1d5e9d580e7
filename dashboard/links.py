"""Signed dashboard links: a wall screen's (`rescuebot dashboard-link`) or one person's.

The token travels in the URL fragment (`#link=…`), which browsers never send to
a server or in a Referer, so it stays out of proxy logs.
"""

from __future__ import annotations

import socket
from datetime import datetime, timedelta

from common.settings import Settings
from dashboard.auth import LinkClaims, sign_link
from dashboard.keys import DashboardKeys
from storage.db import Database

PERSONAL_LINK_HOURS = 12
WALL_LINK_HOURS = 24
MAX_LINK_HOURS = 24 * 90


def base_url(settings: Settings) -> str:
    """The public address if set; else this machine on the dashboard port (a local network)."""
    if settings.public_url:
        return settings.public_url
    return f"http://{socket.gethostname()}:{settings.web_port}"


async def make_link(
    db: Database,
    settings: Settings,
    now: datetime,
    *,
    hours: float,
    team: str | None = None,
    telegram_id: int | None = None,
) -> tuple[str, datetime]:
    keys = await DashboardKeys(db).current(now)
    expires = now + timedelta(hours=hours)
    token = sign_link(keys.secret, LinkClaims(expires, team=team, telegram_id=telegram_id))
    return f"{base_url(settings)}/#link={token}", expires
