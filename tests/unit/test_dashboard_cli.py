"""`rescuebot dashboard-link`: wall-screen links, one team's, and revoking them all."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from dashboard.auth import Unauthorized, verify_link
from dashboard.keys import DashboardKeys
from dashboard.view import Viewer
from roster.model import Actor, Role, Volunteer
from storage.db import open_database


def _token(out: str) -> str:
    return out.split("#link=", 1)[1].split()[0]


async def _secret(path: Path) -> str:
    db = await open_database(path)
    try:
        return (await DashboardKeys(db).current(datetime.now(UTC))).secret
    finally:
        await db.close()


def test_a_wall_screen_link_for_one_team_is_signed_and_revocable(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dashboard-link", "--hours", "48", "--team", "山地公益救援中心"]) == 0
    out = capsys.readouterr().out
    assert "no phone numbers" in out
    token = _token(out)
    claims = verify_link(token, asyncio.run(_secret(cli_db)), datetime.now(UTC))
    assert claims.team == "SD" and claims.wall
    assert main(["dashboard-link", "--revoke-all"]) == 0
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(Unauthorized):
        verify_link(token, asyncio.run(_secret(cli_db)), datetime.now(UTC))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hours", "0"], "--hours must be a number of hours from 1 to 2160"),
        (["--hours", "-1"], "(e.g. 24 or 1.5), not -1."),
        (["--team", "XX"], "XX"),
    ],
)
def test_a_bad_dashboard_link_request_says_what_is_wrong(
    cli_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["dashboard-link", *args]) == 1
    assert message in capsys.readouterr().err


def _actor(role: Role | None, coordinator: bool = False) -> Actor:
    volunteer = Volunteer(1, "SD", "王五", "+8613800000001", role) if role else None
    return Actor(7, "zh", volunteer, coordinator)


def test_roles_decide_what_a_dashboard_viewer_sees() -> None:
    assert Viewer.of(_actor(Role.MEMBER)) is None
    assert Viewer.of(_actor(None)) is None
    leader = Viewer.of(_actor(Role.DEPUTY))
    assert leader is not None
    assert leader.sees_callout(("SD", "HR")) and not leader.sees_callout(("HR",))
    assert leader.sees_phone("SD") and not leader.sees_phone("HR")
    coordinator = Viewer.of(_actor(None, coordinator=True))
    assert coordinator is not None and coordinator.sees_phone("HR")
    wall = Viewer.wall_screen("en", "HR")
    assert wall.sees_callout(("HR", "SD")) and not wall.sees_callout(("SD",))
    assert not wall.sees_phone("HR")
    assert not Viewer.wall_screen("en", None).sees_phone("SD")
