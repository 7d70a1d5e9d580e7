"""The callout service's Notifier port over Telegram: sends, edits, the board, timers.

The board is redrawn at most about once a second per callout however many taps
arrive: `BoardEditor` keeps one task per callout that edits, waits out the
interval, and edits again only if something changed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes

from bot.answers import FastAnswers
from bot.callback_codec import encode
from bot.dialog_actions import DialogAction
from bot.jobs import run_once_at
from bot.ratelimit import PacedRateLimiter
from bot.services import services_of
from bot.texts import split_text
from common.clock import Clock
from missions.actions import Action
from missions.delivery import retry_delays, until_delivered
from missions.model import GeoPoint
from missions.ports import (
    BLOCKED,
    CHAT_NOT_FOUND,
    FAILED,
    NOT_STARTED,
    UNREACHABLE,
    Buttons,
    Delivery,
)
from missions.service import PAGE_WORKERS, REPLY_PATIENCE, CalloutConfig, CalloutService

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
SERVICE_KEY = "callout_service"
BOARD_INTERVAL = 1.0  # seconds between two edits of one board
T = TypeVar("T")
PAID_PAGE_WORKERS = 32  # paid broadcasts go at up to 1,000 a second


# A button's label and what it asks for: the service's `Buttons`, or the dialog's steps.
Keys = Sequence[Sequence[tuple[str, str | Action | DialogAction]]]


def callback_data(data: str | Action | DialogAction) -> str:
    """A button's callback data: the service's actions and the dialog's steps encoded by
    bot/callback_codec.py, and only there (text passes as it is)."""
    return data if isinstance(data, str) else encode(data)


def markup(buttons: Keys | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=callback_data(data)) for label, data in row]
            for row in buttons
        ]
    )


# How long the leader's board waits for Telegram's answer before counting as unreachable:
# a board that arrives after the client gave up would otherwise be sent again, and the
# leader would get several boards of which only the last is kept up to date.
PATIENT_TIMEOUT = 120.0  # seconds


class Unreachable(Exception):
    """Telegram could not be reached for a board redraw; the editor tries again."""


class BoardEditor:
    """Coalesces board redraws: one edit in flight per callout, at most one per interval."""

    def __init__(
        self,
        redraw: Callable[[int], Awaitable[None]],
        interval: float = BOARD_INTERVAL,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]] | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> None:
        self._redraw = redraw
        self._keep_going = keep_going
        self._spawn = spawn or (lambda work: asyncio.get_running_loop().create_task(work))
        self._interval = interval
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last: dict[int, float] = {}
        self._hurry = asyncio.Event()
        self._retrying: set[int] = set()

    def hurry(self) -> None:
        """From now on redraws go at once. The bot calls it when it stops taking updates:
        no later tap can join a pending redraw, so waiting out the interval would only
        hold up the stop."""
        self._hurry.set()

    async def _wait_turn(self, callout_id: int) -> None:
        """The interval since the last redraw (cut short by `hurry`), or the retry delay
        after Telegram could not be reached (never cut short: no hammering an outage)."""
        wait = self._last.get(callout_id, 0.0) + self._interval - time.monotonic()
        if wait <= 0:
            return
        if callout_id in self._retrying:
            await asyncio.sleep(wait)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._hurry.wait(), wait)

    def changed(self, callout_id: int) -> None:
        self._dirty.add(callout_id)
        if callout_id not in self._tasks:
            self._tasks[callout_id] = self._spawn(self._run(callout_id))

    async def _run(self, callout_id: int) -> None:
        backoff = retry_delays()
        try:
            while callout_id in self._dirty:
                await self._wait_turn(callout_id)
                self._retrying.discard(callout_id)
                self._dirty.discard(callout_id)
                self._last[callout_id] = time.monotonic()
                try:
                    await self._redraw(callout_id)
                except Unreachable:
                    if not self._keep_going():
                        # Stopping mid-outage: a stop must not wait for Telegram to return.
                        return
                    # Never dropped: drawn again (from the database, so up to date) once
                    # Telegram answers, at the retry pace.
                    self._dirty.add(callout_id)
                    self._last[callout_id] = time.monotonic() + next(backoff) - self._interval
                    self._retrying.add(callout_id)
                except Exception:  # a failed redraw must not stop later ones
                    log.exception("board redraw failed")
                else:
                    backoff = retry_delays()
        finally:
            self._tasks.pop(callout_id, None)

    async def flush(self, grace: float | None = None) -> int:
        """Wait for pending redraws (tests), or at a stop for `grace` seconds at most, then
        cancel the rest (a board is drawn from the database: the next change redraws it).
        How many were cut short."""
        deadline = None if grace is None else time.monotonic() + grace
        while self._tasks:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            await asyncio.wait(list(self._tasks.values()), timeout=left)
        cut = list(self._tasks.values())
        for task in cut:
            task.cancel()
        await asyncio.gather(*cut, return_exceptions=True)
        return len(cut)

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()


class TelegramNotifier:
    def __init__(self, app: App, clock: Clock, *, paid_broadcast: bool = False) -> None:
        self.app = app
        self.clock = clock
        self.paid_broadcast = paid_broadcast
        self.service: CalloutService | None = None
        self.boards = BoardEditor(self._redraw, spawn=self.spawn, keep_going=self.keep_going)
        self._seen_running = False

    def keep_going(self) -> bool:
        """False once the bot is stopping (it was running and is no longer)."""
        if self.app.running:
            self._seen_running = True
            return True
        return not self._seen_running

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Not `Application.create_task`: its `stop()` would wait for every follow-up without
        a bound. The service and the board editor track their own and give them a grace at
        the stop (bot/handlers/callouts.py `on_shutdown`)."""
        return asyncio.get_running_loop().create_task(work)

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None = None,
        *,
        location: GeoPoint | None = None,
        reply_to: int | None = None,
        page: bool = False,
        patient: bool = False,
    ) -> Delivery:
        """One message, or several on line boundaries when the text is over Telegram's
        4096 characters (a phone list of hundreds silent at 2 a.m. must not be refused as
        too long); the buttons and the map pin go with the last."""
        *head, last = split_text(text)
        for part in head:
            delivery = await self._send_one(
                chat_id, part, None, location=None, reply_to=reply_to, page=page, patient=patient
            )
            if delivery.message_id is None:
                return delivery
        return await self._send_one(
            chat_id,
            last,
            buttons,
            location=location,
            reply_to=reply_to,
            page=page,
            patient=patient,
        )

    async def _send_one(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None,
        *,
        location: GeoPoint | None,
        reply_to: int | None,
        page: bool,
        patient: bool,
    ) -> Delivery:
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        paid = page and self.paid_broadcast
        patience: dict[str, float] = {"read_timeout": PATIENT_TIMEOUT} if patient else {}
        try:
            if page and reply is None:
                message_id = await self._send_page(chat_id, text, buttons, paid)
            else:
                message_id = (
                    await self.app.bot.send_message(
                        chat_id,
                        text,
                        reply_markup=markup(buttons),
                        reply_parameters=reply,
                        allow_paid_broadcast=paid or None,
                        **patience,
                    )
                ).message_id
        except TelegramError as exc:
            return Delivery(failure=failure_of(exc))
        if location is not None:
            try:
                await self.app.bot.send_location(
                    chat_id,
                    location.latitude,
                    location.longitude,
                    reply_parameters=ReplyParameters(message_id, allow_sending_without_reply=True),
                    allow_paid_broadcast=paid or None,
                )
            except TelegramError as exc:  # the page arrived; the pin is a bonus
                log.warning("map pin not sent: %s", exc)
        return Delivery(message_id=message_id)

    async def _send_page(self, chat_id: int, text: str, buttons: Buttons | None, paid: bool) -> int:
        """A page on the lean path (bot/answers.py) when the bot has one: thousands of pages
        through PTB's general pipeline cost more CPU than the pace allows at 1,000/s."""
        bot = self.app.bot
        lean = getattr(bot, "fast_answers", None)
        limiter = getattr(bot, "rate_limiter", None)
        if not isinstance(lean, FastAnswers) or not isinstance(limiter, PacedRateLimiter):
            sent = await bot.send_message(
                chat_id, text, reply_markup=markup(buttons), allow_paid_broadcast=paid or None
            )
            return int(sent.message_id)
        keyboard = markup(buttons)
        return await limiter.paced(
            chat_id,
            "sendMessage",
            lambda: lean.send_message(
                chat_id,
                text,
                keyboard.to_dict() if keyboard else None,
                allow_paid_broadcast=paid,
            ),
            paid=paid,
        )

    async def edit(
        self, chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> bool:
        try:
            await self._edit(chat_id, message_id, text, buttons)
        except Unreachable as exc:
            log.warning("edit failed, Telegram unreachable: %s", exc)
            return False
        return True

    async def _edit(
        self, chat_id: int, message_id: int, text: str | None, buttons: Buttons | None
    ) -> None:
        """Raises Unreachable if Telegram could not be reached; other failures are logged."""
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
        except NetworkError as exc:
            raise Unreachable(str(exc)) from exc
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
        # Every board is tried; if Telegram was unreachable for any, the redraw is retried
        # (as the caller's board alone was).
        results = await asyncio.gather(
            *(self._edit(*board) for board in boards), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    def schedule_escalation(self, callout_id: int, at: datetime) -> None:
        name = f"callout-escalation-{callout_id}"
        run_once_at(self.app, self.clock, name, _escalation_job, callout_id, at)


async def reply_until_delivered(message: Message, notifier: Any, text: str) -> Delivery:
    """Answer a command, trying again while Telegram is unreachable (for REPLY_PATIENCE,
    and while the bot runs): the leader must hear that the callout went out."""
    deadline = time.monotonic() + REPLY_PATIENCE
    keep_going = notifier.keep_going if isinstance(notifier, TelegramNotifier) else lambda: True

    async def send() -> Delivery:
        try:
            sent = await message.reply_text(text, read_timeout=PATIENT_TIMEOUT)
            return Delivery(message_id=sent.message_id)
        except TelegramError as exc:
            return Delivery(failure=failure_of(exc))

    async def wanted() -> bool:
        return keep_going() and time.monotonic() < deadline

    return await until_delivered(send, wanted)


def failure_of(exc: TelegramError) -> str:
    """Why a message did not arrive, as the board shows it (UNREACHABLE: try again)."""
    if isinstance(exc, Forbidden):
        return NOT_STARTED if "initiate" in exc.message.lower() else BLOCKED
    if isinstance(exc, BadRequest):  # PTB files "bad request" under network errors
        if "chat not found" in exc.message.lower():
            return CHAT_NOT_FOUND
        log.warning("message not sent: %s", exc.message)
        return FAILED
    if isinstance(exc, NetworkError):  # connection trouble, timeouts, Telegram's 5xx
        log.warning("Telegram unreachable, will try again: %s", exc)
        return UNREACHABLE
    log.warning("message not sent: %s", exc)
    return FAILED


async def _escalation_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None
    callout_id = job.data
    assert isinstance(callout_id, int)
    service = callout_service(context.application)
    # A follow-up, not the job itself: a round of thousands of reminders at the free pace
    # would otherwise hold the JobQueue's stop (it waits for running jobs, unbounded).
    service.spawn(service.escalate(callout_id))


def hurry_boards(app: App) -> None:
    """Pending board redraws go now: the bot is stopping (see `BoardEditor.hurry`)."""
    found = app.bot_data.get(SERVICE_KEY)
    if isinstance(found, CalloutService) and isinstance(found.notifier, TelegramNotifier):
        found.notifier.boards.hurry()


def callout_service(app: App) -> CalloutService:
    """The one CalloutService of this application, built on first use."""
    found = app.bot_data.get(SERVICE_KEY)
    if isinstance(found, CalloutService):
        return found
    services = services_of(app)
    settings = services.settings
    notifier = TelegramNotifier(app, services.clock, paid_broadcast=settings.paid_broadcast)
    service = CalloutService(
        services.db,
        services.roster.repository,
        notifier,
        services.clock,
        CalloutConfig(
            language=settings.language,
            escalate_minutes=settings.escalate_minutes,
            tz=settings.tz,
            mission_target=settings.mission_target,
            page_workers=PAID_PAGE_WORKERS if settings.paid_broadcast else PAGE_WORKERS,
        ),
        spawn=notifier.spawn,
        keep_going=notifier.keep_going,
    )
    notifier.service = service
    app.bot_data[SERVICE_KEY] = service
    return service
