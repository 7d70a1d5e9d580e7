"""The command line's sub-commands and their choices come from the registries."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import COMMANDS, _parser, main
from bot.importers import EXPORTERS, IMPORTERS
from common.settings import get_settings
from reports.model import KINDS


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _choices(parser: argparse.ArgumentParser, dest: str) -> tuple[str, ...]:
    return tuple(next(a for a in parser._actions if a.dest == dest).choices or ())


def test_every_sub_command_has_a_function_and_every_function_a_sub_command() -> None:
    assert set(_subparsers()) == set(COMMANDS)


def test_import_and_export_offer_exactly_the_registered_kinds() -> None:
    parsers = _subparsers()
    assert _choices(parsers["import"], "kind") == tuple(IMPORTERS)
    assert _choices(parsers["export"], "kind") == tuple(EXPORTERS)


def test_report_offers_exactly_the_kinds_the_reports_know() -> None:
    assert _choices(_subparsers()["report"], "kind") == KINDS


@pytest.mark.parametrize(("lang", "said"), [("zh", "配置错误："), ("en", "configuration error: ")])
def test_a_bad_setting_is_reported_in_the_language_the_environment_names(
    cli_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    said: str,
) -> None:
    monkeypatch.setenv("RESCUEBOT_LANGUAGE", lang)
    monkeypatch.setenv("RESCUEBOT_TIMEZONE", "Nowhere/Town")
    get_settings.cache_clear()
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and "RESCUEBOT_TIMEZONE" in err
