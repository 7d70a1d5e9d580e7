"""The import contracts that keep each domain off the others' tables name every repository and
query module there is: grimp's wildcards match whole module names only, so each contract lists
them, and this check fails when a new `*_repository` or `*_queries` module is not listed
(the command line's contract, which forbids every repository, likewise)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("roster", "training", "insurance", "missions", "reports")
# reports/ reads every domain by design: it is no source of these contracts.
SOURCES = ("roster", "training", "insurance", "missions")


def sql_modules(package: str) -> set[str]:
    return {
        f"{package}.{path.stem}"
        for path in (ROOT / package).glob("*.py")
        if path.stem in ("repository", "queries") or path.stem.endswith(("_repository", "_queries"))
    }


def contracts() -> list[dict[str, Any]]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = pyproject["tool"]["importlinter"]["contracts"]
    return found


def forbidden_for(source: str) -> set[str]:
    return {
        module
        for contract in contracts()
        if contract["type"] == "forbidden" and contract["source_modules"] == [source]
        for module in contract["forbidden_modules"]
    }


def test_each_domain_is_forbidden_every_other_domains_repositories_and_query_modules() -> None:
    missing = {
        source: sorted(
            set().union(*(sql_modules(other) for other in DOMAINS if other != source))
            - forbidden_for(source)
        )
        for source in SOURCES
    }
    assert missing == {source: [] for source in SOURCES}


FRONT_ENDS = ["bot.cli", "bot.handlers", "bot.context", "bot.errors"]


def forbidden_for_front_ends() -> set[str]:
    """The one contract that keeps the command line and the chat handlers off repositories."""
    [contract] = [
        c for c in contracts() if c["type"] == "forbidden" and "bot.cli" in c["source_modules"]
    ]
    assert contract["source_modules"] == FRONT_ENDS
    return set(contract["forbidden_modules"])


def test_the_command_line_and_the_chat_handlers_are_forbidden_every_repository() -> None:
    repositories = {
        module
        for package in DOMAINS
        for module in sql_modules(package)
        if module.endswith("repository")
    }
    assert repositories - forbidden_for_front_ends() == set()


def test_no_domain_is_forbidden_its_own_repositories() -> None:
    for source in SOURCES:
        assert not {m for m in forbidden_for(source) if m.startswith(f"{source}.")}


def test_every_forbidden_module_exists() -> None:
    named = set().union(*(forbidden_for(source) for source in SOURCES), forbidden_for_front_ends())
    assert named <= set().union(*(sql_modules(package) for package in DOMAINS))


def test_no_contract_has_exceptions() -> None:
    assert [c["name"] for c in contracts() if "ignore_imports" in c] == []
