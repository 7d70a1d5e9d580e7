"""The dashboard's stream on its own: a snapshot at once, another on every change, and a
screen that goes away is forgotten (a wall screen open for days holds nothing more)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from common.clock import FakeClock
from dashboard.auth import LinkClaims, sign_link
from dashboard.keys import DashboardKeys
from dashboard.live import ChangeHub
from dashboard.page import PageConfig
from dashboard.server import DashboardServer
from storage.db import Database

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def server(db: Database) -> AsyncIterator[DashboardServer]:
    running = DashboardServer(
        db,
        bot_token="123:abc",
        clock=FakeClock(NOW),
        hub=ChangeHub(),
        config=PageConfig(ZoneInfo("Asia/Shanghai"), 59, "http://127.0.0.1:9/{z}/{x}/{y}.png"),
        language="en",
    )
    await running.start("127.0.0.1", 0)
    yield running
    await running.stop()


async def link_headers(db: Database, team: str | None = None) -> dict[str, str]:
    """A signed link's Authorization header, valid for an hour from NOW."""
    keys = await DashboardKeys(db).current(NOW)
    token = sign_link(keys.secret, LinkClaims(NOW + timedelta(hours=1), team=team))
    return {"Authorization": "link " + token}


def url_of(server: DashboardServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def _events(response: aiohttp.ClientResponse) -> AsyncIterator[tuple[str, Any]]:
    buffer = b""
    async for chunk in response.content.iter_any():
        buffer += chunk
        while b"\n\n" in buffer:
            frame, buffer = buffer.split(b"\n\n", 1)
            lines = frame.decode().split("\n")
            if lines[0].startswith("event: "):
                yield lines[0][7:], json.loads(lines[1][6:])


async def test_a_screen_gets_a_snapshot_then_one_per_change_and_is_forgotten_when_gone(
    server: DashboardServer, db: Database
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(url_of(server, "/api/stream"), headers=await link_headers(db)) as response,
    ):
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = _events(response)
        kind, page = await anext(events)
        assert kind == "page" and page["viewer"]["kind"] == "wall"
        assert server.hub.subscribers == 1
        for _ in range(50):
            server.hub.publish(1)
        kind, _ = await anext(events)
        assert kind == "page"
    # Gone: the next change finds the connection closed and drops the subscription.
    server.hub.publish(1)
    await asyncio.wait_for(server.hub.wait_for_subscribers(0), 5)


async def test_a_stream_ends_when_its_link_is_revoked(
    server: DashboardServer, db: Database
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(url_of(server, "/api/stream"), headers=await link_headers(db)) as response,
    ):
        events = _events(response)
        assert (await anext(events))[0] == "page"
        await DashboardKeys(db).revoke_all(NOW)
        server.hub.publish(1)
        assert (await anext(events))[0] == "unauthorized"


async def test_the_page_speaks_the_language_asked_for(
    server: DashboardServer, db: Database
) -> None:
    headers = await link_headers(db, team="SD")
    async with aiohttp.ClientSession() as http:
        for lang, title in (("zh", "值班看板"), ("en", "Duty dashboard")):
            async with http.get(
                url_of(server, f"/api/page?lang={lang}"), headers=headers
            ) as response:
                page = await response.json()
            assert page["labels"]["dashboard.title"] == title
            assert [row["team"] for row in page["readiness"]["rows"]] == ["SD"]
