"""What `rescuebot run` writes to its log during a realistic session, at DEBUG and at
INFO: never the token, a phone number in any format, or a policy number."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest

from bot.logging_setup import RedactingFilter
from tests.conftest import TEST_TOKEN
from tests.e2e.test_run_process import _rescuebot

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
LEADER_PHONE = "138 0013 8001"  # 张伟, leader of SD in samples/roster.csv
POLICY = "PAAB2026SD001"


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
async def test_a_session_logs_no_token_phone_or_policy_number(
    sandbox: Any, tmp_path: Path, level: str
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": sandbox.api_url,
        "RESCUEBOT_DB": str(tmp_path / "log.db"),
        "RESCUEBOT_LANGUAGE": "en",
        "RESCUEBOT_LOG_LEVEL": level,
    }
    imported = await _rescuebot("import", "roster", str(SAMPLES / "roster.csv"), env=env,
                                cwd=tmp_path)  # fmt: skip
    await imported.communicate()
    assert imported.returncode == 0
    process = await _rescuebot("run", env=env, cwd=tmp_path)
    try:
        leader = sandbox.user(7101, "Zhang", language_code="en")
        await sandbox.wait_for(lambda: any(c.method == "getUpdates" for c in sandbox.calls), 30)
        await leader.send("/start")
        await leader.wait_for_message("Share phone number", timeout=30)
        await leader.share_contact("+86 " + LEADER_PHONE)
        await leader.wait_for_message(lambda m: "张伟" in str(m.get("text")), timeout=30)
        await leader.send("/insurance")
        await leader.wait_for_message(lambda m: "insurance" in str(m.get("text")), timeout=30)
        await leader.send(f"my policy is {POLICY}, phone {LEADER_PHONE}")  # typed: in the update
        await leader.wait_for_message(lambda m: "/help" in str(m.get("text")), timeout=30)
        await leader.send("/roster")
        await leader.wait_for_message(lambda m: "8002" in str(m.get("text")), timeout=30)
        await leader.send(f"/away {LEADER_PHONE.replace(' ', '.')}")  # a phone where a date goes
        await leader.wait_for_message(lambda m: "/away" in str(m.get("text")), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    if level == "DEBUG":
        assert " DEBUG " in log  # the level took effect
    digits = re.sub(r"\D", "", LEADER_PHONE)
    assert TEST_TOKEN not in log and TEST_TOKEN.split(":")[1] not in log
    assert POLICY not in log
    for phone in (digits, "8002", "138 0013", "138.0013", "0013.8001"):
        assert phone not in log, phone


@pytest.mark.parametrize(
    "phone",
    ["139.1111.0000", "(139)1111-0000", "139 1111 0000", "139-1111-0000", "+86 139 1111 0000",
     "+8613911110000", "13911110000", "(0871) 6543 2100", "+86-139-1111-0000"],
)  # fmt: skip
def test_the_phone_mask_catches_common_formats(phone: str) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "matched %s", (phone,), None)
    RedactingFilter([]).filter(record)
    assert record.getMessage() == "matched <phone>"


@pytest.mark.parametrize(
    "text", ["2026-03-05 12:00:01", "callout #12 paged 263", "127.0.0.1:8080", "v22.8"]
)
def test_the_phone_mask_leaves_dates_counts_and_addresses(text: str) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, text, None, None)
    RedactingFilter([]).filter(record)
    assert record.getMessage() == text
