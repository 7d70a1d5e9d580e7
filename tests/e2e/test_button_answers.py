"""Every button press is answered, also when what it asks for fails after the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.driver import Driver, driven_bot
from tests.factories import add_coordinator, add_volunteer

LEADER, MEMBER, COORDINATOR = 8101, 8102, 8103


@pytest.fixture
async def driver(sandbox: Any, tmp_path: Path) -> AsyncIterator[Driver]:
    async with driven_bot(sandbox, make_settings(tmp_path / "b.db", sandbox.api_url)) as driver:
        await add_volunteer(driver.db, "山队长", role="leader", telegram_id=LEADER)
        await add_volunteer(driver.db, "队员", telegram_id=MEMBER,
                            skills=["mountain_search"], fitness_passed_on=date.today())  # fmt: skip
        await add_coordinator(driver.db, COORDINATOR)
        for user_id in (LEADER, MEMBER, COORDINATOR):
            driver.sandbox.user(user_id, "x", language_code="en")
        yield driver


def last_text(driver: Driver, user_id: int) -> str:
    return str(driver.sandbox.user(user_id).inbox()[-1].get("text", ""))


async def press(driver: Driver, user_id: int, data: str) -> dict[str, Any]:
    user = driver.sandbox.user(user_id)
    query_id = await user.press(user.inbox()[-1], data, force=True)
    await driver.deliver()
    answer: dict[str, Any] = await user.wait_for_answer(query_id, timeout=5)
    return answer


async def test_widen_on_a_closed_callout_is_answered_and_says_it_ended(driver: Driver) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout mountain 1 西坡 迷路")
    await leader.send("/close 1")
    await driver.deliver()
    await driver.sandbox.user(COORDINATOR).send("/help")
    await driver.deliver()
    await press(driver, COORDINATOR, "co:1:widen")
    assert "has already ended" in last_text(driver, COORDINATOR)
    assert not driver.errors.records


async def test_join_with_a_stale_draft_is_answered_and_says_why(driver: Driver) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout mountain 1 西坡 迷路")
    await driver.deliver()
    # A join button carries the duplicate guard's token (co:<id>:join:<draft>:<token>); it is
    # checked before the answer, so the reason comes as the answer itself.
    answer = await press(driver, LEADER, "co:1:join:424242:token")
    said = str(answer.get("text", "")) + last_text(driver, LEADER)
    assert "/callout" in said or "expired" in said
    assert not driver.errors.records


async def test_a_dialog_description_over_the_limit_is_refused_as_typed_and_can_be_retyped(
    driver: Driver,
) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout")
    await driver.deliver()
    draft = leader.inbox()[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    draft_id = draft.split(":")[1]
    for data in (f"cd:{draft_id}:t:mountain", f"cd:{draft_id}:n:2", f"cd:{draft_id}:s:-"):
        await press(driver, LEADER, data)
    await leader.send("西坡 " + "很" * 2100)
    await driver.deliver()
    assert "too long (2100 characters, at most 2000)" in last_text(driver, LEADER)
    await leader.send("西坡 迷路")
    await driver.deliver()
    assert "迷路" in last_text(driver, LEADER)
    assert not driver.errors.records


@pytest.mark.parametrize("headcount", ["0", "100000", "²", "99999999999999999999999"])
async def test_the_dialogs_headcount_must_be_one_it_offered(driver: Driver, headcount: str) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout")
    await driver.deliver()
    draft = leader.inbox()[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    draft_id = draft.split(":")[1]
    await press(driver, LEADER, f"cd:{draft_id}:t:mountain")
    await press(driver, LEADER, f"cd:{draft_id}:n:{headcount}")
    assert "expired" in last_text(driver, LEADER)
    row = await driver.db.fetchone("SELECT data FROM callout_drafts WHERE id = ?", (draft_id,))
    assert row is not None and "needed" not in row[0]
    assert not driver.errors.records


async def test_an_error_reply_quoting_a_huge_input_stays_deliverable(driver: Driver) -> None:
    leader = driver.sandbox.user(LEADER)
    calls = len(driver.sandbox.calls)
    await leader.send("/report missions " + "9" * 4090)
    await driver.deliver()
    text = last_text(driver, LEADER)
    assert "99999" in text and len(text) < 600
    assert not driver.overlong(calls)


async def test_a_leader_cannot_log_a_mission_for_another_team_nor_in_the_future(
    driver: Driver,
) -> None:
    leader = driver.sandbox.user(LEADER)
    last_year = date.today().year - 1
    for text in (
        f"/mission add mountain {last_year}-05-01 3 SD,HR",
        "/mission add mountain 2099-01-01 3 SD",
    ):
        await leader.send(text)
        await driver.deliver()
    replies = [str(m.get("text")) for m in leader.inbox()[-2:]]
    assert "HR" in replies[0] and "2099-01-01 is in the future" in replies[1]
    assert (await driver.db.fetchone("SELECT COUNT(*) FROM missions") or [None])[0] == 0
    await leader.send(f"/mission add mountain {last_year}-05-01 3 SD")
    await driver.deliver()
    assert (await driver.db.fetchone("SELECT COUNT(*) FROM missions") or [None])[0] == 1


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("t:volcano", "expired"),  # not a mission type
        ("t", "expired"),
        ("t:mountain:extra", "expired"),
        ("tm", "expired"),
        ("q:SD:x", "expired"),  # the quota step is not reached
        ("s", "expired"),
        ("sl:", "expired"),
        ("ok:now", "expired"),
        ("x:y", "expired"),
        ("dance", "expired"),
    ],
)
async def test_malformed_dialog_data_is_answered_as_stale_and_changes_nothing(
    driver: Driver, data: str, said: str
) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout")
    await driver.deliver()
    draft = leader.inbox()[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    draft_id = draft.split(":")[1]
    before = await driver.db.fetchone(
        "SELECT step, data FROM callout_drafts WHERE id = ?", (draft_id,)
    )
    await press(driver, LEADER, f"cd:{draft_id}:{data}")
    assert said in last_text(driver, LEADER)
    after = await driver.db.fetchone(
        "SELECT step, data FROM callout_drafts WHERE id = ?", (draft_id,)
    )
    assert after is not None and before is not None and tuple(after) == tuple(before)
    assert not driver.errors.records


@pytest.mark.parametrize("data", ["cd:x:t:mountain", "cd:424242:t:mountain", "cd:1", "cd:"])
async def test_dialog_data_of_no_draft_is_answered_as_expired_at_once(
    driver: Driver, data: str
) -> None:
    await driver.sandbox.user(LEADER).send("/help")
    await driver.deliver()
    answer = await press(driver, LEADER, data)
    assert "expired" in str(answer.get("text", ""))
    assert not driver.errors.records
