"""The fast answer path for button taps: answerCallbackQuery on a few keep-alive
connections of its own, outside python-telegram-bot's general request pipeline (in
webhook mode, first choice is the webhook's own response: bot/webhook_answers.py).

A whole team tapping in the same second is answered only as fast as each answer is
sent. Through PTB an answer is a request object, parameter serialisation, the rate
limiter, httpx's connection pool bookkeeping and a parsed reply — most of what a tap
costs. Here it is one JSON body written to an open connection and a status line read
back; the request line and headers are built once.

Careful where PTB is careful:
- every answer has a deadline (`TIMEOUT`); a connection that misses it is closed;
- a kept-alive connection the server closed meanwhile is retried once on a fresh one
  (answering twice is harmless: Telegram refuses the second);
- Telegram's refusal of a late answer (a query too old) is raised by `FastAnswers` as PTB
  raises it, and the bot's `answer_callback_query` logs it instead of raising: the tap's
  own work is done by then, and the volunteer's client stops spinning after its own timeout;
- `close()` at shutdown closes every connection; answers after it fall back to PTB.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import json
import logging
import ssl
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter, Defaults, ExtBot
from telegram.request import HTTPXRequest

from bot.webhook_answers import WebhookAnswers

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds for one answer, connection included
CONNECTIONS = 32  # open at most; requests beyond wait for a free one
MAX_ANSWER_TEXT = 200  # Telegram's limit for the notification text

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class AnswerFailed(Exception):
    """The answer did not reach Telegram (the caller may fall back to PTB)."""


class FastAnswers:
    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        connections: int = CONNECTIONS,
        timeout: float = TIMEOUT,
    ) -> None:
        url = urlsplit(f"{api_url}{token}/")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("the Bot API URL must be http(s)://host/…")
        self._host = url.hostname
        self._https = url.scheme == "https"
        self._port = url.port or (443 if self._https else 80)
        self._path = url.path
        self._host_header = url.netloc.rsplit("@", 1)[-1]
        self._heads: dict[str, bytes] = {}
        self._timeout = timeout
        self._idle: list[Connection] = []
        self._slots = asyncio.Semaphore(connections)
        self._ssl = ssl.create_default_context() if self._https else None
        self._closed = False
        self.answered = 0  # taken by Telegram through this path

    @property
    def closed(self) -> bool:
        return self._closed

    async def answer(
        self, query_id: str, text: str | None = None, show_alert: bool = False
    ) -> bool:
        """True once Telegram took the answer. Raises BadRequest/Forbidden as PTB does when
        Telegram refuses it, AnswerFailed when Telegram could not be reached."""
        body: dict[str, object] = {"callback_query_id": query_id}
        if text:
            body["text"] = text[:MAX_ANSWER_TEXT]
        if show_alert:
            body["show_alert"] = True
        status, answer = await self.call("answerCallbackQuery", body)
        if status == 200:
            self.answered += 1
            return True
        if status >= 500:
            raise AnswerFailed(f"Telegram answered {status}")
        raise _refusal(status, answer)

    async def send_message(
        self,
        chat_id: int,
        text: str,
        reply_markup: dict[str, Any] | None = None,
        *,
        allow_paid_broadcast: bool = False,
    ) -> int:
        """A plain text message (a page); its message id. Raises as PTB does: RetryAfter,
        Forbidden, BadRequest, NetworkError (also when Telegram could not be reached)."""
        body: dict[str, object] = {"chat_id": chat_id, "text": text}
        if reply_markup:
            body["reply_markup"] = reply_markup
        if allow_paid_broadcast:
            body["allow_paid_broadcast"] = True
        try:
            status, answer = await self.call("sendMessage", body)
        except AnswerFailed as exc:
            raise NetworkError(f"unreachable: {exc}") from None
        if status == 200:
            return int(json.loads(answer)["result"]["message_id"])
        if status >= 500:
            raise NetworkError(f"{_description(answer)} ({status})")
        raise _refusal(status, answer)

    async def call(self, method: str, body: dict[str, object]) -> tuple[int, bytes]:
        """POST one JSON body; (status, raw answer). Raises AnswerFailed if Telegram could
        not be reached (or this client is closed)."""
        if self._closed:
            raise AnswerFailed("closed")
        head = self._heads.get(method)
        if head is None:
            # Everything but the body and its length, built once per method.
            head = self._heads[method] = (
                f"POST {self._path}{method} HTTP/1.1\r\nHost: {self._host_header}\r\n"
                "Content-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: "
            ).encode("ascii")
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        request = head + str(len(payload)).encode() + b"\r\n\r\n" + payload
        async with self._slots:
            try:
                async with asyncio.timeout(self._timeout):
                    return await self._exchange(request)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                raise AnswerFailed(type(exc).__name__) from None

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        reused = bool(self._idle)
        connection = self._idle.pop() if reused else await self._connect()
        try:
            status, body, keep = await self._round_trip(connection, request)
        except (OSError, asyncio.IncompleteReadError):
            _close(connection)
            if not reused:
                raise
            # The server closed a kept-alive connection meanwhile: once more, afresh.
            connection = await self._connect()
            try:
                status, body, keep = await self._round_trip(connection, request)
            except BaseException:
                _close(connection)
                raise
        except BaseException:
            _close(connection)
            raise
        if keep and not self._closed:
            self._idle.append(connection)
        else:
            _close(connection)
        return status, body

    async def _connect(self) -> Connection:
        return await asyncio.open_connection(
            self._host,
            self._port,
            ssl=self._ssl,
            server_hostname=self._host if self._ssl else None,
        )

    @staticmethod
    async def _round_trip(connection: Connection, request: bytes) -> tuple[int, bytes, bool]:
        reader, writer = connection
        writer.write(request)
        await writer.drain()
        status_line = await reader.readuntil(b"\r\n")
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise ValueError("not an HTTP answer")
        status = int(parts[1])
        length: int | None = None
        keep = parts[0] == b"HTTP/1.1"
        while True:
            line = await reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"connection":
                keep = value.strip().lower() == b"keep-alive" or (
                    keep and value.strip().lower() != b"close"
                )
            elif name == b"transfer-encoding":
                raise ValueError("chunked answers are not expected")
        if length is None:
            raise ValueError("an answer without Content-Length")
        body = await reader.readexactly(length)
        return status, body, keep

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            _close(connection)
        for _, writer in idle:
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def _close(connection: Connection) -> None:
    with contextlib.suppress(Exception):
        connection[1].close()


def is_query_too_old(exc: BadRequest) -> bool:
    """Telegram's refusal of an answer after its 15 s (or of a second answer to a tap)."""
    return "query is too old" in exc.message.lower()


