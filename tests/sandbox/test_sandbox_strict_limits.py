"""Where the sandbox is as strict as Telegram: per-chat and per-group limits, bots cannot
write first, paid broadcasts, and outages."""

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter

from sandbox import BotApiSandbox
from sandbox.server import CHAT_BURST, GROUP_PER_MINUTE

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_one_private_chat_takes_a_short_burst_and_then_answers_429() -> None:
    async with BotApiSandbox(rate_limit_per_second=30) as sandbox:
        sandbox.user(1)
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            for _ in range(CHAT_BURST):
                await bot.send_message(1, "page")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "one too many")
            sandbox.user(2)
            await bot.send_message(2, "another chat is fine")


async def test_a_group_takes_twenty_messages_a_minute() -> None:
    async with BotApiSandbox(rate_limit_per_second=30) as sandbox:
        sandbox.group(-100, "Team")
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            for _ in range(GROUP_PER_MINUTE):
                await bot.send_message(-100, "board")
            with pytest.raises(RetryAfter):
                await bot.send_message(-100, "21st")


async def test_chat_limits_are_off_without_the_rate_limit_unless_asked_for() -> None:
    async with BotApiSandbox() as sandbox:
        sandbox.user(1)
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            for _ in range(CHAT_BURST + 2):
                await bot.send_message(1, "page")


async def test_a_bot_cannot_write_first_to_someone_who_never_started_it() -> None:
    async with BotApiSandbox() as sandbox:
        user = sandbox.user(1)
        sandbox.never_started(1)
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            with pytest.raises(Forbidden, match="can't initiate conversation"):
                await bot.send_message(1, "page")
            await user.send("/start")
            await bot.send_message(1, "page")


async def test_paid_broadcasts_are_outside_the_free_limit() -> None:
    async with BotApiSandbox(rate_limit_per_second=2, chat_limits=False) as sandbox:
        for uid in range(1, 6):
            sandbox.user(uid)
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            for uid in range(1, 6):
                await bot.send_message(uid, "paid", allow_paid_broadcast=True)
            await bot.send_message(1, "free")
            await bot.send_message(2, "free")
            with pytest.raises(RetryAfter):
                await bot.send_message(3, "free")


async def test_an_outage_answers_5xx_without_delivering_until_it_is_over() -> None:
    async with BotApiSandbox() as sandbox:
        sandbox.user(1)
        async with Bot("1:x", base_url=sandbox.api_url) as bot:
            sandbox.outage(502)
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(1, "page")
            sandbox.outage(504)
            with pytest.raises(NetworkError):
                await bot.send_message(1, "page")
            assert await bot.get_updates(timeout=0) == ()  # polling still works
            sandbox.recover()
            await bot.send_message(1, "page")
        assert [m["text"] for m in sandbox.messages_to(1)] == ["page"]
