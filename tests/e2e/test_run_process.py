"""`rescuebot run` as a real process, pointed at the sandbox through TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from tests.conftest import TEST_TOKEN


async def _rescuebot(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """The `rescuebot` command as its own process, as an operator would start it."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


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
        "RESCUEBOT_WEB_PORT": "0",
    }
    init = await _rescuebot("init", env=env, cwd=tmp_path)
    await init.communicate()
    assert init.returncode == 0
    process = await _rescuebot("run", env=env, cwd=tmp_path)
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
    process = await _rescuebot("run", env=env, cwd=tmp_path)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in stderr.decode()


async def _post_update(port: int, secret: str, update: dict[str, Any]) -> int:
    """POST an update as Telegram would, retrying while the webhook server starts."""
    import aiohttp

    url = f"http://127.0.0.1:{port}/tg/hook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.post(url, json=update, headers=headers) as response:
                    return response.status
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.05)  # the server is not listening yet: nothing to wait on
    raise AssertionError("the webhook server never started")


async def test_webhook_mode_registers_a_secret_and_handles_what_telegram_posts(
    sandbox: Any, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": sandbox.api_url,
        "RESCUEBOT_DB": str(tmp_path / "hook.db"),
        "RESCUEBOT_LANGUAGE": "en",
    }
    process = await _rescuebot(
        "run",
        "--webhook",
        "https://rescue.example.org/tg/hook",
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        env=env,
        cwd=tmp_path,
    )
    user = sandbox.user(7002, "Visitor", language_code="en")
    try:
        call = await sandbox.wait_for_call("setWebhook", timeout=30)
        secret = call.params["secret_token"]
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1700000000,
                "chat": {"id": 7002, "type": "private", "first_name": "Visitor"},
                "from": {"id": 7002, "is_bot": False, "first_name": "Visitor",
                         "language_code": "en"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }  # fmt: skip
        assert await _post_update(port, "wrong-secret", update) == 403
        assert await _post_update(port, secret, update) == 200
        await user.wait_for_message("Share phone number", timeout=30)
        # The same server serves the dashboard: its page, and 401 without credentials.
        import aiohttp

        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/") as page:
                assert page.status == 200 and "dashboard.js" in await page.text()
            async with session.get(f"http://127.0.0.1:{port}/api/page") as data:
                assert data.status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert call.params["url"] == "https://rescue.example.org/tg/hook"
    assert len(secret) >= 32
