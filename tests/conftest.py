"""Fixtures: each test gets its own database; end-to-end tests get the real bot
long-polling a local Bot API sandbox."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from common.settings import Settings, get_settings
from roster.repository import RosterRepository
from storage.db import Database, open_database

TEST_TOKEN = "123456:TEST-token-for-the-sandbox-only"

# Run first, longest first: the workers take tests in collection order, a few at a time
# (pyproject's addopts), so a long test never starts last while the others sit idle. The
# order is only about speed: a file missing here starts later, after the other end-to-end
# files and before the unit tests.
SLOW_FIRST = (
    "tests/test_code_quality.py",  # mypy on a cold cache: ~15 s of CPU
    # CPU-bound fuzzing (~5 s each alone): beside the end-to-end tests, which mostly wait.
    "tests/unit/test_import_fuzz.py",
    "tests/unit/test_parser_fuzz.py",
    "tests/e2e/test_incident.py",
    "tests/e2e/test_delivery_faults.py",
    "tests/e2e/test_kill_recovery.py",
    "tests/e2e/test_demo.py",
    "tests/e2e/test_startup_failures.py",
    "tests/e2e/test_dashboard_browser.py",
    "tests/e2e/test_log_privacy.py",
    "tests/e2e/test_callouts.py",
    "tests/e2e/test_webhook_answers.py",
    "tests/e2e/test_speed.py",
    "tests/e2e/test_run_process.py",
)


# Hypothesis: what a run tries depends on its seed alone (no example database), printed at
# the end so a failure is repeated with HYPOTHESIS_SEED=<seed>. The default run (CI, the
# README's command) uses a pinned seed, so main's verdict cannot change between two runs of
# one commit; HYPOTHESIS_SEED=random draws a new one, as HYPOTHESIS_PROFILE=deep (nightly:
# DEEP times the examples) does unless a seed is given.
DEEP = 10
PINNED_SEED = "20261202"
settings.register_profile(
    "ci",
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("deep", settings.get_profile("ci"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(count: int) -> int:
    """A generated test's number of examples: `count`, times DEEP in the deep profile."""
    return count * (DEEP if settings.get_current_profile_name() == "deep" else 1)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before hypothesis' own plugin reads its --hypothesis-seed. The environment carries the
    # seed to xdist's workers, which start after this and inherit it: one seed for the run.
    if config.getoption("hypothesis_seed", None) is None:
        deep = settings.get_current_profile_name() == "deep"
        seed = os.environ.get("HYPOTHESIS_SEED") or ("random" if deep else PINNED_SEED)
        if seed == "random":
            seed = str(random.randrange(2**32))
        os.environ["HYPOTHESIS_SEED"] = seed
        config.option.hypothesis_seed = seed


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    # At the end, where a failure is read (a header is hidden by -q).
    seed = config.getoption("hypothesis_seed", None)
    profile = settings.get_current_profile_name()
    terminalreporter.write_line(
        f"hypothesis: profile {profile}, seed {seed} (repeat with HYPOTHESIS_SEED={seed})"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        if path in SLOW_FIRST:
            return SLOW_FIRST.index(path)
        return len(SLOW_FIRST) + (0 if path.startswith("tests/e2e/") else 1)

    items.sort(key=rank)  # stable: each file keeps its own order


# Statements an import of a whole roster sends to the database, at most: reads of what is
# there, a few batched writes and the audit entry (16-18 for 263 people; a statement a row
# would be 263 and more).
IMPORT_TRIPS = 30


@dataclass
class Trips:
    count: int = 0  # statements
    rows: int = 0  # rows read


@pytest.fixture
def database_trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    """Statements sent to the database (a read, a write, or a batch: an executemany is one)
    and rows read, so a test can show work is batched, or reads only what it needs, without
    timing it."""
    from storage.unit_of_work import Transaction

    trips = Trips()
    calls = {
        Database: ("fetchall", "fetchone", "execute"),
        Transaction: ("fetchall", "fetchone", "execute", "executemany"),
    }

    def counting(original: Any) -> Any:
        async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            trips.count += 1
            result = await original(self, *args, **kwargs)
            if isinstance(result, list):
                trips.rows += len(result)
            elif isinstance(result, sqlite3.Row):
                trips.rows += 1
            return result

        return counted

    for kind, names in calls.items():
        for name in names:
            monkeypatch.setattr(kind, name, counting(getattr(kind, name)))
    return trips


def make_settings(
    db_path: Path, api_url: str = "http://127.0.0.1:9/bot", **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": api_url,
        "RESCUEBOT_DB": str(db_path),
        "RESCUEBOT_TIMEZONE": "Asia/Shanghai",
        "RESCUEBOT_LANGUAGE": "zh",
        # No web server unless a test asks for one (on a free port, 127.0.0.1).
        "RESCUEBOT_WEB_PORT": "0",
    }
    values.update(overrides)
    # _env_file=None: a developer's own .env must not leak into tests.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with teams and skills, built once per worker: each test gets a
    copy of the file (migrating takes about a tenth of a second, a copy a millisecond)."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"

    async def build() -> None:
        database = await open_database(path)
        try:
            await RosterRepository(database).seed_reference_data()
        finally:
            await database.close()  # the last connection closing folds the WAL in

    # In a thread of its own: no test's event loop is touched.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, build()).result()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def seeded_copy(template: Path, path: Path) -> Path:
    """`path`: a fresh copy of the seeded database, unless the test put a database there
    (which `open_database` then migrates and the fixture seeds, as before)."""
    if not path.exists():
        shutil.copyfile(template, path)
    return path


@pytest.fixture
async def db(tmp_path: Path, seeded_template: Path) -> AsyncIterator[Database]:
    database = await open_database(seeded_copy(seeded_template, tmp_path / "test.db"))
    await RosterRepository(database).seed_reference_data()  # a no-op on the copy
    yield database
    await database.close()


@dataclass
class BotHarness:
    """The running bot, its sandbox and its database (a second connection)."""

    sandbox: Any
    app: Any
    db: Database
    settings: Settings


def lift_chat_pace(monkeypatch: pytest.MonkeyPatch, *, sandbox_too: bool = False) -> None:
    """The bot's per-chat pace lifted (with `sandbox_too`, the sandbox's per-chat limits
    as well): for suites that check what is said, not when. The pace has its own tests
    (tests/unit/test_pacer.py, tests/sandbox/test_sandbox_strict_limits.py) and the
    suites against a rate-limited sandbox (fan-out, faults, speed) keep it."""
    from bot import ratelimit

    monkeypatch.setattr(ratelimit, "CHAT_BURST", 1_000_000)
    monkeypatch.setattr(ratelimit, "GROUP_MESSAGES_PER_MINUTE", 1_000_000)
    if sandbox_too:
        from sandbox import server

        monkeypatch.setattr(server, "CHAT_BURST", 1_000_000)
        monkeypatch.setattr(server, "GROUP_PER_MINUTE", 1_000_000)


@pytest.fixture
async def sandbox(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """Telegram without its flood limits, and a bot that does not pace each chat for them."""
    from sandbox.server import BotApiSandbox

    lift_chat_pace(monkeypatch)

    box = BotApiSandbox()
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
def bot_settings(tmp_path: Path, sandbox: Any) -> Settings:
    return make_settings(tmp_path / "bot.db", sandbox.api_url)


@pytest.fixture
async def seeded_db(bot_settings: Settings, seeded_template: Path) -> AsyncIterator[Database]:
    """The bot's database, open before the bot starts, for arranging test data."""
    database = await open_database(seeded_copy(seeded_template, Path(bot_settings.db_path)))
    await RosterRepository(database).seed_reference_data()  # a no-op on the copy
    yield database
    await database.close()


@pytest.fixture
async def bot(
    sandbox: Any, bot_settings: Settings, seeded_db: Database
) -> AsyncIterator[BotHarness]:
    from bot.app import running_bot

    async with running_bot(bot_settings, poll_timeout=1) as app:
        yield BotHarness(sandbox=sandbox, app=app, db=seeded_db, settings=bot_settings)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For `bot.cli.main(...)` in-process: its own database, English, no developer .env."""
    path = tmp_path / "cli.db"
    monkeypatch.setenv("RESCUEBOT_DB", str(path))
    monkeypatch.setenv("RESCUEBOT_LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()
