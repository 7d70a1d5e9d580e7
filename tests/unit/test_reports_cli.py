"""`rescuebot report KIND [--year Y]` prints the chat's text summary."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from common.settings import get_settings
from storage.db import open_database


@pytest.fixture
def report_db(cli_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESCUEBOT_MISSION_TARGET", "40")
    get_settings.cache_clear()
    return cli_db


async def _add_missions(path: Path) -> None:
    db = await open_database(path)
    try:
        for started, kind in (
            ("2026-03-05T02:00:00+00:00", "mountain"),
            ("2026-07-12T01:00:00+00:00", "flood"),
            ("2026-12-31T20:00:00+00:00", "flood"),  # 2027 in Shanghai
        ):
            await db.execute(
                "INSERT INTO missions (type, teams, started_at, ended_at, rescued) "
                "VALUES (?,?,?,?,1)",
                (kind, '["SD"]', started, started),
            )
    finally:
        await db.close()


def test_the_missions_report_of_a_year_is_printed_against_the_target(
    report_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    asyncio.run(_add_missions(report_db))
    capsys.readouterr()
    assert main(["report", "missions", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Missions 2026 — all teams" in out
    assert "Missions: 2 / 40" in out
    assert "mountain search 1, flood rescue 1" in out
    assert "SD 山地公益救援中心: 2 missions" in out


@pytest.mark.parametrize("kind", ["training", "insurance", "roster", "readiness"])
def test_every_other_report_prints_for_an_empty_database(
    kind: str, report_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["report", kind]) == 0
    out = capsys.readouterr().out
    assert "all teams" in out and "HR 宏瑞水上应急救援中心" in out


def test_a_bad_year_is_refused_with_the_right_form(
    report_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    assert main(["report", "missions", "--year", "26"]) == 1
    assert "“26” is not a year, e.g. 2026." in capsys.readouterr().err
