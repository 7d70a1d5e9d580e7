"""`rescuebot run` as a real process, pointed at the sandbox through TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from tests.conftest import TEST_TOKEN


async def test_the_bot_process_answers_and_stops_cleanly_on_sigterm_without_logging_secrets(
    sandbox: Any, tmp_path: Path
) -> None:
    db_path = tmp_path / "process.db"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": sandbox.api_url,
        "RESCUEBOT_DB": str(db_path),
        "RESCUEBOT_LANGUAGE": "en",
    }
    init = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "init",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await init.communicate()
    assert init.returncode == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = sandbox.user(7001, "Visitor", language_code="en")
        await sandbox.wait_for(lambda: any(c.method == "getUpdates" for c in sandbox.calls), 30)
        await user.send("/start")
        await user.wait_for_message("Share phone number", timeout=30)
        await user.share_contact("+8613800009999")
        await user.wait_for_message("not in the roster", timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert TEST_TOKEN not in log
    assert "13800009999" not in log


async def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["RESCUEBOT_DB"] = str(tmp_path / "x.db")
    env["RESCUEBOT_LANGUAGE"] = "en"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in stderr.decode()
