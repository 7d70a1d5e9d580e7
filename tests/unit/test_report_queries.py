"""Reports read only the rows they need: filtered by team and by relevance in SQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.handlers import reports as report_handlers
from insurance.model import insurance_status
from insurance.repository import InsuranceRepository
from reports import queries
from storage.db import Database
from tests.factories import add_volunteer

DAY = date(2026, 6, 1)


async def _policy(db: Database, volunteer: int, number: str, start: date, end: date) -> None:
    await db.execute(
        "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, start_date, "
        "end_date) VALUES (?,?,?,?,?,?)",
        (volunteer, "平安", number, 1, start.isoformat(), end.isoformat()),
    )


async def test_only_the_policies_that_decide_todays_status_are_read(db: Database) -> None:
    history = await add_volunteer(db, "十年老队员", insured_until=None)
    for year in range(2016, 2027):
        await _policy(db, history, f"Y{year}", date(year, 1, 1), date(year, 12, 31))
    await _policy(db, history, "NEXT", date(2027, 1, 1), date(2027, 12, 31))
    lapsed = await add_volunteer(db, "已过期", insured_until=None)
    for year in range(2020, 2025):
        await _policy(db, lapsed, f"L{year}", date(year, 1, 1), date(year, 12, 31))
    never = await add_volunteer(db, "未来保单", insured_until=None)
    await _policy(db, never, "LATER", DAY + timedelta(days=10), DAY + timedelta(days=400))

    relevant = await queries.load_policies(db, DAY)
    everything = await InsuranceRepository(db).policies_by_volunteer()
    # The latest that ended, the one running and the next: not the nine years before.
    assert [p.policy_no for p in relevant[history]] == ["Y2025", "Y2026", "NEXT"]
    assert [p.policy_no for p in relevant[lapsed]] == ["L2024"]
    assert [p.policy_no for p in relevant[never]] == ["LATER"]
    for volunteer in (history, lapsed, never):
        for day in (DAY, DAY + timedelta(days=200)):
            subset = await queries.load_policies(db, day)
            assert insurance_status(subset.get(volunteer, []), day) == insurance_status(
                everything[volunteer], day
            )


async def test_a_teams_report_reads_only_that_teams_volunteers(db: Database) -> None:
    sd = await add_volunteer(db, "山地队员", team="SD")
    hr = await add_volunteer(db, "宏瑞队员", team="HR")
    basics = await queries.load_basics(db, "SD")
    assert [p.id for p in basics.people] == [sd]
    assert {p.id for p in (await queries.load_basics(db)).people} == {sd, hr}
    assert set(await queries.load_policies(db, DAY, "HR")) == {hr}


async def test_start_up_loads_the_report_libraries_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = threading.Event()
    threads: list[threading.Thread] = []

    def fake_warm_up() -> None:
        threads.append(threading.current_thread())
        ran.set()

    monkeypatch.setattr(report_handlers, "warm_up", fake_warm_up)
    await report_handlers.on_startup(None)
    assert await asyncio.to_thread(ran.wait, 10)
    assert threads[0] is not threading.main_thread()


def test_a_text_report_on_the_command_line_never_loads_matplotlib(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "assert main(['init']) == 0\n"
        "assert main(['report', 'missions']) == 0\n"
        "assert main(['report', 'training']) == 0\n"
        "print('matplotlib' in sys.modules)\n"
    )
    env = {**os.environ, "RESCUEBOT_DB": str(tmp_path / "r.db"), "RESCUEBOT_LANGUAGE": "en"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
