"""Fixtures: a running sandbox and a real python-telegram-bot Bot pointed at it."""

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from sandbox import BotApiSandbox

TOKEN = "123456:TEST-token"


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    async with BotApiSandbox() as running:
        yield running


@pytest.fixture
async def bot(sandbox: BotApiSandbox) -> AsyncIterator[Bot]:
    client = Bot(token=TOKEN, base_url=sandbox.api_url, base_file_url=sandbox.file_url)
    async with client:  # initialize() calls getMe
        yield client
