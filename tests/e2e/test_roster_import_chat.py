"""Rosters sent as files in chat: all or nothing, leaders only for their own team."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from common.settings import Settings
from common.tabular import table_to_xlsx
from roster.demo import seed_roster
from roster.exporter import export_roster
from roster.repository import RosterRepository
from storage.db import open_database
from tests.conftest import BotHarness
from tests.factories import add_coordinator, add_volunteer

COORDINATOR = 9100
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


async def _demo_roster_csv(tmp_path: Path) -> tuple[bytes, list[list[Any]]]:
    """The 263-person demo roster as the CSV a bureau would send, without Telegram ids."""
    source = await open_database(tmp_path / "source.db")
    await RosterRepository(source).seed_reference_data()
    await seed_roster(source, random.Random(7), date.today())
    headers, rows = await export_roster(source, year=None, tz=Settings.model_validate({}).tz)
    await source.close()
    id_column = headers.index("Telegram ID")
    for row in rows:
        row[id_column] = ""
    lines = [",".join(headers)] + [",".join(str(c or "") for c in row) for row in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode(), [headers, *rows]


async def test_a_coordinator_imports_263_people_and_a_volunteer_then_links_by_phone(
    bot: BotHarness, tmp_path: Path
) -> None:
    content, table = await _demo_roster_csv(tmp_path)
    assert len(table) == 264
    await add_coordinator(bot.db, COORDINATOR)
    coordinator = bot.sandbox.user(COORDINATOR, "值班员")
    await coordinator.send_document("roster.csv", content, caption="/import roster")
    await coordinator.wait_for_message("新增 263", timeout=20)
    count = await bot.db.fetchone("SELECT COUNT(*) FROM volunteers")
    assert count is not None and count[0] == 263

    headers, first = table[0], table[1]
    name, phone = first[headers.index("姓名")], first[headers.index("手机")]
    volunteer = bot.sandbox.user(8800, name)
    await volunteer.share_contact(phone)
    await volunteer.wait_for_message(f"已绑定：{name}")
    await volunteer.send("/me")
    record = await volunteer.wait_for_message(f"{name} 的档案")
    text = str(record["text"])
    team = await bot.db.fetchone(
        "SELECT t.name FROM volunteers v JOIN teams t ON t.code = v.team_code WHERE v.name = ?",
        (name,),
    )
    assert team is not None and team[0] in text
    skills = str(first[headers.index("技能")]).split("、")
    assert all(skill in text for skill in skills if skill)


async def test_a_file_with_three_bad_rows_is_rejected_whole_with_every_line_number(
    bot: BotHarness,
) -> None:
    await add_coordinator(bot.db, COORDINATOR)
    coordinator = bot.sandbox.user(COORDINATOR, "值班员")
    content = (SAMPLES / "roster-bad.csv").read_bytes()
    await coordinator.send_document("roster-bad.csv", content, caption="/import roster")
    reply = await coordinator.wait_for_message("数据未作任何改动")
    text = str(reply["text"])
    for line in ("第 3 行", "第 5 行", "第 6 行"):
        assert line in text
    count = await bot.db.fetchone("SELECT COUNT(*) FROM volunteers")
    assert count is not None and count[0] == 0


async def test_a_leader_imports_their_own_teams_rows_but_not_another_teams(
    bot: BotHarness,
) -> None:
    await add_volunteer(bot.db, "刘队", role="leader", team="SD", telegram_id=9200)
    leader = bot.sandbox.user(9200, "刘队")
    own = "队伍,姓名,手机\nSD,新队员甲,139 0000 0001\nSD,新队员乙,139 0000 0002\n"
    xlsx = table_to_xlsx(
        ["队伍", "姓名", "手机"],
        [["SD", "新队员甲", "139 0000 0001"], ["SD", "新队员乙", "139 0000 0002"]],
    )
    await leader.send_document("own.xlsx", xlsx, caption="/import roster")
    await leader.wait_for_message("新增 2")
    foreign = own + "HR,别队队员,139 0000 0003\n"
    await leader.send_document("foreign.csv", foreign.encode(), caption="/import roster")
    reply = await leader.wait_for_message("数据未作任何改动")
    assert "第 4 行" in str(reply["text"])
    count = await bot.db.fetchone("SELECT COUNT(*) FROM volunteers WHERE team_code = 'HR'")
    assert count is not None and count[0] == 0


async def test_a_member_cannot_import_and_a_missing_kind_is_explained(bot: BotHarness) -> None:
    await add_volunteer(bot.db, "队员", telegram_id=9300)
    await add_coordinator(bot.db, COORDINATOR)
    member = bot.sandbox.user(9300, "队员")
    await member.send_document("r.csv", b"a,b\n", caption="/import roster")
    await member.wait_for_message("只对队长、副队长和协调员开放")
    coordinator = bot.sandbox.user(COORDINATOR, "值班员")
    await coordinator.send_document("r.csv", b"a,b\n", caption="/import")
    await coordinator.wait_for_message("/import roster|insurance|training|fitness")
    await coordinator.send_document("r.pdf", b"%PDF", caption="/import roster")
    await coordinator.wait_for_message("不是 CSV 或 XLSX")
