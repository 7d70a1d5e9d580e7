"""A whole roster through the import: the demo roster (263 volunteers, 6 teams) exported to
CSV and XLSX, then imported into an empty database (every person new) and into the one it
came from (every person unchanged). Prints each run and the median of `--runs`, and the
ratio to the 1 s target; the tests assert what keeps it fast (the file parsed in a worker
thread, a few batched statements), not the time.

    python -m benchmarks.imports [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from common.tabular import write_table
from roster.demo import seed_roster
from roster.exporter import export_roster
from roster.importer import import_roster
from roster.repository import RosterRepository
from storage.db import Database, open_database

TARGET = 1.0  # seconds for a whole roster


async def _timed(db: Database, path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    report = await import_roster(db, path.read_bytes(), path.name, actor=None, team_scope=None)
    took = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    return took, f"{report.created} new, {report.unchanged} unchanged"


async def _run(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        source = await open_database(directory / "source.db")
        await seed_roster(source, random.Random(59), date.today())
        headers, rows = await export_roster(source, year=None, tz=ZoneInfo("Asia/Shanghai"))
        for suffix in (".csv", ".xlsx"):
            path = directory / f"roster{suffix}"
            write_table(path, headers, rows)
            for into in ("empty", "same"):
                times, outcome = [], ""
                for run in range(runs):
                    db = source
                    if into == "empty":
                        db = await open_database(directory / f"empty{suffix}{run}.db")
                        await RosterRepository(db).seed_reference_data()
                    took, outcome = await _timed(db, path)
                    times.append(took)
                    if db is not source:
                        await db.close()
                median = statistics.median(times)
                each = " ".join(f"{t * 1000:.0f}" for t in times)
                ratio = f"{median / TARGET:.2f}× the {TARGET:g} s target"
                print(
                    f"{suffix[1:]} into the {into} database ({outcome}): runs {each} ms, "
                    f"median {median * 1000:.0f} ms ({ratio})"
                )
        await source.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(_run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
