"""The file imports and exports, by kind, shared by the command line and the chat.

`IMPORTERS` gives the CLI's `import` choices and the kinds a chat `/import <kind>` caption
accepts; `EXPORTERS` the CLI's `export` choices. Each entry is checked against its Protocol
by mypy, and a module that fails to import fails loudly at start-up, not on first use.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from common.errors import DomainError
from common.tabular import ImportReport
from insurance.exporter import export_insurance
from insurance.importer import import_insurance
from missions.exporter import export_missions
from missions.hours_export import export_hours
from roster.exporter import export_roster
from roster.importer import import_roster
from storage.db import Database
from training.exporter import export_training
from training.fitness_import import import_fitness
from training.importer import import_training


class Importer(Protocol):
    """All or nothing; `team_scope` limits a leader to rows of their own team (a row of
    another team is a row error). `today` (the bot's clock; else the bureau's calendar
    day) is the latest date a record of what happened may carry."""

    async def __call__(
        self,
        db: Database,
        content: bytes,
        filename: str,
        *,
        actor: int | None,
        team_scope: str | None,
        today: date | None = None,
    ) -> ImportReport: ...


class Exporter(Protocol):
    """(headers, rows), written to CSV or XLSX by the caller."""

    async def __call__(
        self, db: Database, *, year: int | None, tz: ZoneInfo
    ) -> tuple[list[str], list[list[Any]]]: ...


IMPORTERS: dict[str, Importer] = {
    "roster": import_roster,
    "insurance": import_insurance,
    "training": import_training,
    "fitness": import_fitness,
}

EXPORTERS: dict[str, Exporter] = {
    "roster": export_roster,
    "missions": export_missions,
    "training": export_training,
    "insurance": export_insurance,
    "hours": export_hours,
}


def importer(kind: str) -> Importer:
    found = IMPORTERS.get(kind)
    if found is None:
        raise DomainError("error.import_kind", kind=kind, kinds="|".join(IMPORTERS))
    return found


def exporter(kind: str) -> Exporter:
    found = EXPORTERS.get(kind)
    if found is None:
        raise DomainError("error.export_kind", kind=kind, kinds="|".join(EXPORTERS))
    return found
