"""Fixtures: each test gets its own database; end-to-end tests get the real bot
long-polling a local Bot API sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from common.settings import Settings, get_settings
from roster.repository import RosterRepository
from storage.db import Database, open_database

TEST_TOKEN = "123456:TEST-token-for-the-sandbox-only"


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


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "test.db")
    await RosterRepository(database).seed_reference_data()
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
async def seeded_db(bot_settings: Settings) -> AsyncIterator[Database]:
    """The bot's database, open before the bot starts, for arranging test data."""
    database = await open_database(bot_settings.db_path)
    await RosterRepository(database).seed_reference_data()
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
