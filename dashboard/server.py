"""The dashboard's aiohttp server, run in the bot's own event loop.

`GET /` is the page; it reads Telegram's initData (or a signed link) from the
URL fragment and sends it with every request in the `Authorization` header
(`tma <initData>` or `link <token>`). `GET /api/page` answers one snapshot,
`GET /api/stream` a Server-Sent Events stream: a snapshot at once (so a
reconnecting screen catches up), then a fresh one whenever a callout changes.
Anything unauthenticated gets 401 and no data. In webhook mode the same server
takes Telegram's posts at the webhook's path.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from common.clock import Clock
from dashboard.auth import Unauthorized, verify_init_data, verify_link
from dashboard.keys import DashboardKeys
from dashboard.live import ChangeHub
from dashboard.page import PageConfig, RosterCache, build_page
from dashboard.view import Viewer
from i18n.catalogue import normalise_lang
from roster.repository import RosterRepository
from storage.db import Database

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# A stream sends a comment at least this often, so a dead connection is noticed and dropped.
KEEPALIVE_SECONDS = 20.0
# …and a fresh snapshot this often even without a change (times, expiry, revocation).
REFRESH_SECONDS = 60.0
# Taps come in bursts: one screen is redrawn at most this often (well inside 2 s).
MIN_PUSH_INTERVAL = 0.4
WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:"
)
UpdateSink = Callable[[Any], Awaitable[dict[str, Any] | None]]


@dataclass
class Webhook:
    path: str
    secret: str
    sink: UpdateSink


class DashboardServer:
    def __init__(
        self,
        db: Database,
        *,
        bot_token: str,
        clock: Clock,
        hub: ChangeHub,
        config: PageConfig,
        language: str,
        dashboard: bool = True,
    ) -> None:
        self.db = db
        self.bot_token = bot_token
        self.clock = clock
        self.hub = hub
        self.config = config
        self.language = language
        self.dashboard = dashboard
        self.keys = DashboardKeys(db)
        self.roster = RosterRepository(db)
        self.cache = RosterCache()
        self.webhook: Webhook | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()

    # --- life cycle ------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024**2)
        if self.dashboard:
            app.router.add_get("/", self._index)
            app.router.add_get("/api/page", self._page)
            app.router.add_get("/api/stream", self._stream)
            app.router.add_static("/static/", STATIC, follow_symlinks=False)
        app.router.add_post("/{path:.*}", self._webhook)
        app.on_response_prepare.append(_security_headers)
        return app

    async def start(self, host: str, port: int) -> int:
        """Listen; returns the port (a free one when `port` is 0)."""
        self._closing = asyncio.Event()
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        return self.port

    async def stop(self) -> None:
        self._closing.set()
        self.hub.wake_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- who is asking ---------------------------------------------------------------
    async def viewer(self, request: web.Request) -> Viewer:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        now = self.clock.now()
        keys = await self.keys.current(now)
        if scheme == "tma":
            user = verify_init_data(credential, self.bot_token, now)
            if user.auth_date < keys.revoked_at:
                raise Unauthorized("revoked")
            found = await self._person(user.id, user.language_code)
        elif scheme == "link":
            claims = verify_link(credential, keys.secret, now)
            if claims.telegram_id is None:
                found = Viewer.wall_screen(self.language, claims.team)
            else:
                found = await self._person(claims.telegram_id, None)
        else:
            raise Unauthorized("no credentials")
        wanted = request.query.get("lang")
        if wanted in ("zh", "en"):
            found = found.in_language(wanted)
        return found

    async def _person(self, telegram_id: int, telegram_language: str | None) -> Viewer:
        # Roles are read now, not when the link was made: a leader who stepped down is out.
        default = normalise_lang(self.language)
        actor = await self.roster.actor(telegram_id, telegram_language, default)
        viewer = Viewer.of(actor)
        if viewer is None:
            raise Unauthorized("leaders and coordinators only")
        return viewer

    # --- routes -----------------------------------------------------------------------
    async def _index(self, _: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def _page(self, request: web.Request) -> web.Response:
        try:
            viewer = await self.viewer(request)
        except Unauthorized:
            return _unauthorized()
        page = await build_page(self.db, viewer, self.config, self.clock.now(), self.cache)
        return web.json_response(page, dumps=_dumps, headers={"Cache-Control": "no-store"})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        try:
            viewer = await self.viewer(request)
        except Unauthorized:
            return _unauthorized()
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",  # nginx: pass events through at once
            }
        )
        await response.prepare(request)
        with self.hub.subscribe() as changes:
            try:
                await self._send_page(response, viewer)
                refreshed = time.monotonic()
                while not self._closing.is_set():
                    changed = await changes.wait(KEEPALIVE_SECONDS)
                    if self._closing.is_set():
                        break
                    stale = time.monotonic() - refreshed >= REFRESH_SECONDS
                    if not changed and not stale:
                        await response.write(b": keepalive\n\n")
                        continue
                    try:  # a revoked or expired link ends the stream at the next change
                        viewer = await self.viewer(request)
                    except Unauthorized:
                        await response.write(b"event: unauthorized\ndata: {}\n\n")
                        break
                    await self._send_page(response, viewer)
                    refreshed = time.monotonic()
                    # A burst of taps: the ones arriving meanwhile make the next snapshot.
                    await asyncio.sleep(MIN_PUSH_INTERVAL)
            except ConnectionError:
                pass  # the screen went away; the subscription ends with this block
        return response

    async def _send_page(self, response: web.StreamResponse, viewer: Viewer) -> None:
        page = await build_page(self.db, viewer, self.config, self.clock.now(), self.cache)
        await response.write(b"event: page\ndata: " + _dumps(page).encode() + b"\n\n")

    async def _webhook(self, request: web.Request) -> web.Response:
        hook = self.webhook
        if hook is None or request.path.strip("/") != hook.path.strip("/"):
            raise web.HTTPNotFound()
        given = request.headers.get(WEBHOOK_SECRET_HEADER, "")
        if not hmac.compare_digest(given, hook.secret):
            raise web.HTTPForbidden()
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError):
            raise web.HTTPBadRequest() from None
        # The sink may give a Bot API call for Telegram to run: the answer to a tap.
        call = await hook.sink(data)
        return web.json_response(call) if call else web.Response()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unauthorized() -> web.Response:
    return web.json_response({"error": "unauthorized"}, status=401)


async def _security_headers(_: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
