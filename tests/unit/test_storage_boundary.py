"""Storage stays behind repositories: in the domain packages only the kinds of modules named
in `ALLOWED` import `storage` (the database, its transactions, the unit of work). Everything
else — models, rules, renderers, planners — gets what it needs from a repository, a service
or a port passed in. The syntax tree is read, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ("roster", "training", "insurance", "missions", "reports")
# Module names (without .py) that may import storage, and why.
ALLOWED = (
    # Repositories: the SQL, and `…Records(tx)` classes bound to a unit of work.
    "repository",
    "*_repository",
    # Read-only query modules (reports, exports) named as such.
    "queries",
    "*_queries",
    # Services: the use cases, each opening a unit of work or building its repositories.
    "service",
    "*_service",
    "service_core",
    # Importers: one unit of work per file.
    "importer",
    "*_import",
    # Exporters: entry points of the export registry, handed the database to read through.
    "exporter",
    "*_export",
    # Demo seeders: one transaction of made-up data.
    "demo",
)


def imports_storage(tree: ast.AST) -> list[int]:
    """Lines importing `storage` or anything in it."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "storage" or name.startswith("storage.") for name in names):
            found.append(node.lineno)
    return found


def violations(root: Path) -> list[str]:
    found = []
    for package in DOMAIN:
        for path in sorted((root / package).rglob("*.py")):
            if any(fnmatch.fnmatchcase(path.stem, pattern) for pattern in ALLOWED):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(root)}:{line}" for line in imports_storage(tree)]
    return found


def test_in_the_domain_only_repositories_queries_and_unit_of_work_users_import_storage() -> None:
    assert violations(ROOT) == []


def test_the_check_fails_on_a_rule_module_that_imports_storage(tmp_path: Path) -> None:
    (tmp_path / "roster").mkdir()
    (tmp_path / "roster" / "model.py").write_text("from storage.db import Database\n")
    (tmp_path / "roster" / "repository.py").write_text("from storage.db import Database\n")
    (tmp_path / "missions").mkdir()
    (tmp_path / "missions" / "planner.py").write_text("def f():\n    import storage.unit_of_work\n")
    assert violations(tmp_path) == ["roster/model.py:1", "missions/planner.py:2"]


def untyped_connections(tree: ast.AST) -> list[int]:
    """Lines of functions' parameters named `conn` or `tx` annotated `Any` or not at all
    (a lambda's are typed by the `Callable` it is passed as)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            if arg.arg not in ("conn", "tx"):
                continue
            if arg.annotation is None or ast.unparse(arg.annotation) in ("Any", "typing.Any"):
                found.append(arg.lineno)
    return found


def _untyped_connections_in(root: Path) -> list[str]:
    found = []
    for package in (*DOMAIN, "storage", "bot", "dashboard"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(root)}:{line}" for line in untyped_connections(tree)]
    return found


def test_every_connection_or_transaction_parameter_has_its_storage_type() -> None:
    assert _untyped_connections_in(ROOT) == []


def test_the_check_fails_on_a_connection_typed_any() -> None:
    tree = ast.parse("async def add(conn: Any, tx: Transaction, n: Any) -> None: ...")
    assert untyped_connections(tree) == [1]
