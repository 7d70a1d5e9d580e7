"""Fatal start-up errors: every `rescuebot` command, run as its own process, exits with one
clear line and a non-zero code; never a traceback, a hang or the token."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.conftest import TEST_TOKEN
from tests.e2e.test_run_process import _rescuebot

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# A token of the real shape, so only the server (or the network) can refuse it.
REAL_SHAPED_TOKEN = "987654321:AAHx-realistic-looking-token_0123456789"
COMMANDS: list[list[str]] = [
    ["init"],
    ["import", "roster", str(SAMPLES / "roster.csv")],
    ["run"],
    ["grant", "coordinator", "5"],
    ["report", "missions"],
    ["export", "roster", "--out", "out.csv"],
    ["backup", "copy.db"],
]
# Not a time limit (nothing here is timed): only how long to wait before calling it a hang.
# Generous, because locks are waited for 5 s and four processes starting at once on two
# loaded cores took over 10 s to get that far.
DEADLINE = 30.0
# Root writes to read-only files through CAP_DAC_OVERRIDE (and CI runs as root). Dropped
# from the bounding set, the rescuebot process never holds it, so it meets the file's
# permissions as the bot's own user would in production.
HONOUR_PERMISSIONS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESCUEBOT_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_URL="http://127.0.0.1:9/bot",
        RESCUEBOT_DB=str(db),
        RESCUEBOT_LANGUAGE="en",
        RESCUEBOT_STARTUP_RETRY_SECONDS="0",
    )
    env.update(extra)
    return env


async def _outcome(
    args: list[str], env: dict[str, str], cwd: Path, wrapper: list[str] | None = None
) -> tuple[int, str]:
    if wrapper:
        process = await asyncio.create_subprocess_exec(
            *wrapper, sys.executable, "-m", "bot.cli", *args, env=env, cwd=cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
    else:
        process = await _rescuebot(*args, env=env, cwd=cwd)
    try:
        out, err = await asyncio.wait_for(process.communicate(), DEADLINE)
    except TimeoutError:
        process.kill()
        await process.communicate()
        raise AssertionError(f"rescuebot {' '.join(args)} hung") from None
    assert process.returncode is not None
    return process.returncode, (out + err).decode()


def _assert_one_clear_line(args: list[str], code: int, output: str, *words: str) -> None:
    command = " ".join(args)
    assert code != 0, f"{command}: exit 0\n{output}"
    assert "Traceback" not in output, f"{command}:\n{output}"
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, f"{command}: {len(lines)} lines\n{output}"
    for word in words:
        assert word in lines[0], f"{command}: {lines[0]!r} lacks {word!r}"


async def test_a_garbage_database_file_stops_every_command_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "garbage.db"
    db.write_bytes(os.urandom(5000))
    results = await asyncio.gather(*(_outcome(a, _env(db), tmp_path) for a in COMMANDS))
    for args, (code, output) in zip(COMMANDS, results, strict=True):
        _assert_one_clear_line(args, code, output, "not an SQLite database", str(db))


async def test_a_database_another_process_holds_exclusively_stops_writers_within_seconds(
    tmp_path: Path,
) -> None:
    db = tmp_path / "locked.db"
    code, output = await _outcome(["init"], _env(db), tmp_path)
    assert code == 0, output
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        writers = [a for a in COMMANDS if a[0] in ("init", "import", "run", "grant")]
        results = await asyncio.gather(*(_outcome(a, _env(db), tmp_path) for a in writers))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for args, (code, output) in zip(writers, results, strict=True):
        _assert_one_clear_line(args, code, output, "locked by another program")


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("setpriv") is None,
    reason="root honours file permissions only with its override dropped (setpriv, util-linux)",
)
async def test_a_read_only_database_file_stops_writers_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    assert (await _outcome(["init"], _env(db), tmp_path))[0] == 0
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    wrapper = HONOUR_PERMISSIONS if os.geteuid() == 0 else None
    try:
        for args in (["init"], ["grant", "coordinator", "5"], ["run"]):
            code, output = await _outcome(args, _env(db), tmp_path, wrapper)
            _assert_one_clear_line(args, code, output, "read-only")
    finally:
        tmp_path.chmod(0o755)


async def test_read_only_commands_on_a_mistyped_path_create_no_database(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    for args in (
        ["report", "missions"],
        ["export", "roster", "--out", "out.csv"],
        ["backup", "b.db"],
    ):
        code, output = await _outcome(args, _env(db), tmp_path)
        _assert_one_clear_line(args, code, output, "no database file", str(db))
    assert not db.exists()
    assert not (tmp_path / "out.csv").exists()


async def test_the_unedited_example_token_is_refused_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    placeholder = "123456789:replace-with-the-token-from-BotFather"
    env = _env(tmp_path / "bot.db", TELEGRAM_BOT_TOKEN=placeholder)
    code, output = await _outcome(["run"], env, tmp_path)
    _assert_one_clear_line(["run"], code, output, ".env.example")
    assert placeholder not in output


@pytest.fixture
async def refusing_api() -> AsyncIterator[str]:
    """A Bot API that answers every call as Telegram does for a revoked token."""

    async def unauthorized(request: web.Request) -> web.Response:
        body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return web.json_response(body, status=401)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", unauthorized)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sockets = site._server.sockets if site._server else ()  # type: ignore[union-attr]
    port = sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/bot"
    await runner.cleanup()


async def test_a_rejected_token_is_fatal_at_once_and_never_printed(
    tmp_path: Path, refusing_api: str
) -> None:
    env = _env(
        tmp_path / "bot.db",
        TELEGRAM_BOT_TOKEN=REAL_SHAPED_TOKEN,
        TELEGRAM_API_URL=refusing_api,
        RESCUEBOT_STARTUP_RETRY_SECONDS="300",  # a 401 is not retried however long allowed
    )
    code, output = await _outcome(["run"], env, tmp_path)
    _assert_one_clear_line(["run"], code, output, "rejected", "401")
    assert REAL_SHAPED_TOKEN not in output
    assert REAL_SHAPED_TOKEN.split(":")[1] not in output


async def test_no_network_at_start_up_is_retried_with_backoff_then_one_line(
    tmp_path: Path,
) -> None:
    env = _env(
        tmp_path / "bot.db",
        TELEGRAM_BOT_TOKEN=REAL_SHAPED_TOKEN,
        RESCUEBOT_STARTUP_RETRY_SECONDS="3",
    )
    code, output = await _outcome(["run"], env, tmp_path)
    assert code != 0 and "Traceback" not in output, output
    retries = [line for line in output.splitlines() if "trying again in" in line]
    assert [line.split("trying again in ")[1] for line in retries] == ["1 s", "2 s"], output
    last = output.strip().splitlines()[-1]
    assert "Could not reach Telegram" in last and "127.0.0.1:9" in last
    assert REAL_SHAPED_TOKEN.split(":")[1] not in output


async def test_a_second_bot_on_the_same_database_refuses_to_start(
    sandbox: Any, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    env = _env(db, TELEGRAM_API_URL=sandbox.api_url)
    first = await _rescuebot("run", env=env, cwd=tmp_path)
    try:
        await sandbox.wait_for(lambda: any(c.method == "getUpdates" for c in sandbox.calls), 30)
        code, output = await _outcome(["run"], env, tmp_path)
        _assert_one_clear_line(["run"], code, output, "already using the database")
        assert first.returncode is None  # the first bot is untouched
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), 30)
    assert first.returncode == 0
    # The lock dies with its process: a restart after a crash is never blocked.
    restarted = await _rescuebot("run", env=env, cwd=tmp_path)
    try:
        polls = sum(c.method == "getUpdates" for c in sandbox.calls)
        await sandbox.wait_for(
            lambda: sum(c.method == "getUpdates" for c in sandbox.calls) > polls, 30
        )
    finally:
        restarted.kill()
        await restarted.communicate()
    second = await _rescuebot("run", env=env, cwd=tmp_path)
    try:
        polls = sum(c.method == "getUpdates" for c in sandbox.calls)
        await sandbox.wait_for(
            lambda: sum(c.method == "getUpdates" for c in sandbox.calls) > polls, 30
        )
        assert second.returncode is None
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.communicate(), 30)
