"""The Bot API sandbox: an in-process aiohttp server that behaves like api.telegram.org.

Point a bot at ``api_url`` / ``file_url`` (PTB: ``Bot(token, base_url=..., base_file_url=...)``),
drive it with ``SimUser`` actions, observe it through ``calls`` and the chats' messages, and
inject faults (blocked users, 429s, slow methods, a rate limit like Telegram's).
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, bad_request, not_found, too_many_requests
from sandbox.methods import BotMethods, BotRequest, bot_user, commands_key, is_delivery
from sandbox.people import SimUser, push_member_update
from sandbox.spec import ApiSpec, UploadedFile
from sandbox.state import JsonDict, SlidingWindowLimiter, StoredFile, World
from sandbox.webhooks import WebhookDelivery

_log = logging.getLogger(__name__)

# Telegram accepts uploads up to 50 MB; leave room for the multipart envelope.
_MAX_BODY = 64 * 1024 * 1024
FILE_DOWNLOAD = "file:download"  # ApiCall.method of GET /file/... requests
# Telegram's other flood limits (its FAQ): about one message a second in one private chat,
# short bursts allowed; 20 a minute in a group; paid broadcasts up to 1,000 a second.
CHAT_BURST = 3
CHAT_BURST_SECONDS = 3.0
GROUP_PER_MINUTE = 20
PAID_BROADCAST_PER_SECOND = 1000
_STATUS_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                504: "Gateway Timeout"}  # fmt: skip


@dataclass
class ApiCall:
    """One request. Logged on arrival, so a long poll is visible while it waits; the sandbox
    fills in ``status`` (0 until then) and ``response`` when it answers."""

    method: str
    params: dict[str, Any]  # decoded when validation got that far, else as received
    time: float  # the sandbox clock (time.monotonic unless a test passes its own) at arrival
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)
    token: str = ""
    # Run by the sandbox from the bot's answer to a webhook POST, not requested by the bot.
    via_webhook: bool = False

    @property
    def pending(self) -> bool:
        return self.status == 0

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")


@dataclass
class _Injected429:
    remaining: int
    retry_after: int
    methods: frozenset[str] | None

    def matches(self, method: str) -> bool:
        if self.methods is None:
            # A bot polls getUpdates all the time; a blanket fault aimed at it would be
            # swallowed by polling, so "any method" means any method but getUpdates.
            return method != "getUpdates"
        return method in self.methods


@dataclass
class _Outage:
    status: int
    hang: float
    methods: frozenset[str] | None

    def matches(self, method: str) -> bool:
        if self.methods is None:
            return method != "getUpdates"  # as for 429s: polling would swallow it
        return method in self.methods


@dataclass
class _Faults:
    injected: list[_Injected429] = field(default_factory=list)
    slow: dict[str, float] = field(default_factory=dict)
    slow_chats: dict[tuple[str, int], float] = field(default_factory=dict)
    outage: _Outage | None = None

    def take_429(self, method: str) -> int | None:
        for rule in self.injected:
            if rule.remaining > 0 and rule.matches(method):
                rule.remaining -= 1
                return rule.retry_after
        return None


class BotApiSandbox:
    def __init__(
        self,
        *,
        rate_limit_per_second: int | None = None,
        chat_limits: bool | None = None,
        bot_username: str = "rescue_test_bot",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`rate_limit_per_second`: Telegram's limit on deliveries across chats (None: off).
        `chat_limits`: also its per-chat limits — about one a second per private chat (a
        burst of CHAT_BURST allowed) and 20 a minute per group; on with the rate limit unless
        said otherwise. `clock`: the seconds the limits and call times are read from; a test
        of the limits themselves passes its own, so a busy machine cannot move the result."""
        self.bot_username = bot_username
        self._now = clock
        self.spec = ApiSpec.load()
        self.world = World()
        self.world.bot = bot_user("", bot_username)
        self.calls: list[ApiCall] = []
        self._limiter = (
            SlidingWindowLimiter(rate_limit_per_second) if rate_limit_per_second else None
        )
        self._paid_limiter = SlidingWindowLimiter(PAID_BROADCAST_PER_SECOND)
        on = rate_limit_per_second is not None
        self._chat_limits = on if chat_limits is None else chat_limits
        self._chat_limiters: dict[int, SlidingWindowLimiter] = {}
        self._faults = _Faults()
        self._people: dict[int, SimUser] = {}
        self._closing = False
        self._methods = BotMethods(self.world, self.spec, is_closing=lambda: self._closing)
        self._runner: web.AppRunner | None = None
        self._base = ""
        self._webhooks = WebhookDelivery(self.world, self._run_from_webhook)

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._base = f"http://{host}:{port}"

    async def stop(self) -> None:
        self._closing = True
        self.world.changed()  # lets pending long polls return now
        await self._webhooks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiSandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """Bot API base URL; clients append the token and method (``.../bot<token>/<method>``)."""
        return f"{self._started_base()}/bot"

    @property
    def file_url(self) -> str:
        return f"{self._started_base()}/file/bot"

    def _started_base(self) -> str:
        if not self._base:
            raise RuntimeError("BotApiSandbox is not started; await sandbox.start() first")
        return self._base

    # --- people and chats ------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Volunteer",
        *,
        language_code: str = "zh",
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        """Create (or return the existing) simulated person with a private chat."""
        existing = self._people.get(user_id)
        if existing is not None:
            return existing
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: JsonDict = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        user["language_code"] = language_code
        self.world.users[user_id] = user
        self.world.add_chat(chat)
        person = self._people[user_id] = SimUser(self.world, user)
        return person

    def group(self, chat_id: int, title: str, *, chat_type: str = "group") -> JsonDict:
        """Register a group chat the bot is a member of; SimUsers speak there via chat_id=."""
        chat = self.world.add_chat({"id": chat_id, "type": chat_type, "title": title})
        return dict(chat.chat)

    # --- webhooks ------------------------------------------------------------------------

    def route_webhook(self, base: str) -> None:
        """POST updates to the bot once it has set a webhook: the registered URL's path on
        `base` (e.g. ``http://127.0.0.1:8443``), as a TLS proxy in front of the bot would.
        A Bot API call in the answer's JSON body ("method" + parameters) is then run."""
        self._webhooks.route(base)

    @property
    def webhook_posts(self) -> int:
        """Updates delivered to the webhook (answered 2xx)."""
        return self._webhooks.posted

    async def _run_from_webhook(self, method: str, params: dict[str, Any]) -> None:
        token = next((c.token for c in reversed(self.calls) if c.method == "setWebhook"), "")
        call = ApiCall(method, dict(params), self._now(), token=token, via_webhook=True)
        self._record(call)
        await self._settle(call, self._process(method, token, params, {}))

    # --- fault injection ---------------------------------------------------------------------

    def block(self, user_id: int) -> None:
        """The user blocks the bot: deliveries to them answer 403 until they unblock."""
        if user_id in self.world.blocked:
            return
        self.world.blocked.add(user_id)
        chat = self.world.chats.get(user_id)
        if chat is not None and user_id in self.world.users:
            push_member_update(self.world, chat, self.world.users[user_id], blocked=True)
        self.world.changed()

    def unblock(self, user_id: int) -> None:
        if user_id not in self.world.blocked:
            return
        self.world.blocked.discard(user_id)
        chat = self.world.chats.get(user_id)
        if chat is not None and user_id in self.world.users:
            push_member_update(self.world, chat, self.world.users[user_id], blocked=False)
        self.world.changed()

    def inject_429(self, count: int, retry_after: int = 1, methods: set[str] | None = None) -> None:
        """The next ``count`` matching calls answer 429 (methods=None: all but getUpdates)."""
        chosen = frozenset(methods) if methods is not None else None
        self._faults.injected.append(_Injected429(count, retry_after, chosen))

    def slow(self, method: str, seconds: float, *, chat_id: int | None = None) -> None:
        """Delay handling of ``method`` (to ``chat_id`` only, if given) by ``seconds`` (0
        removes the delay). The call still takes effect, however late: like a Telegram that
        answers after the client gave up waiting."""
        if chat_id is not None:
            if seconds > 0:
                self._faults.slow_chats[(method, chat_id)] = seconds
            else:
                self._faults.slow_chats.pop((method, chat_id), None)
        elif seconds > 0:
            self._faults.slow[method] = seconds
        else:
            self._faults.slow.pop(method, None)

    def outage(
        self, status: int = 502, *, hang: float = 0.0, methods: set[str] | None = None
    ) -> None:
        """Telegram is down until ``recover()``: matching calls (methods=None: all but
        getUpdates) wait ``hang`` seconds, then answer ``status`` (a 5xx) and do nothing."""
        chosen = frozenset(methods) if methods is not None else None
        self._faults.outage = _Outage(status, hang, chosen)

    def recover(self) -> None:
        self._faults.outage = None
        self.world.changed()

    def never_started(self, user_id: int) -> None:
        """The user never opened the bot: deliveries to them answer 403 until they write."""
        self.world.not_started.add(user_id)

    # --- observation -------------------------------------------------------------------------

    def messages_to(self, chat_id: int) -> list[JsonDict]:
        """Messages the bot sent to a chat, in their current state (after edits, not deleted)."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(stored.data)
            for _, stored in sorted(chat.messages.items())
            if stored.outgoing and not stored.deleted
        ]

    @property
    def files(self) -> dict[str, StoredFile]:
        """Every file the sandbox holds (uploads by the bot and by SimUsers), by file_id."""
        return self.world.files

    def file_bytes(self, file_id: str) -> bytes:
        return self.world.files[file_id].data

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The command list set with setMyCommands for this scope and language."""
        key = commands_key({"scope": scope, "language_code": language_code})
        return copy.deepcopy(self.world.commands.get(key, []))

    @property
    def polls_waiting(self) -> int:
        """How many getUpdates requests are long-polling right now."""
        return self._methods.polls_waiting

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        return copy.deepcopy(self.world.updates)

    def push_update(self, kind: str, payload: JsonDict) -> JsonDict:
        """Queue an arbitrary update (e.g. kind="edited_message") for getUpdates."""
        return self.world.push_update(kind, payload)

    def delivery_times(self, methods: Iterable[str] | None = None) -> list[float]:
        """Arrival times of successful message deliveries, for throughput measurements."""
        wanted = frozenset(methods) if methods is not None else None
        return [
            call.time
            for call in self.calls
            if call.ok
            and (call.method in wanted if wanted is not None else is_delivery(call.method))
        ]

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a per-call timeout reads best in tests
    ) -> None:
        """Wait until ``predicate()`` is true; it is re-checked after every request/change."""
        try:
            await self.world.notifier.wait_for(lambda: True if predicate() else None, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"condition {_describe(predicate)} still false after {timeout}s; "
                f"latest calls: {self._recent_calls()}"
            ) from None

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] = lambda call: True,
        timeout: float = 10.0,  # noqa: ASYNC109 - a per-call timeout reads best in tests
        *,
        since: int = 0,
    ) -> ApiCall:
        """The first answered call of ``method`` in ``calls[since:]`` matching ``predicate``.

        Calls made before this wait count too; pass ``since=len(sandbox.calls)`` to only see
        later ones. Calls still in flight are skipped until answered.
        """

        def check() -> ApiCall | None:
            return next(
                (
                    c
                    for c in self.calls[since:]
                    if not c.pending and c.method == method and predicate(c)
                ),
                None,
            )

        try:
            return await self.world.notifier.wait_for(check, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no {method} call matching {_describe(predicate)} within {timeout}s; "
                f"latest calls: {self._recent_calls()}"
            ) from None

    def _recent_calls(self, count: int = 8) -> list[str]:
        return [
            f"{c.method}({_brief(c.params)}) -> {c.status or 'pending'}"
            + ("" if c.ok else f" {c.response.get('description')!r}")
            for c in self.calls[-count:]
        ]

    # --- HTTP --------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = self._now()
        token = request.match_info["token"]
        method = request.match_info["method"]
        call = ApiCall(method, {}, arrived, token=token)
        self._record(call)

        async def work() -> tuple[int, JsonDict, dict[str, Any]]:
            params, uploads = await _read_params(request)
            call.params = params
            self.world.changed()
            return await self._process(method, token, params, uploads)

        status, body = await self._settle(call, work())
        return web.json_response(body, status=status)

    async def _settle(
        self, call: ApiCall, work: Awaitable[tuple[int, JsonDict, dict[str, Any]]]
    ) -> tuple[int, JsonDict]:
        """Run one call's work and log its outcome on `call`; (status, body). A refused call
        keeps the parameters as far as they were read (tests look at whom it was for)."""
        try:
            status, body, call.params = await work
        except ApiError as exc:
            status, body = exc.error_code, exc.payload()
        except Exception as exc:
            # A sandbox bug: answer like Telegram's rare 500s and keep it visible in the log.
            _log.exception("sandbox failed on %s", call.method)
            status = 500
            body = ApiError(500, f"Internal Server Error: sandbox bug: {exc!r}").payload()
        call.status, call.response = status, body
        self.world.changed()
        return status, body

    async def _process(
        self,
        method: str,
        token: str,
        raw: dict[str, Any],
        uploads: dict[str, UploadedFile],
    ) -> tuple[int, JsonDict, dict[str, Any]]:
        """Answer one call; returns (status, body, params as decoded)."""
        spec = self.spec.methods.get(method)
        if spec is None:
            raise not_found()
        retry_after = self._faults.take_429(method)
        if retry_after is not None:
            raise too_many_requests(retry_after)
        outage = self._faults.outage
        if outage is not None and outage.matches(method):
            if outage.hang:
                await asyncio.sleep(outage.hang)  # simulated server latency
            raise ApiError(outage.status, _STATUS_TEXT.get(outage.status, "Server Error"))
        delay = self._faults.slow.get(method) or self._faults.slow_chats.get(
            (method, _chat_id(raw) or 0)
        )
        if delay:
            await asyncio.sleep(delay)  # simulated server latency, not a wait on state
        params = self.spec.decode(spec, raw, typed=True, uploads=uploads)
        try:
            if is_delivery(method):
                self._admit(params)
            bot = bot_user(token, self.bot_username)
            self.world.bot = bot
            result = await self._methods.call(BotRequest(method, params, bot, spec.returns))
        except ApiError as exc:
            return exc.error_code, exc.payload(), params
        return 200, {"ok": True, "result": result}, params

    def _admit(self, params: dict[str, Any]) -> None:
        """Telegram's flood limits: 429 with the seconds until the fullest window has room."""
        now = self._now()
        windows: list[SlidingWindowLimiter] = []
        if params.get("allow_paid_broadcast"):
            windows.append(self._paid_limiter)  # charged, so outside the free limit
        elif self._limiter is not None:
            windows.append(self._limiter)
        chat_id = _chat_id(params)
        if self._chat_limits and chat_id is not None:
            chat = self._chat_limiters.get(chat_id)
            if chat is None:
                chat = self._chat_limiters[chat_id] = (
                    SlidingWindowLimiter(GROUP_PER_MINUTE, 60.0)
                    if chat_id < 0
                    else SlidingWindowLimiter(CHAT_BURST, CHAT_BURST_SECONDS)
                )
            windows.append(chat)
        waits = [w for w in (window.wait(now) for window in windows) if w is not None]
        if waits:
            raise too_many_requests(max(1, math.ceil(max(waits))))
        for window in windows:
            window.try_admit(now)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        arrived = self._now()
        path = request.match_info["path"]
        stored = self.world.files_by_path.get(path)
        params = {"file_path": path}
        if stored is None:
            body = not_found().payload()
            self._record(ApiCall(FILE_DOWNLOAD, params, arrived, 404, body))
            return web.json_response(body, status=404)
        result = {"ok": True, "file_size": stored.file_size}
        self._record(ApiCall(FILE_DOWNLOAD, params, arrived, 200, result))
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        body = not_found().payload()
        self._record(ApiCall(request.path, {}, self._now(), 404, body))
        return web.json_response(body, status=404)

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        self.world.changed()


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Query string plus body: JSON, urlencoded or multipart (file parts become uploads)."""
    params: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, uploads
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                upload = UploadedFile(value.filename, value.content_type, value.file.read())
                uploads[key] = params[key] = upload
            elif isinstance(value, bytes | bytearray):
                params[key] = bytes(value).decode("utf-8", errors="replace")
            else:
                params[key] = value
    return params, uploads


def _chat_id(params: dict[str, Any]) -> int | None:
    raw = params.get("chat_id")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        return int(raw)
    return None


def _brief(params: dict[str, Any], width: int = 60) -> str:
    text = json.dumps(params, ensure_ascii=False, default=repr)
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(predicate: Callable[..., Any]) -> str:
    # The source line says far more than "<lambda>" when a wait times out.
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return getattr(predicate, "__qualname__", repr(predicate))
