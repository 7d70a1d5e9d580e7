"""Every command and button as every role: allowed or refused as the README's "Who can do
what in chat" table says, and every refusal is in the audit log."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from common.errors import NotAllowed
from tests.conftest import make_settings
from tests.driver import Driver, driven_bot
from tests.factories import add_coordinator, add_volunteer

UNKNOWN, MEMBER, DEPUTY, OTHER_LEADER, LEADER, COORDINATOR = 9101, 9102, 9103, 9104, 9105, 9106
ROLE_NAMES = ("unknown", "member", "deputy", "other_leader", "leader", "coordinator")
ROLES = dict(zip(ROLE_NAMES, (UNKNOWN, MEMBER, DEPUTY, OTHER_LEADER, LEADER, COORDINATOR),
                 strict=True))  # fmt: skip
EVERYONE = set(ROLE_NAMES)
KNOWN = EVERYONE - {"unknown"}
VOLUNTEERS = KNOWN - {"coordinator"}
SD_LEADERS = {"deputy", "leader", "coordinator"}  # SD's leader and deputy, and coordinators
ANY_LEADER = SD_LEADERS | {"other_leader"}
LAST_YEAR = date.today().year - 1

# (what is sent, who may): commands aimed at team SD and at callout #1 (SD's, open).
COMMANDS: list[tuple[str, set[str]]] = [  # {id}: that callout
    ("/start", EVERYONE),
    ("/help", EVERYONE),
    ("/lang en", EVERYONE),
    ("/me", KNOWN),
    # Being away is a volunteer's: a coordinator who is not on a team has no record.
    ("/away 3", VOLUNTEERS),
    ("/back", VOLUNTEERS),
    ("/status", ANY_LEADER),
    ("/status {id}", SD_LEADERS),
    ("/callout mountain 1 西坡 迷路 team=SD", SD_LEADERS),
    ("/cancel {id} test", SD_LEADERS),
    ("/close {id}", SD_LEADERS),
    ("/widen {id} team=HR", {"coordinator"}),
    (f"/mission add mountain {LAST_YEAR}-05-01 3 SD", SD_LEADERS),
    (f"/mission add mountain {LAST_YEAR}-05-01 3 SD,HR", {"coordinator"}),
    ("/roster SD", SD_LEADERS),
    # Another team's leader looks people up in their own team only: "not found".
    ("/invite 队员甲", ANY_LEADER),
    ("/insurance", ANY_LEADER),
    ("/training", ANY_LEADER),
    ("/fitness", ANY_LEADER),
    ("/missions", ANY_LEADER),
    ("/report missions SD", SD_LEADERS),
    ("/report readiness", ANY_LEADER),
]
BUTTONS: list[tuple[str, set[str]]] = [
    ("co:{id}:widen", {"coordinator"}),
    # The held request must be the presser's own, else it has expired for them.
    ("co:{id}:join:1", ANY_LEADER),
]


@pytest.fixture
async def driver(sandbox: Any, tmp_path: Path) -> AsyncIterator[Driver]:
    async with driven_bot(sandbox, make_settings(tmp_path / "p.db", sandbox.api_url)) as driver:
        db = driver.db
        ready: dict[str, Any] = {"skills": ["mountain_search"], "fitness_passed_on": date.today()}
        await add_volunteer(db, "队员甲", telegram_id=MEMBER, **ready)
        await add_volunteer(db, "副队长", role="deputy", telegram_id=DEPUTY, **ready)
        await add_volunteer(db, "红队长", team="HR", role="leader", telegram_id=OTHER_LEADER)
        await add_volunteer(db, "山队长", role="leader", telegram_id=LEADER)
        await add_coordinator(db, COORDINATOR)
        for user_id in ROLES.values():
            await driver.sandbox.user(user_id, "x", language_code="en").send("/help")
        await driver.deliver()
        yield driver


async def _open_callout(driver: Driver) -> int:
    """An open callout of SD (a new one when /cancel or /close ended the last)."""
    sql = "SELECT id FROM callouts WHERE status IN ('open', 'filled') ORDER BY id LIMIT 1"
    found = await driver.db.fetchone(sql)
    if found is None:
        await driver.sandbox.user(LEADER).send("/callout mountain 1 西坡 迷路")
        await driver.deliver()
        found = await driver.db.fetchone(sql)
    assert found is not None
    return int(found[0])


async def _refused(driver: Driver, role: str, act: Any) -> bool:
    before = len(driver.refusals)
    audited = await driver.db.fetchone("SELECT COUNT(*) FROM audit_log WHERE action='refused'")
    await act()
    await driver.deliver()
    assert not driver.errors.records, driver.errors.describe()
    refused = any(isinstance(e, NotAllowed) for e in driver.refusals[before:])
    if refused:
        rows = await driver.db.fetchall(
            "SELECT actor, detail FROM audit_log WHERE action='refused' ORDER BY id"
        )
        assert len(rows) > (audited[0] if audited else 0), f"{role}: refusal not audited"
        assert rows[-1][0] == ROLES[role] and json.loads(rows[-1][1])["reason"]
    return refused


async def test_every_command_as_every_role_is_allowed_or_refused_as_documented(
    driver: Driver,
) -> None:
    wrong = []
    for text, allowed in COMMANDS:
        for role, user_id in ROLES.items():
            callout_id = await _open_callout(driver)
            user = driver.sandbox.user(user_id)
            sent = text.format(id=callout_id)
            refused = await _refused(driver, role, lambda u=user, x=sent: u.send(x))
            if refused == (role in allowed):
                wrong.append(f"{text!r} as {role}: {'refused' if refused else 'allowed'}")
    assert not wrong, "\n".join(wrong)


async def test_every_button_as_every_role_is_allowed_or_refused_as_documented(
    driver: Driver,
) -> None:
    wrong = []
    for data, allowed in BUTTONS:
        for role, user_id in ROLES.items():
            callout_id = await _open_callout(driver)
            user = driver.sandbox.user(user_id)

            async def press(u: Any = user, d: str = data.format(id=callout_id)) -> None:
                await u.press(u.inbox()[0], d, force=True)

            refused = await _refused(driver, role, press)
            if refused == (role in allowed):
                wrong.append(f"{data!r} as {role}: {'refused' if refused else 'allowed'}")
            assert not driver.unanswered()
    assert not wrong, "\n".join(wrong)
