"""Refusals end to end, one update at a time: a stand-down that would not fit is refused
before anything changes, refused button presses are audited like refused commands, and on
a shared callout each team's leader acts on their own team's part only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from i18n.catalogue import t
from missions.model import MAX_REASON
from tests.conftest import make_settings
from tests.driver import Driver, driven_bot
from tests.factories import add_coordinator, add_volunteer

UNKNOWN, MEMBER, LEADER, HR_LEADER, HR_MEMBER, COORDINATOR = 9301, 9302, 9303, 9304, 9305, 9306


@pytest.fixture
async def driver(sandbox: Any, tmp_path: Path) -> AsyncIterator[Driver]:
    async with driven_bot(sandbox, make_settings(tmp_path / "r.db", sandbox.api_url)) as driver:
        db = driver.db
        ready: dict[str, Any] = {"skills": ["mountain_search"], "fitness_passed_on": date.today()}
        await add_volunteer(db, "山队员", telegram_id=MEMBER, **ready)
        await add_volunteer(db, "山队长", role="leader", telegram_id=LEADER)
        await add_volunteer(db, "红队长", team="HR", role="leader", telegram_id=HR_LEADER)
        await add_volunteer(db, "红队员", team="HR", telegram_id=HR_MEMBER)
        await add_coordinator(db, COORDINATOR)
        for user_id in (UNKNOWN, MEMBER, LEADER, HR_LEADER, HR_MEMBER, COORDINATOR):
            await driver.sandbox.user(user_id, "x", language_code="en").send("/help")
        await driver.deliver()
        yield driver


async def _send(driver: Driver, user_id: int, text: str) -> str:
    """Send a command; the text of the bot's last message to that chat."""
    user = driver.sandbox.user(user_id)
    await user.send(text)
    await driver.deliver()
    return str(user.inbox()[-1].get("text") or "")


async def _answered(driver: Driver, user_id: int, data: str) -> str:
    """Press forged button data on the user's first message; the answer's text."""
    user = driver.sandbox.user(user_id)
    query_id = await user.press(user.inbox()[0], data, force=True)
    await driver.deliver()
    answer = driver.sandbox.world.callback_queries[query_id].answer
    assert answer is not None, f"{data} was never answered"
    return str(answer.get("text") or "")


async def _refusals(driver: Driver, user_id: int) -> list[dict[str, Any]]:
    rows = await driver.db.fetchall(
        "SELECT detail FROM audit_log WHERE action = 'refused' AND actor = ? ORDER BY id",
        (user_id,),
    )
    return [json.loads(row[0]) for row in rows]


async def _page(driver: Driver, user_id: int, callout_id: int) -> dict[str, Any]:
    pages = [m for m in driver.sandbox.user(user_id).inbox() if f"#{callout_id}" in str(m)]
    assert pages, f"{user_id} was not paged for #{callout_id}"
    return pages[0]


async def test_a_cancel_reason_too_long_for_a_stand_down_is_refused_and_a_shorter_one_arrives(
    driver: Driver,
) -> None:
    await _send(driver, LEADER, "/callout mountain 1 西坡 迷路")
    member = driver.sandbox.user(MEMBER)
    await member.press(await _page(driver, MEMBER, 1), "co:1:a")
    await driver.deliver()
    before = await driver.writes()
    too_long = "x" * 4500
    answer = await _send(driver, LEADER, f"/cancel 1 {too_long}")
    assert answer == t("cancel.error.reason_too_long", "en", length=4500, max=MAX_REASON)
    assert await driver.writes() == before
    row = await driver.db.fetchone("SELECT status FROM callouts WHERE id = 1")
    assert row is not None and row[0] in ("open", "filled")
    # The longest reason allowed still makes a stand-down Telegram delivers.
    reason = "y" * MAX_REASON
    calls = len(driver.sandbox.calls)
    await _send(driver, LEADER, f"/cancel 1 {reason}")
    assert not driver.overlong(calls)
    assert any(reason in str(m.get("text")) for m in member.inbox())


