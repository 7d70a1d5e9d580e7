"""Who may open the duty dashboard, and what each one sees: every kind of credential × every
role, through the real web server. Refused means 401 and no data at all; a wall screen sees
the incident but never a phone; a leader sees only callouts their team is in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from common.clock import FakeClock
from dashboard.auth import LinkClaims, sign_init_data, sign_link
from dashboard.keys import DashboardKeys
from dashboard.live import ChangeHub
from dashboard.page import PageConfig
from dashboard.server import DashboardServer
from missions.incident_service import IncidentService
from storage.db import Database
from tests.factories import add_volunteer
from tests.unit import test_incident_service as incident_tests
from tests.unit.test_callout_service import COORD, LEADER
from tests.unit.test_incident_service import crew, on_scene_callout

TOKEN = "123:abc"
DEPUTY, HR_LEADER, MEMBER, STRANGER = 101, 200, 1, 555

notifier, clock, incident = incident_tests.notifier, incident_tests.clock, incident_tests.incident


@dataclass(frozen=True)
class Sees:
    """What an admitted viewer's page holds."""

    kind: str
    callouts: int
    phones: bool


REFUSED = None


@pytest.fixture
async def server(db: Database, clock: FakeClock) -> AsyncIterator[DashboardServer]:
    running = DashboardServer(
        db,
        bot_token=TOKEN,
        clock=clock,
        hub=ChangeHub(),
        config=PageConfig(ZoneInfo("Asia/Shanghai"), 59, "http://127.0.0.1:9/{z}/{x}/{y}.png"),
        language="en",
    )
    await running.start("127.0.0.1", 0)
    yield running
    await running.stop()


def init_data(user_id: int, at: datetime, token: str = TOKEN) -> str:
    fields = {
        "user": json.dumps({"id": user_id, "first_name": "T", "language_code": "en"}),
        "auth_date": str(int(at.timestamp())),
    }
    return urlencode({**fields, "hash": sign_init_data(fields, token)})


async def credentials(db: Database, now: datetime) -> dict[str, tuple[str, Sees | None]]:
    """Each row: an Authorization header value, and what it may see (None: refused)."""
    secret = (await DashboardKeys(db).current(now)).secret
    hour = now + timedelta(hours=1)

    def link(team: str | None = None, telegram_id: int | None = None) -> str:
        return "link " + sign_link(secret, LinkClaims(hour, team=team, telegram_id=telegram_id))

    return {
        "no credentials": ("", REFUSED),
        "an unknown scheme": ("Bearer abc", REFUSED),
        "a garbled link": ("link not-a-token", REFUSED),
        "an expired wall-screen link": (
            "link " + sign_link(secret, LinkClaims(now - timedelta(minutes=1))),
            REFUSED,
        ),
        "a link signed with another secret": (
            "link " + sign_link("another secret", LinkClaims(hour)),
            REFUSED,
        ),
        "Mini App data signed with another bot's token": (
            "tma " + init_data(COORD, now, token="999:zzz"),
            REFUSED,
        ),
        "Mini App data older than a day": (
            "tma " + init_data(COORD, now - timedelta(days=1, minutes=1)),
            REFUSED,
        ),
        "a stranger's Mini App": ("tma " + init_data(STRANGER, now), REFUSED),
        "a volunteer's Mini App": ("tma " + init_data(MEMBER, now), REFUSED),
        "a volunteer's personal link": (link(telegram_id=MEMBER), REFUSED),
        "the coordinator's Mini App": (
            "tma " + init_data(COORD, now),
            Sees("coordinator", 1, phones=True),
        ),
        "the calling team's leader's Mini App": (
            "tma " + init_data(LEADER, now),
            Sees("leader", 1, phones=True),
        ),
        "the calling team's deputy's personal link": (
            link(telegram_id=DEPUTY),
            Sees("leader", 1, phones=True),
        ),
        "another team's leader's Mini App": (
            "tma " + init_data(HR_LEADER, now),
            Sees("leader", 0, phones=False),
        ),
        "a wall screen for every team": (link(), Sees("wall", 1, phones=False)),
        "the calling team's wall screen": (link(team="SD"), Sees("wall", 1, phones=False)),
        "another team's wall screen": (link(team="HR"), Sees("wall", 0, phones=False)),
    }


async def fetch(server: DashboardServer, path: str, header: str) -> tuple[int, Any]:
    headers = {"Authorization": header} if header else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}{path}", headers=headers) as response,
    ):
        if response.content_type == "text/event-stream":
            return response.status, None  # admitted; the stream's content is tested elsewhere
        return response.status, await response.json()


def phones_on(page: dict[str, Any]) -> bool:
    return any(
        person["phone"] is not None
        for callout in page["callouts"]
        for group in callout["groups"]
        for person in group["people"]
    )


async def a_night_on_scene(db: Database, incident: IncidentService) -> None:
    await crew(db)
    await add_volunteer(db, "副队长", role="deputy", telegram_id=DEPUTY)
    await add_volunteer(db, "HR队长", team="HR", role="leader", telegram_id=HR_LEADER)
    await on_scene_callout(incident)


async def test_every_credential_and_role_gets_what_the_permissions_say_and_no_more(
    db: Database, incident: IncidentService, server: DashboardServer, clock: FakeClock
) -> None:
    await a_night_on_scene(db, incident)
    outcomes = {}
    for name, (header, expected) in (await credentials(db, clock.now())).items():
        status, page = await fetch(server, "/api/page", header)
        stream_status, _ = await fetch(server, "/api/stream", header)
        if expected is REFUSED:
            outcomes[name] = (status, page, stream_status)
            assert (status, page, stream_status) == (401, {"error": "unauthorized"}, 401), name
            continue
        seen = Sees(page["viewer"]["kind"], len(page["callouts"]), phones_on(page))
        assert (status, stream_status, seen) == (200, 200, expected), name
    assert len(outcomes) == 10


async def test_revoking_every_link_shuts_out_links_and_mini_apps_opened_before(
    db: Database, incident: IncidentService, server: DashboardServer, clock: FakeClock
) -> None:
    await a_night_on_scene(db, incident)
    admitted = await credentials(db, clock.now())
    wall, _ = admitted["a wall screen for every team"]
    mini_app, _ = admitted["the coordinator's Mini App"]
    assert (await fetch(server, "/api/page", wall))[0] == 200
    clock.advance(minutes=1)
    await DashboardKeys(db).revoke_all(clock.now())
    for header in (wall, mini_app):
        assert await fetch(server, "/api/page", header) == (401, {"error": "unauthorized"})
    fresh, _ = (await credentials(db, clock.now()))["the coordinator's Mini App"]
    assert (await fetch(server, "/api/page", fresh))[0] == 200


async def test_the_page_shell_holds_no_data_and_is_served_to_anyone(
    server: DashboardServer,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}/") as response,
    ):
        body = await response.text()
    assert response.status == 200
    assert "+86" not in body and "队员" not in body
