"""Storage stays behind repositories: in the domain packages only the kinds of modules named
in `ALLOWED` import `storage` (the database, its transactions, the unit of work). Everything
else — models, rules, renderers, planners — gets what it needs from a repository, a service
or a port passed in. The syntax tree is read, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Callable, Iterable
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


def found_in(root: Path, paths: Iterable[Path], check: Callable[[ast.AST], list[int]]) -> list[str]:
    """`path:line` of each line `check` finds in the syntax tree of each file."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(root)}:{line}" for line in check(tree)]
    return found


def violations(root: Path) -> list[str]:
    paths = [
        path
        for package in DOMAIN
        for path in sorted((root / package).rglob("*.py"))
        if not any(fnmatch.fnmatchcase(path.stem, pattern) for pattern in ALLOWED)
    ]
    return found_in(root, paths, imports_storage)


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
    packages = (*DOMAIN, "storage", "bot", "dashboard")
    paths = [path for package in packages for path in sorted((root / package).rglob("*.py"))]
    return found_in(root, paths, untyped_connections)


def test_every_connection_or_transaction_parameter_has_its_storage_type() -> None:
    assert _untyped_connections_in(ROOT) == []


def test_the_check_fails_on_a_connection_typed_any() -> None:
    tree = ast.parse("async def add(conn: Any, tx: Transaction, n: Any) -> None: ...")
    assert untyped_connections(tree) == [1]


# Outside storage/ the database is written through a unit of work (`UnitOfWork`, whose
# `Transaction` is typed) or the documented one-trip helper (`Database.run_transaction`):
# nothing opens `Database.transaction()` itself, writes audit entries with a raw connection
# (`audit_in`, gone), or imports aiosqlite — tests and benchmarks included.
RAW_STORAGE_NAMES = ("audit_in",)


def _is_aiosqlite(name: str) -> bool:
    return name == "aiosqlite" or name.startswith("aiosqlite.")


def raw_storage_uses(tree: ast.AST) -> list[int]:
    """Lines calling `.transaction()`, naming `audit_in`, or importing aiosqlite."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            hit = isinstance(node.func, ast.Attribute) and node.func.attr == "transaction"
        elif isinstance(node, ast.Import):
            hit = any(_is_aiosqlite(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            hit = _is_aiosqlite(node.module or "") or any(
                alias.name in RAW_STORAGE_NAMES for alias in node.names
            )
        elif isinstance(node, ast.Name):
            hit = node.id in RAW_STORAGE_NAMES
        elif isinstance(node, ast.Attribute):
            hit = node.attr in RAW_STORAGE_NAMES
        else:
            continue
        if hit:
            found.append(node.lineno)
    return sorted(set(found))


def _outside_storage(root: Path, path: Path) -> bool:
    parts = path.relative_to(root).parts
    return parts[0] != "storage" and not any(part.startswith(".") for part in parts)


def _raw_storage_uses_in(root: Path) -> list[str]:
    paths = [path for path in sorted(root.rglob("*.py")) if _outside_storage(root, path)]
    return found_in(root, paths, raw_storage_uses)


def test_outside_storage_writes_go_through_a_unit_of_work_and_nothing_imports_aiosqlite() -> None:
    assert _raw_storage_uses_in(ROOT) == []


def test_the_raw_storage_check_fails_on_planted_uses(tmp_path: Path) -> None:
    (tmp_path / "missions").mkdir()
    (tmp_path / "missions" / "repository.py").write_text(
        "from storage.db import audit_in\n"
        "async def f(db):\n"
        "    async with db.transaction() as conn:\n"
        "        await audit_in(conn, None, 'x')\n"
    )
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "seed.py").write_text("import aiosqlite\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "factories.py").write_text("from aiosqlite import Connection\n")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "db.py").write_text("import aiosqlite\ndb.transaction()\n")
    assert _raw_storage_uses_in(tmp_path) == [
        "benchmarks/seed.py:1",
        "missions/repository.py:1",
        "missions/repository.py:3",
        "missions/repository.py:4",
        "tests/factories.py:1",
    ]
