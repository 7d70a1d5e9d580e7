"""`rescuebot --help` speaks the configured language, and its choices come from the registries."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from common.settings import get_settings


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_the_command_line_help_is_in_english_when_the_bot_speaks_english(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _help(["--help"], capsys)
    assert "Rescue-team callout bot" in out
    assert "create or migrate the database" in out


def test_the_command_line_help_is_in_chinese_when_the_bot_speaks_chinese(
    cli_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESCUEBOT_LANGUAGE", "zh")
    get_settings.cache_clear()
    out = _help(["import", "--help"], capsys)
    assert "导入什么" in out
    assert "{roster,insurance,training,fitness}" in out


def test_the_export_choices_are_the_registered_exporters(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _help(["export", "--help"], capsys)
    assert "{roster,missions,training,insurance,hours}" in out