def _refusal(status: int, body: bytes) -> TelegramError:
    """Telegram's refusal as the exception PTB raises for it."""
    if status == 429:
        try:
            seconds = int(json.loads(body)["parameters"]["retry_after"])
        except (ValueError, KeyError, TypeError):
            seconds = 1
        return RetryAfter(dtm.timedelta(seconds=seconds))
    if status == 403:
        return Forbidden(_description(body))
    return BadRequest(_description(body))


def _description(body: bytes) -> str:
    try:
        return str(json.loads(body).get("description", ""))[:200]
    except (ValueError, AttributeError):
        return ""


class RescueBot(ExtBot[None]):
    """PTB's bot, with taps answered through `FastAnswers` (PTB's own path stays the
    fallback, and serves answers that use what the fast path does not: url, cache_time)."""

    __slots__ = ("fast_answers", "webhook_answers")
    fast_answers: FastAnswers | None
    webhook_answers: WebhookAnswers | None

    def __init__(self, *args: Any, fast_answers: FastAnswers | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # PTB freezes its objects once built; these attributes are ours.
        object.__setattr__(self, "fast_answers", fast_answers)
        object.__setattr__(self, "webhook_answers", None)

    def answer_in_webhook_responses(self, answers: WebhookAnswers) -> None:
        """Webhook mode: a tap's answer goes in its update's HTTP response when it can."""
        object.__setattr__(self, "webhook_answers", answers)

    async def answer_callback_query(
        self,
        callback_query_id: str,
        text: str | None = None,
        show_alert: bool | None = None,
        url: str | None = None,
        cache_time: Any = None,
        **kwargs: Any,
    ) -> bool:
        try:
            return await self._answer(
                callback_query_id, text, show_alert, url, cache_time, **kwargs
            )
        except BadRequest as exc:
            if not is_query_too_old(exc):
                raise
            # The tap's own work is done (its page and the board show it); Telegram only
            # refuses the answer because it came after its 15 s. After a restart every
            # queued tap is like that: each volunteer must not be told "something went wrong".
            log.info("a tap answered too late for Telegram (%s); its work is done", exc)
            return False

    async def _answer(
        self,
        callback_query_id: str,
        text: str | None,
        show_alert: bool | None,
        url: str | None,
        cache_time: Any,
        **kwargs: Any,
    ) -> bool:
        fast = self.fast_answers
        plain = url is None and cache_time is None and not kwargs.get("api_kwargs")
        hook = self.webhook_answers
        if hook is not None and plain and hook.offer(callback_query_id, text, bool(show_alert)):
            return True
        if fast is not None and not fast.closed and plain:
            try:
                return await fast.answer(callback_query_id, text, bool(show_alert))
            except AnswerFailed as exc:
                log.warning("fast answer failed (%s); answering the usual way", exc)
        answered: bool = await super().answer_callback_query(
            callback_query_id, text, show_alert, url, cache_time, **kwargs
        )
        return answered

    async def shutdown(self) -> None:
        if self.fast_answers is not None:
            await self.fast_answers.close()
        await super().shutdown()


def make_bot(
    token: str,
    base_url: str,
    base_file_url: str,
    *,
    rate_limiter: BaseRateLimiter[Any],
    defaults: Defaults | None = None,
) -> Bot:
    """The bot as ApplicationBuilder would build it (the same connection pools and
    timeouts), plus the fast answer path."""
    return RescueBot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        defaults=defaults,
        rate_limiter=rate_limiter,
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        fast_answers=FastAnswers(base_url, token),
    )
