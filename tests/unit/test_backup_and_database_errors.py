"""`rescuebot backup` never harms the live file or an older backup; a database that cannot
be used is named with what to do about it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import DatabaseUnavailable, open_database


def test_a_backup_onto_the_live_database_is_refused_and_the_database_survives(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    assert main(["grant", "coordinator", "7"]) == 0
    for target in (cli_db, Path(f"{cli_db}-wal"), cli_db.parent / "." / cli_db.name):
        capsys.readouterr()
        assert main(["backup", str(target), "--force"]) == 1
        assert "onto itself" in capsys.readouterr().err
    assert main(["revoke", "coordinator", "7"]) == 0
    assert "no longer a coordinator" in capsys.readouterr().out


def test_an_existing_backup_is_kept_unless_force_is_given(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["init"])
    target = tmp_path / "copy.db"
    target.write_bytes(b"last week's backup")
    assert main(["backup", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == b"last week's backup"
    assert main(["backup", str(target), "--force"]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM teams").fetchone()[0] == 6
    assert not list(tmp_path.glob("*.partial"))


async def test_a_file_that_is_not_a_database_is_named_and_its_thread_stopped(
    tmp_path: Path,
) -> None:
    import threading

    before = set(threading.enumerate())
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00not sqlite at all" * 300)
    with pytest.raises(DatabaseUnavailable) as caught:
        await open_database(garbage)
    assert caught.value.key == "error.db_not_a_database"
    assert caught.value.params["db"] == str(garbage)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)  # the worker ends just after close() returns
        assert not thread.is_alive()  # else the process could never exit


def test_sqlites_own_read_only_and_lock_errors_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).close()
    readonly = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as write:
        readonly.execute("CREATE TABLE t (x)")
    readonly.close()
    assert DatabaseUnavailable.of(str(path), write.value).key == "error.db_read_only"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("SELECT * FROM sqlite_master").fetchall()
    holder.close()
    other.close()
    assert DatabaseUnavailable.of(str(path), locked.value).key == "error.db_locked"


@pytest.mark.parametrize("year", ["10000", "²", "99999999999999999999999", "26"])
def test_a_year_out_of_range_on_the_command_line_is_named(
    cli_db: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    main(["init"])
    capsys.readouterr()
    for command in (["report", "missions"], ["export", "missions", "--out", "m.csv"]):
        assert main([*command, "--year", year]) == 1
        assert capsys.readouterr().err == f"“{year}” is not a year, e.g. 2026.\n"
