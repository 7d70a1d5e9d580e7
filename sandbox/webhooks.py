"""Telegram's side of a webhook: updates POSTed to the bot, and a method in the answer run.

Once the bot has called setWebhook, Telegram stops answering getUpdates and POSTs each update
as JSON to the registered URL (with the `X-Telegram-Bot-Api-Secret-Token` header when a
secret was registered), up to `max_connections` (default 40) at once. A 2xx answer delivers
the update; anything else (or no answer) keeps it queued and it is tried again. The answer's
body may be one Bot API call — a JSON object with "method" and its parameters — which
Telegram then runs as if the bot had made it, validated like any other call; the bot never
learns its result.

The registered URL is https and names a public host; in tests the bot listens on
127.0.0.1 over plain HTTP. `route(base)` says where that URL really lands, as the TLS
proxy in front of a bot would: the URL's path is appended to `base`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sandbox.state import JsonDict, World

_log = logging.getLogger(__name__)

DEFAULT_CONNECTIONS = 40  # Telegram's default max_connections
POST_TIMEOUT = 60.0  # seconds Telegram waits for a webhook answer
RETRY_PAUSE = 0.5  # seconds before an undelivered update is tried again (Telegram backs off)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Execute = Callable[[str, dict[str, Any]], Awaitable[None]]


class WebhookDelivery:
    def __init__(self, world: World, execute: Execute) -> None:
        self.world = world
        self._execute = execute
        self._base: str | None = None
        self._in_flight: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = False
        self.posted = 0  # updates the bot took (2xx)

    def route(self, base: str) -> None:
        self._base = base.rstrip("/")
        if self._loop_task is None:
            self._loop_task = asyncio.get_running_loop().create_task(self._run())
        self.world.changed()

    async def close(self) -> None:
        self._closing = True
        self.world.changed()
        for task in [*self._tasks, *([self._loop_task] if self._loop_task else [])]:
            task.cancel()
        for task in [*self._tasks, *([self._loop_task] if self._loop_task else [])]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._session is not None:
            await self._session.close()

    def _target(self) -> str | None:
        url = str(self.world.webhook.get("url") or "")
        if not url or self._base is None:
            return None
        parts = urlsplit(url)
        return self._base + parts.path + (f"?{parts.query}" if parts.query else "")

    def _limit(self) -> int:
        return int(self.world.webhook.get("max_connections") or DEFAULT_CONNECTIONS)

    def _ready(self) -> list[JsonDict]:
        room = self._limit() - len(self._in_flight)
        if self._target() is None or room <= 0:
            return []
        waiting = [
            u
            for u in self.world.updates
            if u["update_id"] not in self._in_flight and self.world.is_allowed(u)
        ]
        return waiting[:room]

    async def _run(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT))
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await self.world.notifier.wait_for(
                    lambda: True if self._closing or self._ready() else None, 3600
                )
            if self._closing:
                return
            for update in self._ready():
                self._in_flight.add(update["update_id"])
                task = asyncio.get_running_loop().create_task(self._post(update))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _post(self, update: JsonDict) -> None:
        target, session = self._target(), self._session
        delivered = False
        try:
            if target is None or session is None:
                return
            headers = {}
            secret = self.world.webhook_secret
            if secret:
                headers[SECRET_HEADER] = secret
            try:
                async with session.post(target, json=update, headers=headers) as response:
                    body = await response.read()
                    delivered = 200 <= response.status < 300
                    kind = response.content_type
            except (aiohttp.ClientError, TimeoutError) as exc:
                _log.debug("webhook delivery failed: %r", exc)
            if not delivered:
                await asyncio.sleep(RETRY_PAUSE)  # Telegram's backoff, shortened
                return
            self.posted += 1
            self.world.updates = [
                u for u in self.world.updates if u["update_id"] != update["update_id"]
            ]
            call = _method_in(body, kind)
            if call is not None:
                await self._execute(*call)
        finally:
            self._in_flight.discard(update["update_id"])
            self.world.changed()


def _method_in(body: bytes, content_type: str) -> tuple[str, dict[str, Any]] | None:
    """The Bot API call in a webhook answer, if it carries one."""
    if not body or content_type != "application/json":
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("method"), str):
        return None
    params = dict(data)
    method = str(params.pop("method"))
    return method, params