async def test_refused_button_presses_are_audited_with_the_button_kind_and_the_refusal(
    driver: Driver,
) -> None:
    await _send(driver, LEADER, "/callout mountain 1 西坡 迷路")
    before = await driver.writes()
    presses = [
        (UNKNOWN, "co:1:a", "button co", "tap.not_yours"),
        (HR_LEADER, "co:1:a", "button co", "tap.not_yours"),
        (HR_LEADER, "co:1:me", "button co", "multiteam.going_too.not_caller"),
        (UNKNOWN, "co:1:me", "button co", "multiteam.going_too.not_caller"),
        (HR_LEADER, "co:99:a", "button co", "tap.unknown"),
        (UNKNOWN, "ic:1:scene", "button ic", "tap.not_yours"),
        (HR_LEADER, "ic:1:scene", "button ic", "tap.not_yours"),
        (UNKNOWN, "ic:1:home", "button ic", "tap.not_yours"),
        (HR_LEADER, "ic:1:home", "button ic", "tap.not_yours"),
    ]
    for user_id, data, what, reason in presses:
        audited = len(await _refusals(driver, user_id))
        answer = await _answered(driver, user_id, data)
        assert answer == t(reason, "en", id=1), data
        found = await _refusals(driver, user_id)
        assert len(found) == audited + 1, f"{data} by {user_id}: not audited"
        assert (found[-1]["what"], found[-1]["reason"]) == (what, reason)
    assert await driver.writes() == before


async def _shared_callout(driver: Driver) -> None:
    """A coordinator's flood callout of SD and HR, one place each, both members confirmed."""
    await _send(driver, COORDINATOR, "/callout flood 2 江心洲 team=SD:1,HR:1")
    for user_id in (MEMBER, HR_MEMBER):
        await driver.sandbox.user(user_id).press(await _page(driver, user_id, 1), "co:1:a")
    await driver.deliver()


async def test_a_team_leader_updates_and_marks_only_their_own_part_of_a_shared_callout(
    driver: Driver,
) -> None:
    await _shared_callout(driver)
    hr_member, sd_member = driver.sandbox.user(HR_MEMBER), driver.sandbox.user(MEMBER)
    sd_seen = len(sd_member.inbox())
    sent = await _send(driver, HR_LEADER, "/update 1 集合点改到北门")
    assert sent == t("multiteam.update.sent", "en", id=1, count=1)
    assert "集合点改到北门" in str(hr_member.inbox()[-1].get("text"))
    assert len(sd_member.inbox()) == sd_seen
    # Another team's person: refused with /mark's own words, audited, nothing written.
    before = await driver.writes()
    answer = await _send(driver, HR_LEADER, "/mark 1 山队员 unavailable")
    assert answer == t("mark.error.other_team", "en", name="山队员", team="SD")
    assert await driver.writes() == before
    assert (await _refusals(driver, HR_LEADER))[-1]["reason"] == "mark.error.other_team"
    row = await driver.db.fetchone(
        "SELECT r.state FROM responses r JOIN volunteers v ON v.id = r.volunteer_id "
        "WHERE v.telegram_id = ?",
        (MEMBER,),
    )
    assert row is not None and row[0] == "available"
    # Their own: recorded.
    done = await _send(driver, HR_LEADER, "/mark 1 红队员 onscene")
    on_scene = t("mark.answer.onscene", "en")
    assert done == t("mark.done", "en", name="红队员", id=1, answer=on_scene)


async def test_only_the_whole_callouts_managers_change_its_safety_checks(
    driver: Driver,
) -> None:
    await _shared_callout(driver)
    before = await driver.writes()
    for leader in (HR_LEADER, LEADER):
        answer = await _send(driver, leader, "/check 1 30")
        assert answer == t("check.error.whole_callout", "en", id=1)
        assert (await _refusals(driver, leader))[-1]["reason"] == "check.error.whole_callout"
    assert await driver.writes() == before
    answer = await _send(driver, COORDINATOR, "/check 1 30")
    assert answer == t("check.set_later", "en", id=1, minutes="30")
