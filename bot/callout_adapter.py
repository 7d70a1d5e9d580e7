"""The callout service's Notifier port over Telegram: sends, edits, the board, timers.

The board is redrawn at most about once a second per callout however many taps
arrive: `BoardEditor` keeps one task per callout that edits, waits out the
interval, and edits again only if something changed meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes

from bot.jobs import run_once_at
from bot.services import services_of
from common.clock import Clock
from missions.model import GeoPoint
from missions.ports import BLOCKED, CHAT_NOT_FOUND, FAILED, Buttons, Delivery
from missions.service import CalloutConfig, CalloutService

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
SERVICE_KEY = "callout_service"
BOARD_INTERVAL = 1.0  # seconds between two edits of one board
T = TypeVar("T")


def markup(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


NETWORK_RETRY_DELAYS = (1.0, 3.0, 10.0)


async def with_network_retries(
    call: Callable[[], Awaitable[T]], delays: tuple[float, ...] = NETWORK_RETRY_DELAYS
) -> T:
    """Try again after a network failure (a storm night's flaky uplink).

    A timed-out send may in fact have arrived, so a page can come twice; a page
    that never comes is worse. Telegram's own answers (403, 400, 429 — the last
    waited out by the rate limiter) are not network failures and are not retried.
    """
    for delay in delays:
        try:
            return await call()
        except NetworkError as exc:
            if isinstance(exc, BadRequest):  # PTB files "bad request" under network errors
                raise
            log.warning("network trouble, retrying in %.0f s: %s", delay, exc)
            await asyncio.sleep(delay)
    return await call()


class BoardEditor:
    """Coalesces board redraws: one edit in flight per callout, at most one per interval."""

    def __init__(
        self,
        redraw: Callable[[int], Awaitable[None]],
        interval: float = BOARD_INTERVAL,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]] | None = None,
    ) -> None:
        self._redraw = redraw
        self._spawn = spawn or (lambda work: asyncio.get_running_loop().create_task(work))
        self._interval = interval
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last: dict[int, float] = {}

    def changed(self, callout_id: int) -> None:
        self._dirty.add(callout_id)
        if callout_id not in self._tasks:
            self._tasks[callout_id] = self._spawn(self._run(callout_id))

    async def _run(self, callout_id: int) -> None:
        try:
            while callout_id in self._dirty:
                wait = self._last.get(callout_id, 0.0) + self._interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty.discard(callout_id)
                self._last[callout_id] = time.monotonic()
                try:
                    await self._redraw(callout_id)
                except Exception:  # a failed redraw must not stop later ones
                    log.exception("board redraw failed")
        finally:
            self._tasks.pop(callout_id, None)

    async def flush(self) -> None:
        """Wait for pending redraws (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()


class TelegramNotifier:
    def __init__(self, app: App, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.service: CalloutService | None = None
        self.boards = BoardEditor(self._redraw, spawn=self.spawn)

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Tracked by the Application while it runs, so `stop()` waits for it."""
        if self.app.running:
            return self.app.create_task(work)
        return asyncio.get_running_loop().create_task(work)

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None = None,
        *,
        location: GeoPoint | None = None,
        reply_to: int | None = None,
    ) -> Delivery:
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            message = await with_network_retries(
                lambda: self.app.bot.send_message(
                    chat_id, text, reply_markup=markup(buttons), reply_parameters=reply
                )
            )
        except Forbidden:
            return Delivery(failure=BLOCKED)
        except BadRequest as exc:
            found = "chat not found" in exc.message.lower()
            if not found:
                log.warning("message not sent: %s", exc.message)
            return Delivery(failure=CHAT_NOT_FOUND if found else FAILED)
        except TelegramError as exc:
            log.warning("message not sent: %s", exc)
            return Delivery(failure=FAILED)
        if location is not None:
            try:
                await self.app.bot.send_location(
                    chat_id,
                    location.latitude,
                    location.longitude,
                    reply_parameters=ReplyParameters(
                        message.message_id, allow_sending_without_reply=True
                    ),
                )
            except TelegramError as exc:  # the page arrived; the pin is a bonus
                log.warning("map pin not sent: %s", exc)
        return Delivery(message_id=message.message_id)

    async def edit(
        self, chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> None:
        try:
            if text is None:
                await self.app.bot.edit_message_reply_markup(
                    chat_id, message_id, reply_markup=markup(buttons)
                )
            else:
                await self.app.bot.edit_message_text(
                    text, chat_id, message_id, reply_markup=markup(buttons)
                )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                log.warning("edit failed: %s", exc.message)
        except TelegramError as exc:
            log.warning("edit failed: %s", exc)

    def board_changed(self, callout_id: int) -> None:
        services_of(self.app).changes.publish(callout_id)  # open dashboards read it again
        if self.app.running:  # a redraw started while stopping would outlive the database
            self.boards.changed(callout_id)

    async def _redraw(self, callout_id: int) -> None:
        assert self.service is not None
        found = await self.service.board_for_caller(callout_id)
        # The teams' boards of a callout of several teams follow the caller's, in the same
        # coalesced redraw (so each board too is edited at most about once a second).
        boards = await self.service.team_boards.boards(callout_id)
        if found is not None:
            boards.insert(0, found)
        await asyncio.gather(*(self.edit(*board) for board in boards))

    def schedule_escalation(self, callout_id: int, at: datetime) -> None:
        name = f"callout-escalation-{callout_id}"
        run_once_at(self.app, self.clock, name, _escalation_job, callout_id, at)


async def _escalation_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None
    callout_id = job.data
    assert isinstance(callout_id, int)
    await callout_service(context.application).escalate(callout_id)


def callout_service(app: App) -> CalloutService:
    """The one CalloutService of this application, built on first use."""
    found = app.bot_data.get(SERVICE_KEY)
    if isinstance(found, CalloutService):
        return found
    services = services_of(app)
    settings = services.settings
    notifier = TelegramNotifier(app, services.clock)
    service = CalloutService(
        services.db,
        services.roster,
        notifier,
        services.clock,
        CalloutConfig(
            language=settings.language,
            escalate_minutes=settings.escalate_minutes,
            tz=settings.tz,
            mission_target=settings.mission_target,
        ),
        spawn=notifier.spawn,
    )
    notifier.service = service
    app.bot_data[SERVICE_KEY] = service
    return service
