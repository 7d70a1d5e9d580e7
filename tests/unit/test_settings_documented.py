"""Every setting is documented where an operator looks for it, with its real default:
`.env.example` and the README's Configuration table, so neither drifts from
`common/settings.py`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from common.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# Read by the command line from the environment alone, so not a field of Settings.
ENVIRONMENT_ONLY = ("RESCUEBOT_LOG_LEVEL",)
# .env.example shows a value to replace here, not the default (there is none).
PLACEHOLDERS = ("TELEGRAM_BOT_TOKEN",)


def _fields() -> dict[str, str]:
    """Variable name → Settings field."""
    return {f.alias: name for name, f in Settings.model_fields.items() if f.alias is not None}


def _default(alias: str) -> Any:
    return Settings.model_fields[_fields()[alias]].default


def _as_read(values: dict[str, str]) -> dict[str, Any]:
    """The values as the bot reads them (model_validate reads no environment and no .env)."""
    settings = Settings.model_validate(values)
    return {alias: getattr(settings, _fields()[alias]) for alias in values}


def _example() -> tuple[dict[str, str], set[str]]:
    """.env.example's set values, and every variable it names (commented-out ones too)."""
    values: dict[str, str] = {}
    named: set[str] = set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]+)=(.*)", line.strip())
        if match:
            named.add(match[2])
            if not match[1]:
                values[match[2]] = match[3]
    return values, named


def _configuration_table() -> dict[str, str]:
    """The README's Configuration table: variable → its default column."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|", section, re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_env_example_names_every_setting_and_nothing_else() -> None:
    _, named = _example()
    assert sorted(set(_fields()) | set(ENVIRONMENT_ONLY)) == sorted(named)


def test_env_example_shows_each_setting_at_its_default() -> None:
    values, named = _example()
    shown = {k: v for k, v in values.items() if k not in PLACEHOLDERS}
    assert _as_read(shown) == {alias: _default(alias) for alias in shown}
    commented_out = named - set(values) - set(ENVIRONMENT_ONLY)
    assert all(_default(alias) is None for alias in commented_out), commented_out


def test_the_readme_configuration_table_lists_every_setting_and_nothing_else() -> None:
    assert sorted(set(_fields()) | set(ENVIRONMENT_ONLY)) == sorted(_configuration_table())


def test_the_readme_configuration_table_gives_each_setting_its_real_default() -> None:
    table = {k: v for k, v in _configuration_table().items() if k not in ENVIRONMENT_ONLY}
    unset = {alias for alias, default in table.items() if default.startswith("—")}
    assert all(_default(alias) is None for alias in unset), unset
    shown = {k: v.strip("`") for k, v in table.items() if k not in unset}
    assert all(re.fullmatch(r"`[^`]+`", table[k]) for k in shown), shown
    assert _as_read(shown) == {alias: _default(alias) for alias in shown}


def test_the_environment_only_variables_are_read_by_the_command_line_and_not_settings() -> None:
    cli = (ROOT / "bot" / "cli.py").read_text(encoding="utf-8")
    for name in ENVIRONMENT_ONLY:
        assert name not in _fields()
        assert f'os.environ.get("{name}"' in cli
