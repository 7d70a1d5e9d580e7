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
from i18n.catalogue import t
from storage.db import utcnow_iso
from storage.unit_of_work import UnitOfWork
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
    # On SD's callout #{id}, before anyone widens it to HR: SD's leaders and coordinators.
    ("/update {id} 集合点改到北门", SD_LEADERS),
    ("/mark {id} 队员甲 unavailable", SD_LEADERS),
    ("/check {id} 30", SD_LEADERS),
    ("/callout mountain 1 西坡 迷路 team=SD", SD_LEADERS),
    ("/cancel {id} test", SD_LEADERS),
    ("/close {id}", SD_LEADERS),
    ("/widen {id} team=HR", {"coordinator"}),
    (f"/mission add mountain {LAST_YEAR}-05-01 3 SD", SD_LEADERS),
    (f"/mission add mountain {LAST_YEAR}-05-01 3 SD,HR", {"coordinator"}),
    # Mission 1: the first callout closed above (SD's).
    ("/mission 1", SD_LEADERS),
    ("/dashboard", ANY_LEADER),
    ("/roster SD", SD_LEADERS),
    # Another team's leader looks people up in their own team only: "not found".
    ("/invite 队员甲", ANY_LEADER),
    ("/insurance", ANY_LEADER),
    ("/training", ANY_LEADER),
    ("/fitness", ANY_LEADER),
    # A person of SD: another team's leader finds people of their own team only.
    (f"/fitness 队员甲 pullups=5 date={LAST_YEAR}-05-01", ANY_LEADER),
    (f"/cert 队员甲 急救 {LAST_YEAR}-03-05", ANY_LEADER),
    (f"/training add {LAST_YEAR}-03-05 2 绳索复训", ANY_LEADER),
    # A file: another team's leader may import, and their rows of SD are rejected one by one.
    ("/import training", ANY_LEADER),
    ("/missions", ANY_LEADER),
    ("/report missions SD", SD_LEADERS),
    ("/report readiness", ANY_LEADER),
]
TRAINING_CSV = (
    f"日期,队伍,培训内容,类别,学时,姓名,手机\n{LAST_YEAR}-03-05,SD,绳索复训,绳索,4,队员甲,\n"
).encode()
PAGED = {"member", "deputy"}  # SD's callouts page its member and its deputy
GOING = PAGED | {"leader"}
# (data, who may), in order: each press may depend on the ones before (an answer before
# On scene; the mission, {mission}, closed from the callout before the debrief's buttons).
BUTTONS: list[tuple[str, set[str]]] = [
    ("co:{id}:a", PAGED),
    ("co:{id}:u", PAGED),
    ("co:{id}:eta:15", PAGED),
    ("co:{id}:swap:{id}", PAGED),
    # Staying where one is changes nothing, and only the paged are answered so.
    ("co:{id}:stay:{id}", PAGED),
    ("co:{id}:me", {"leader"}),  # I'm going too: the caller's own
    ("co:{id}:widen", {"coordinator"}),
    ("co:{id}:mute", {"coordinator"}),
    # Without the token only the duplicate guard's message carries, it is nobody's.
    ("co:{id}:join:1", set()),
    # The held request must be the presser's own, else it has expired for them.
    ("cd:1:go", ANY_LEADER),
    # Widened to every team above: HR's leader manages their part of it now.
    ("ic:{id}:list", ANY_LEADER),
    # The caller said they go too above: on the callout like the paged.
    ("ic:{id}:scene", GOING),
    ("ic:{id}:ok:{check}", {"member"}),  # the check asked of the member
    ("ic:{id}:help:{check}", {"member"}),
    ("ic:{id}:home", GOING),
    ("ic:{id}:right:{mission}", GOING),
    ("ic:{id}:fix:{mission}", GOING),
]
# Each is refused with the catalogue's words: a command's NotAllowed through the error
# handler, a button's answer (checked against both languages: a paged person's own).
TAP_REFUSALS = (
    "tap.unknown",
    "tap.not_yours",
    "multiteam.going_too.not_caller",
    "multiteam.error.join_refused",
    "incident.error.not_participant",
)


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
    """Do `act` as `role`: whether it was refused. A refusal is audited (who, what, why),
    writes nothing and is told in the catalogue's words."""
    user = driver.sandbox.user(ROLES[role])
    before = len(driver.refusals)
    writes = await driver.writes()
    audited = await _audited(driver)
    queries = len(driver.sandbox.world.callback_queries)
    await act()
    await driver.deliver()
    assert not driver.errors.records, driver.errors.describe()
    rows = (await _audited(driver))[len(audited) :]
    raised = [e for e in driver.refusals[before:] if isinstance(e, NotAllowed)]
    assert not raised or rows, f"{role}: refusal not audited"
    if not rows:
        return False
    assert [actor for actor, _ in rows] == [ROLES[role]] * len(rows)
    reasons = {json.loads(detail)["reason"] for _, detail in rows}
    assert await driver.writes() == writes, f"{role}: a refusal wrote {reasons}"
    if raised:
        told = str(user.inbox()[-1].get("text") or "")
        known = role != "unknown"
        error = raised[-1]
        expected = t(error.key, "en", **error.params) if known else t("error.unknown_person", "en")
        assert expected in (told, *_answers(driver, queries)), (role, expected)
    else:
        texts = {t(key, lang, id=ANY_ID) for key in reasons for lang in ("en", "zh")}
        assert set(_answers(driver, queries)) & texts, (role, reasons)
    return True


