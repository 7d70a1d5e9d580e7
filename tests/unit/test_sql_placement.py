"""SQL lives in repositories and in query modules named as such (`repository.py`,
`*_repository.py`, `queries.py`, `*_queries.py`) and in `storage/`; every other module of the
tree (the CLI, handlers, exports, renderers, services, pages) reads through one of them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Folders that are not the application's modules, or are its database layer.
NOT_SCANNED = {"storage", "tests", "benchmarks"}

_SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b.*\b(FROM|INTO|SET)\b"
    r"|\bCREATE\s+(TABLE|INDEX|VIEW|TRIGGER)\b",
    re.DOTALL,
)
# A statement handed to the database, whatever its text looks like.
_QUERY_CALLS = {"fetchall", "fetchone", "execute", "executemany"}


def holds_sql(path: Path) -> bool:
    name = path.name
    return name in ("repository.py", "queries.py") or path.stem.endswith(
        ("_repository", "_queries")
    )


def scanned_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_SCANNED or any(part.startswith(".") for part in parts):
            continue
        if not holds_sql(path):
            yield path


def _text_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts, placeholders as {}
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def sql_in(source: str) -> list[str]:
    """SQL in the string literals of `source`, and calls that hand a statement to the
    database, each as `line: excerpt`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        text = _text_of(node)
        if text is not None and _SQL.search(text):
            found.append(f"{node.lineno}: {text[:60]}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _QUERY_CALLS
        ):
            found.append(f"{node.lineno}: .{node.func.attr}(")
    return found


def test_no_module_outside_repositories_query_modules_and_storage_holds_sql() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in scanned_modules()
        if (found := sql_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_scan_covers_every_package_of_the_application() -> None:
    scanned = {path.relative_to(ROOT).parts[0] for path in scanned_modules()}
    for package in ("bot", "dashboard", "missions", "roster", "training", "insurance", "common"):
        assert package in scanned


def test_the_sql_check_finds_a_planted_query() -> None:
    planted = 'rows = await db.fetchall("SELECT name FROM volunteers")\n'
    assert sorted(sql_in(planted)) == ["1: .fetchall(", "1: SELECT name FROM volunteers"]


def test_the_sql_check_finds_a_query_split_over_an_f_string() -> None:
    planted = 'sql = ("SELECT id, name " f"FROM volunteers{scope} ORDER BY id")\n'
    assert "1: SELECT id, name FROM volunteers{} ORDER BY id" in sql_in(planted)


def test_words_that_merely_look_like_sql_in_prose_are_not_flagged() -> None:
    assert sql_in('text = "select a team from the list"\n') == []


def test_a_statement_passed_by_name_is_still_found() -> None:
    assert sql_in("await tx.execute(STATEMENT, params)\n") == ["1: .execute("]
