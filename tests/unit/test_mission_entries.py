"""Missions keep their place, outcome and participants; unanswered pages end as no reply;
the outcome reaches the missions export and the missions report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.reporting import build_report
from common.clock import FakeClock
from common.errors import DomainError
from common.spreadsheet import workbook_bytes, write_table
from missions.exporter import export_missions
from missions.model import parse_mission_add, parse_outcome
from missions.service import CalloutConfig, CalloutService
from roster.repository import RosterRepository
from storage.db import Database
from tests.conftest import make_settings
from tests.factories import add_volunteer
from tests.unit.test_callout_service import LEADER, TODAY, FakeNotifier, start, team


@pytest.fixture
def service(db: Database) -> CalloutService:
    config = CalloutConfig(
        language="zh", escalate_minutes=10, tz=ZoneInfo("Asia/Shanghai"), mission_target=59
    )
    clock = FakeClock(datetime(2026, 8, 1, 2, 0, tzinfo=UTC))
    return CalloutService(db, RosterRepository(db), FakeNotifier(), clock, config)


def test_mission_add_reads_the_place_the_people_and_the_outcome() -> None:
    entry = parse_mission_add(
        [
            "flood",
            "2026-07-12",
            "6",
            "SD",
            "place=西湖区",
            "people=张三、李四",
            "outcome=转移3人",
            "rescued=3",
            "夜间",
        ]
    )
    assert (entry.place, entry.people, entry.outcome) == ("西湖区", ("张三", "李四"), "转移3人")
    assert entry.notes == "夜间" and entry.rescued == 3


def test_an_outcome_longer_than_a_line_is_refused() -> None:
    with pytest.raises(DomainError):
        parse_outcome(["outcome=" + "x" * 101])


async def test_a_mission_logged_afterwards_credits_its_people_with_its_hours(
    db: Database, service: CalloutService
) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
    await add_volunteer(db, "张三", phone="+8613700000001")
    await add_volunteer(db, "李四", phone="+8613700000002")
    await add_volunteer(db, "别队", team="HR", phone="+8613700000003")
    leader = await service.roster.actor(LEADER, "zh", "zh")
    entry = parse_mission_add(
        ["flood", "2026-07-12", "6", "SD", "place=西湖区", "people=张三,+8613700000002"]
    )
    logged = await service.add_mission(leader, entry)
    assert logged.participants == 2
    rows = await db.fetchall(
        "SELECT v.name, p.hours, p.counted_hours, p.recorded_by FROM mission_participants p "
        "JOIN volunteers v ON v.id = p.volunteer_id ORDER BY v.name"
    )
    assert [tuple(r) for r in rows] == [("张三", 6.0, 6.0, LEADER), ("李四", 6.0, 6.0, LEADER)]
    mission = await db.fetchone("SELECT location FROM missions WHERE id = ?", (logged.mission_id,))
    assert mission is not None and mission[0] == "西湖区"
    other = parse_mission_add(["flood", "2026-07-12", "6", "SD", "people=别队"])
    with pytest.raises(DomainError):
        await service.add_mission(leader, other)  # another team's volunteer
    with pytest.raises(DomainError):
        await service.add_mission(
            leader, parse_mission_add(["flood", "2026-07-12", "6", "SD", "people=谁"])
        )


async def test_close_writes_the_outcome_and_unanswered_pages_become_no_reply(
    db: Database, service: CalloutService
) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
    for n in (1, 2):
        await add_volunteer(
            db, f"队员{n}", telegram_id=n, skills=["mountain_search"], fitness_passed_on=TODAY
        )
    callout_id = await start(service)
    await service.tap(1, callout_id, "a", "zh")
    leader = await service.roster.actor(LEADER, "zh", "zh")
    closed = await service.close(leader, callout_id, 1, "送医", "已找到")
    await service.drain()
    row = await db.fetchone("SELECT outcome FROM missions WHERE id = ?", (closed.mission_id,))
    assert row is not None and row[0] == "已找到"
    states = await db.fetchall("SELECT state FROM responses ORDER BY volunteer_id")
    assert [r[0] for r in states] == ["available", "no_reply"]


CLOSED = "全员转移"
LOGGED = "转移3人, 含1名儿童"  # a comma: the CSV must quote it, not split it


async def two_missions_with_outcomes(db: Database, service: CalloutService) -> None:
    await team(db)
    leader = await service.roster.actor(LEADER, "zh", "zh")
    await service.add_mission(
        leader,
        parse_mission_add(["flood", "2026-05-10", "6", "SD", "outcome=" + LOGGED, "夜间"]),
    )
    await service.close(leader, await start(service), 1, "", CLOSED)


async def test_the_missions_export_has_an_outcome_column_that_reads_back_from_csv_and_xlsx(
    db: Database, service: CalloutService, tmp_path: Path
) -> None:
    await two_missions_with_outcomes(db, service)
    headers, rows = await export_missions(db, year=2026, tz=service.config.tz)
    column = headers.index("结果 outcome")
    assert [r[column] for r in rows] == [LOGGED, CLOSED]
    assert rows[0][headers.index("备注 notes")] == "夜间"  # the notes stay apart
    for name in ("missions.csv", "missions.xlsx"):
        path = tmp_path / name
        write_table(path, headers, rows, title="任务")
        if name.endswith(".csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                table = list(csv.reader(handle))
        else:
            sheet = load_workbook(path).active
            assert sheet is not None
            table = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert table[0][column] == "结果 outcome"
        assert [r[column] for r in table[1:]] == [LOGGED, CLOSED], name


async def test_the_missions_report_lists_each_missions_outcome_in_the_readers_language(
    db: Database, service: CalloutService
) -> None:
    await two_missions_with_outcomes(db, service)
    settings = make_settings(Path(db.path))
    for lang, sheet_name, header in (("zh", "任务清单", "结果"), ("en", "Missions", "Outcome")):
        rendered = await build_report(db, settings, "missions", 2026, lang)
        workbook = load_workbook(io.BytesIO(workbook_bytes(rendered.sheets)))
        table = list(workbook[sheet_name].iter_rows(values_only=True))
        column = table[0].index(header)
        assert [r[column] for r in table[1:]] == [LOGGED, CLOSED]
