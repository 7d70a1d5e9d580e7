"""The file imports and exports, by kind, shared by the command line and the chat.

Each importer: `async def (db, content: bytes, filename: str, *, actor: int | None,
team_scope: str | None) -> ImportReport` — all or nothing; `team_scope` limits
a leader to rows of their own team (a row of another team is a row error).
Each exporter: `async def (db, *, year: int | None, tz) -> tuple[list[str], list[list]]`
(headers, rows) written to CSV or XLSX by the caller.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from common.errors import DomainError
from common.tabular import ImportReport

Importer = Callable[..., Awaitable[ImportReport]]
Exporter = Callable[..., Awaitable[tuple[list[str], list[list[Any]]]]]

IMPORTERS: dict[str, str] = {
    "roster": "roster.importer:import_roster",
    "insurance": "insurance.importer:import_insurance",
    "training": "training.importer:import_training",
    "fitness": "training.fitness_import:import_fitness",
}

EXPORTERS: dict[str, str] = {
    "roster": "roster.exporter:export_roster",
    "missions": "missions.exporter:export_missions",
    "training": "training.exporter:export_training",
    "insurance": "insurance.exporter:export_insurance",
    "hours": "missions.hours_export:export_hours",
}


def _resolve(table: dict[str, str], kind: str, error_key: str) -> Any:
    target = table.get(kind)
    if target is None:
        raise DomainError(error_key, kind=kind, kinds="|".join(table))
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise DomainError("error.not_available", kind=kind) from exc


def importer(kind: str) -> Importer:
    found: Importer = _resolve(IMPORTERS, kind, "error.import_kind")
    return found


def exporter(kind: str) -> Exporter:
    found: Exporter = _resolve(EXPORTERS, kind, "error.export_kind")
    return found
