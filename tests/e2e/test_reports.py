"""Reports in chat through the sandbox, with the real bot: text, spreadsheet and chart."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from common.clock import SystemClock, local_today
from tests.conftest import BotHarness
from tests.factories import add_coordinator, add_volunteer

COORDINATOR_ID, LEADER_ID, MEMBER_ID, HR_LEADER_ID = 7301, 7302, 7303, 7304


def _text(message: dict[str, Any]) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def _arrange(bot: BotHarness) -> int:
    """Two teams and a mission for each this year; returns the year."""
    year = local_today(SystemClock(), bot.settings.tz).year
    await add_coordinator(bot.db, COORDINATOR_ID)
    leader = await add_volunteer(
        bot.db, "刘队", role="leader", telegram_id=LEADER_ID, phone="+8613800001111"
    )
    member = await add_volunteer(bot.db, "张伟", telegram_id=MEMBER_ID, phone="+8613800002222")
    hr = await add_volunteer(
        bot.db, "王队", team="HR", role="leader", telegram_id=HR_LEADER_ID, phone="+8613800003333"
    )
    started = datetime(year, 1, 10, 2, 0, tzinfo=UTC).isoformat(timespec="seconds")
    for kind, team, crew in (("mountain", "SD", (leader, member)), ("flood", "HR", (hr,))):
        mission = await bot.db.execute(
            "INSERT INTO missions (type, teams, started_at, ended_at, rescued) VALUES (?,?,?,?,1)",
            (kind, json.dumps([team]), started, started),
        )
        for vid in crew:
            await bot.db.execute(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours) VALUES (?,?,5)",
                (mission, vid),
            )
    return year


def _attachment(message: dict[str, Any]) -> str | None:
    if "document" in message:
        return str(message["document"]["file_id"])
    if "photo" in message:
        return str(message["photo"][-1]["file_id"])
    return None


async def test_a_coordinator_gets_the_missions_report_as_text_spreadsheet_and_chart(
    bot: BotHarness,
) -> None:
    year = await _arrange(bot)
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员")
    await coordinator.send("/report missions")
    summary = _text(await coordinator.wait_for_message(f"{year} 年任务报表"))
    assert "任务：2 / 59" in summary and "山地搜救 1、防汛 1" in summary
    assert "13800001111" not in summary  # names, never phones
    document = await coordinator.wait_for_message(lambda m: "document" in m)
    assert document["document"]["file_name"] == f"missions-{year}.xlsx"
    photo = await coordinator.wait_for_message(lambda m: "photo" in m)
    workbook = load_workbook(io.BytesIO(bot.sandbox.file_bytes(_attachment(document) or "")))
    summary_sheet = {r[0]: r[1] for r in workbook["概况"].iter_rows(values_only=True)}
    assert summary_sheet["任务数"] == 2 and summary_sheet["年度目标"] == 59
    assert {r[0] for r in workbook["按队伍"].iter_rows(min_row=2, values_only=True)} == {
        "SD",
        "HR",
    }
    assert bot.sandbox.file_bytes(_attachment(photo) or "").startswith(b"\x89PNG")
    # The bundled CJK font: the chart and its caption are Chinese in a Chinese chat.
    assert f"{year} 年每月任务" in str(photo.get("caption"))
    assert workbook["概况"]["A1"].font.bold and workbook["概况"].freeze_panes == "A2"


async def test_a_leader_sees_their_own_team_only(bot: BotHarness) -> None:
    year = await _arrange(bot)
    leader = bot.sandbox.user(LEADER_ID, "刘队", language_code="en")
    await leader.send("/missions")
    summary = _text(await leader.wait_for_message(f"Missions {year} — SD"))
    assert "Missions with this team: 1 (all teams 2 / 59)" in summary
    assert "王队" not in summary and "HR 宏瑞" not in summary
    document = await leader.wait_for_message(lambda m: "document" in m)
    workbook = load_workbook(io.BytesIO(bot.sandbox.file_bytes(_attachment(document) or "")))
    assert [r[0] for r in workbook["By team"].iter_rows(min_row=2, values_only=True)] == ["SD"]
    await leader.send("/report roster")
    roster = _text(await leader.wait_for_message("Roster on"))
    assert "SD 山地公益救援中心: 2 on file" in roster and "HR" not in roster
    await leader.send("/report readiness HR")
    await leader.wait_for_message("You can see your own team's reports only, not HR's.")


async def test_a_volunteer_or_a_stranger_is_refused_a_report(bot: BotHarness) -> None:
    await _arrange(bot)
    member = bot.sandbox.user(MEMBER_ID, "张伟")
    for command in ("/report missions", "/missions"):
        await member.send(command)
        await member.wait_for_message("只对队长、副队长和协调员开放")
    stranger = bot.sandbox.user(7399, "Stranger", language_code="en")
    await stranger.send("/report insurance")
    await stranger.wait_for_message("I don't know you yet")
    assert not any(_attachment(m) for m in member.inbox() + stranger.inbox())


async def test_bad_input_gets_the_right_form(bot: BotHarness) -> None:
    await _arrange(bot)
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员", language_code="en")
    await coordinator.send("/report budget")
    assert "missions|training" in _text(await coordinator.wait_for_message("no “budget” report"))
    await coordinator.send("/report")
    await coordinator.wait_for_message("Usage: /report missions|training")
    await coordinator.send("/missions 20x6")
    await coordinator.wait_for_message("“20x6” is not a year, e.g. 2026.")
    await coordinator.send("/report training 2026 SD LT")
    await coordinator.wait_for_message("Usage: /report missions|training")


async def test_the_readiness_report_goes_with_a_spreadsheet_and_no_chart(
    bot: BotHarness,
) -> None:
    await _arrange(bot)
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员", language_code="en")
    await coordinator.send("/report readiness SD")
    summary = _text(await coordinator.wait_for_message("Who could be paged now"))
    assert "SD 山地公益救援中心: 2/2 could be paged (0 for a mountain search" in summary
    document = await coordinator.wait_for_message(lambda m: "document" in m)
    workbook = load_workbook(io.BytesIO(bot.sandbox.file_bytes(_attachment(document) or "")))
    teams = workbook["Teams"]
    assert teams["A2"].value == "SD" and teams["D2"].value == 2
    assert not any("photo" in m for m in coordinator.inbox())


async def test_a_report_asked_for_in_a_group_carries_names_but_no_phone_numbers(
    bot: BotHarness,
) -> None:
    await _arrange(bot)
    group_id = -100730
    bot.sandbox.group(group_id, "指挥群")
    coordinator = bot.sandbox.user(COORDINATOR_ID, "值班员")
    await coordinator.send("/report roster SD", chat_id=group_id)
    summary = _text(await coordinator.wait_for_message("队伍概况", chat_id=group_id))
    assert "刘队" in summary
    document = await coordinator.wait_for_message(lambda m: "document" in m, chat_id=group_id)
    content = bot.sandbox.file_bytes(_attachment(document) or "")
    workbook = load_workbook(io.BytesIO(content))
    cells = [str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row]
    assert "刘队" in " ".join(cells)
    assert not any("138" in c for c in cells) and "13800001111" not in summary
