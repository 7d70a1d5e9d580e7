"""The `rescuebot` command line, called in-process with its own database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from common.settings import get_settings


def test_init_creates_the_database_with_the_six_teams(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "is ready" in out
    for name in (
        "宏瑞水上应急救援中心",
        "蓝天公益救援中心",
        "民安公益救援中心",
        "汽车摩托车游艇运动协会",
        "叁叁零公益救援中心",
        "山地公益救援中心",
    ):
        assert name in out


def test_init_twice_is_harmless(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert main(["init"]) == 0


def test_a_coordinator_is_granted_and_revoked(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    assert main(["grant", "coordinator", "424242", "--name", "值班员"]) == 0
    assert "424242 is now a coordinator" in capsys.readouterr().out
    assert main(["revoke", "coordinator", "424242"]) == 0
    assert "no longer a coordinator" in capsys.readouterr().out
    assert main(["revoke", "coordinator", "424242"]) == 0
    assert "was not a coordinator" in capsys.readouterr().out


def test_backup_copies_the_database(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    main(["grant", "coordinator", "7"])
    target = tmp_path / "backups" / "copy.db"
    assert main(["backup", str(target)]) == 0
    assert target.stat().st_size > 0


def test_backup_of_a_missing_database_says_so(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "copy.db")]) == 1
    assert "no database file" in capsys.readouterr().err


def test_importing_a_missing_file_says_which(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "roster", "nowhere.csv"]) == 1
    assert "nowhere.csv" in capsys.readouterr().err


def test_export_to_an_unknown_format_is_refused(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    assert main(["export", "roster", "--out", "roster.pdf"]) == 1
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_a_bad_setting_is_reported_with_the_variable(
    cli_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RESCUEBOT_TIMEZONE", "Nowhere/Town")
    get_settings.cache_clear()
    assert main(["init"]) == 2
    assert "RESCUEBOT_TIMEZONE" in capsys.readouterr().err
