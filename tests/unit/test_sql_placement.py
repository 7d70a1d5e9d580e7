"""SQL lives in repositories and in query modules named as such, not in the modules that
lay out a command's output, an export or a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Modules that once ran SQL themselves and now read through a query module.
WITHOUT_SQL = [
    "bot/cli.py",
    "bot/demo.py",
    "bot/seeding.py",
    "bot/reporting.py",
    "roster/exporter.py",
    "training/exporter.py",
    "insurance/exporter.py",
    "insurance/reminders.py",
    "missions/demo.py",
    "missions/exporter.py",
    "missions/hours_export.py",
    "missions/updates.py",
    "roster/people_index.py",
    "dashboard/page.py",
    "dashboard/board.py",
    "reports/model.py",
    "reports/render.py",
]

_SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^\n]*\b(FROM|INTO|SET)\b|\.(fetchall|fetchone|execute)\("
)


def sql_in(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if _SQL.search(line)]


@pytest.mark.parametrize("path", WITHOUT_SQL)
def test_a_module_that_lays_out_output_runs_no_sql(path: str) -> None:
    assert sql_in((ROOT / path).read_text(encoding="utf-8")) == []


def test_the_sql_check_finds_a_planted_query() -> None:
    planted = 'rows = await db.fetchall("SELECT name FROM volunteers")\n'
    assert sql_in(planted) == [planted.strip()]
