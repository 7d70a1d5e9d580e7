"""Webhook delivery: updates POSTed to the bot, and a Bot API call in the answer run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BotApiSandbox

Answer = Callable[[dict[str, Any]], web.Response]


class BotEndpoint:
    """The bot's web server, as far as these tests need one: records the POSTs it gets and
    answers each with `answer(update)`."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, Any], str]] = []
        self.answer: Answer = lambda update: web.Response()
        self.base = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.posts.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")))
        assert request.path == "/tg/hook"
        return self.answer(update)


@pytest.fixture
async def endpoint() -> AsyncIterator[BotEndpoint]:
    server = BotEndpoint()
    app = web.Application()
    app.router.add_post("/{path:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.base = f"http://{host}:{port}"
    yield server
    await runner.cleanup()


async def with_button(sandbox: BotApiSandbox, bot: Bot) -> dict[str, Any]:
    sandbox.user(42, "Ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    await bot.send_message(42, "Callout", reply_markup=keyboard)
    return sandbox.messages_to(42)[-1]


async def test_updates_are_posted_with_the_secret_and_a_method_in_the_answer_is_run(
    sandbox: BotApiSandbox, bot: Bot, endpoint: BotEndpoint
) -> None:
    message = await with_button(sandbox, bot)
    await bot.set_webhook("https://bot.example.org/tg/hook", secret_token="s3cret-token")
    sandbox.route_webhook(endpoint.base)

    def answer(update: dict[str, Any]) -> web.Response:
        query = update["callback_query"]
        return web.json_response(
            {"method": "answerCallbackQuery", "callback_query_id": query["id"], "text": "Thanks"}
        )

    endpoint.answer = answer
    query_id = await sandbox.user(42).press(message, "go")
    assert (await sandbox.user(42).wait_for_answer(query_id))["text"] == "Thanks"
    assert endpoint.posts[0][1] == "s3cret-token"
    assert endpoint.posts[0][0]["callback_query"]["data"] == "go"
    call = await sandbox.wait_for_call("answerCallbackQuery")
    assert call.via_webhook and call.ok
    assert sandbox.pending_updates() == []  # delivered: gone from the queue
    assert sandbox.webhook_posts == 1


async def test_a_method_in_the_answer_is_validated_like_any_other_call(
    sandbox: BotApiSandbox, bot: Bot, endpoint: BotEndpoint
) -> None:
    await bot.set_webhook("https://bot.example.org/tg/hook")
    sandbox.route_webhook(endpoint.base)
    endpoint.answer = lambda update: web.json_response({"method": "sendMessage", "text": "hi"})
    await sandbox.user(42).send("hello")
    call = await sandbox.wait_for_call("sendMessage")
    assert call.via_webhook and call.status == 400
    assert "chat_id" in str(call.response.get("description"))


async def test_an_update_the_bot_did_not_take_is_posted_again(
    sandbox: BotApiSandbox, bot: Bot, endpoint: BotEndpoint
) -> None:
    await bot.set_webhook("https://bot.example.org/tg/hook")
    answers = iter([web.Response(status=500), web.Response()])
    endpoint.answer = lambda update: next(answers)
    sandbox.route_webhook(endpoint.base)
    await sandbox.user(42).send("hello")
    await sandbox.wait_for(lambda: sandbox.webhook_posts == 1, timeout=10)
    assert len(endpoint.posts) == 2
    assert endpoint.posts[0][0] == endpoint.posts[1][0]
    assert endpoint.posts[0][1] == ""  # no secret registered, none sent


async def test_without_a_webhook_nothing_is_posted_and_get_updates_works(
    sandbox: BotApiSandbox, bot: Bot, endpoint: BotEndpoint
) -> None:
    sandbox.route_webhook(endpoint.base)
    await sandbox.user(42).send("hello")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert endpoint.posts == []