ANY_ID = 0  # tap refusals that name the callout are checked by key only (see _answers)


async def _audited(driver: Driver) -> list[tuple[int, str]]:
    rows = await driver.db.fetchall(
        "SELECT actor, detail FROM audit_log WHERE action='refused' ORDER BY id"
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def _answers(driver: Driver, since: int) -> list[str]:
    """The answers' texts of the button presses after the `since`-th."""
    records = list(driver.sandbox.world.callback_queries.values())[since:]
    return [str((r.answer or {}).get("text") or "") for r in records]


async def _say(user: Any, text: str) -> None:
    """A command; `/import …` is a file's caption."""
    if text.startswith("/import"):
        await user.send_document("training.csv", TRAINING_CSV, caption=text)
    else:
        await user.send(text)


async def test_every_command_as_every_role_is_allowed_or_refused_as_documented(
    driver: Driver,
) -> None:
    wrong = []
    for text, allowed in COMMANDS:
        for role, user_id in ROLES.items():
            callout_id = await _open_callout(driver)
            user = driver.sandbox.user(user_id)
            sent = text.format(id=callout_id)
            refused = await _refused(driver, role, lambda u=user, x=sent: _say(u, x))
            if refused == (role in allowed):
                wrong.append(f"{text!r} as {role}: {'refused' if refused else 'allowed'}")
    assert not wrong, "\n".join(wrong)


async def _asked_check(driver: Driver, callout_id: int) -> int:
    """A safety check asked of the member (the timer's rounds are tested elsewhere)."""
    async with UnitOfWork(driver.db) as uow:
        written = await uow.tx.execute(
            "INSERT INTO safety_checks (callout_id, volunteer_id, sent_at) SELECT ?, id, ? "
            "FROM volunteers WHERE telegram_id = ?",
            (callout_id, utcnow_iso(), MEMBER),
        )
    assert written.lastrowid is not None
    return written.lastrowid


async def _closed_mission(driver: Driver) -> tuple[int, int]:
    """(callout, mission) of the first callout, closed by its caller if still open."""
    await driver.sandbox.user(LEADER).send("/close 1")
    await driver.deliver()
    found = await driver.db.fetchone("SELECT id FROM missions WHERE callout_id = 1")
    assert found is not None
    return 1, int(found[0])


async def test_every_button_as_every_role_is_allowed_or_refused_as_documented(
    driver: Driver,
) -> None:
    wrong = []
    check = 0
    for data, allowed in BUTTONS:
        if "{mission}" in data:
            callout_id, mission_id = await _closed_mission(driver)
        else:
            callout_id, mission_id = await _open_callout(driver), 0
        if "{check}" in data and not check:
            check = await _asked_check(driver, callout_id)
        sent = data.format(id=callout_id, check=check, mission=mission_id)
        for role, user_id in ROLES.items():
            user = driver.sandbox.user(user_id)

            async def press(u: Any = user, d: str = sent) -> None:
                await u.press(u.inbox()[0], d, force=True)

            refused = await _refused(driver, role, press)
            if refused == (role in allowed):
                wrong.append(f"{data!r} as {role}: {'refused' if refused else 'allowed'}")
            assert not driver.unanswered()
    assert not wrong, "\n".join(wrong)
