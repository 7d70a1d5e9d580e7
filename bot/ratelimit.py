"""Outgoing pace: just under Telegram's limits, and nothing at all while a 429 pause runs.

Telegram counts about 30 messages to different chats in any one-second window (and about
20 a minute per group, and about one a second per private chat, with short bursts
allowed) and answers more with 429 and a `retry_after`. `Pacer` keeps one sliding window
per limit and hands out a slot only when every window that applies has room:

- A request counts from when it was sent until Telegram answered it (`Window.release`),
  so one that took a while on the wire still counts where Telegram counted it: the
  window is not overrun by jitter. (The price: each slot is busy for the round trip
  too, so a slow link paces a little below the limit.)
- A 429 pauses everything for its `retry_after`. Nothing is handed out meanwhile, so the
  pause does not end in a burst that earns the next 429; the slots waiting for the window
  anyway overlap the pause, so one 429 costs at most its pause.
- Replies go before redraws: in one chat, edits of messages already sent (the board's
  redraws, coalesced anyway) use only part of the chat's window, the rest kept for sends,
  and a waiting send goes before a waiting edit; sends to a chat keep their order.
- Messages sent with `allow_paid_broadcast` have their own window of 1,000 a second
  (Telegram charges Stars for them above the free limit; see the README).

`PacedRateLimiter` plugs the pacer into python-telegram-bot: every request to a chat waits
for a slot; requests without a chat (answerCallbackQuery, getUpdates, getMe) go at once,
so taps are answered even mid-fan-out. A 429 is waited out and the request sent again,
however often: a page or the leader's board is never dropped for a flood limit.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

MESSAGES_PER_SECOND = 29  # Telegram: ~30 to different chats in any second
PAID_MESSAGES_PER_SECOND = 1000  # with allow_paid_broadcast
GROUP_MESSAGES_PER_MINUTE = 20
# One private chat: about one a second, short bursts allowed.
CHAT_BURST = 3
CHAT_BURST_SECONDS = 3.0
# A request counts from its send until its answer: Telegram counted it somewhere between the
# two, so only the answer is a safe bound (on a loaded machine a request can spend a good
# part of a second in flight). One that takes longer still than this counts from
# its send plus this much, so a hung request does not hold a slot for long.
ANSWER_SLACK = 1.0

INFLIGHT = float("inf")
T = TypeVar("T")
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class Window:
    """At most `limit` requests in any `seconds`-long span. A request counts from when it
    is sent until its answer (`release`); one in flight counts as ongoing."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._in_flight = 0
        self._ends: list[float] = []  # a heap: when each answered request was last seen

    def wait(self, now: float, limit: int | None = None) -> float:
        """Seconds until there is room (0: now; inf: only once a request in flight returns);
        `limit`: room below that many instead of the window's own limit."""
        ends = self._ends
        while ends and ends[0] + self.seconds <= now:
            heapq.heappop(ends)
        room_below = self.limit if limit is None else limit
        over = len(ends) + self._in_flight - room_below
        if over < 0:
            return 0.0
        if over >= len(ends):
            return INFLIGHT
        return heapq.nsmallest(over + 1, ends)[-1] + self.seconds - now

    @property
    def idle(self) -> bool:
        return not self._ends and not self._in_flight

    def take(self) -> None:
        self._in_flight += 1

    def release(self, sent: float, answered: float) -> None:
        """The request sent at `sent` was answered at `answered`."""
        self._in_flight -= 1
        heapq.heappush(self._ends, min(answered, sent + ANSWER_SLACK))


def edit_share(limit: int) -> int:
    """How much of a chat's window edits may use: the rest is kept for sends."""
    return max(1, limit - max(1, limit // 4))


def is_edit(endpoint: str) -> bool:
    """Edits of a message already sent (the board's redraws, a page after a tap)."""
    return endpoint.startswith("editMessage")


class ChatTurn:
    """One chat's window and its queue: sends in order, each before any waiting edit."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.edit_limit = edit_share(window.limit)
        self.sends: deque[object] = deque()
        self.edits: deque[object] = deque()
        self.busy = False  # one request of this chat is queued for the shared window

    def remaining(self, now: float, ticket: object, edit: bool) -> float:
        """Seconds until `ticket` may go on to the shared window (inf: not its turn yet)."""
        if self.busy:
            return INFLIGHT
        if edit:
            if self.sends or self.edits[0] is not ticket:
                return INFLIGHT
            return self.window.wait(now, self.edit_limit)
        if self.sends[0] is not ticket:
            return INFLIGHT
        return self.window.wait(now)

    @property
    def idle(self) -> bool:
        return not self.busy and not self.sends and not self.edits


class Pacer:
    """The windows of one bot, and the pause that follows a 429."""

    def __init__(
        self,
        per_second: int = MESSAGES_PER_SECOND,
        *,
        paid_per_second: int = PAID_MESSAGES_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = Window(per_second, 1.0)
        self.paid = Window(paid_per_second, 1.0)
        self._chats: dict[int, ChatTurn] = {}
        self._clock = clock
        self._paused_until = 0.0
        self._waiters: set[asyncio.Future[None]] = set()
        self._turn = asyncio.Lock()  # first come, first served

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._wake()

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def recheck(self) -> None:
        """Every waiting request looks at the windows again (after the clock moved)."""
        self._wake()

    def _chat(self, chat_id: int) -> ChatTurn:
        found = self._chats.get(chat_id)
        if found is None:
            if len(self._chats) > 10_000:  # private chats are many; each needs a window briefly
                now = self._clock()
                self._chats = {
                    k: turn
                    for k, turn in self._chats.items()
                    if not turn.idle or turn.window.wait(now) > 0 or not turn.window.idle
                }
            window = (
                Window(GROUP_MESSAGES_PER_MINUTE, 60.0)
                if chat_id < 0
                else Window(CHAT_BURST, CHAT_BURST_SECONDS)
            )
            found = self._chats[chat_id] = ChatTurn(window)
        return found

    async def slot(
        self, chat_id: int, *, paid: bool = False, edit: bool = False
    ) -> Callable[[], None]:
        """Wait for room in every window that applies; returns the function to call once
        Telegram has answered. An edit (`edit=True`) uses only part of its chat's window
        and waits while a send to the chat waits, so a reply never queues behind redraws."""
        chat = self._chat(chat_id)
        window = chat.window
        overall = self.paid if paid else self.free
        limit = chat.edit_limit if edit else window.limit
        ticket = object()
        queue = chat.edits if edit else chat.sends
        queue.append(ticket)
        # A chat's own limit is waited out before queueing for the shared window, so a
        # busy chat (the leader's) never holds up pages to everyone else.
        try:
            await self._until(lambda now: chat.remaining(now, ticket, edit))
        except BaseException:  # cancelled: the next in this chat may be able to go
            queue.remove(ticket)
            self._wake()
            raise
        queue.remove(ticket)
        chat.busy = True  # the next of this chat waits until this one is sent: in order
        try:
            async with self._turn:
                await self._until(
                    lambda now: max(
                        self._paused_until - now, overall.wait(now), window.wait(now, limit)
                    )
                )
                window.take()
                overall.take()
                sent = self._clock()
        finally:
            chat.busy = False
            self._wake()

        def done() -> None:
            answered = self._clock()
            window.release(sent, answered)
            overall.release(sent, answered)
            self._wake()

        return done

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def _until(self, remaining: Callable[[float], float]) -> None:
        """Wait until `remaining(now)` is 0, re-checking whenever a request returns."""
        loop = asyncio.get_running_loop()
        while True:
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            wait = remaining(self._clock())
            if wait <= 0:
                self._waiters.discard(waiter)
                return
            try:
                await asyncio.wait({waiter}, timeout=None if wait == INFLIGHT else wait)
            finally:
                self._waiters.discard(waiter)


def chat_of(data: dict[str, Any]) -> int | None:
    raw = data.get("chat_id")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        return int(raw)
    return None


class PacedRateLimiter(BaseRateLimiter[None]):
    def __init__(self, pacer: Pacer | None = None) -> None:
        self.pacer = pacer or Pacer()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        chat_id = chat_of(data)
        paid = bool(data.get("allow_paid_broadcast"))
        return await self.paced(chat_id, endpoint, lambda: callback(*args, **kwargs), paid=paid)

    async def paced(
        self,
        chat_id: int | None,
        endpoint: str,
        call: Callable[[], Coroutine[Any, Any, T]],
        *,
        paid: bool = False,
    ) -> T:
        """`call()` in its turn (a request to a chat), waiting out 429s and trying again."""
        while True:
            if chat_id is None:
                done: Callable[[], None] | None = None
            else:
                done = await self.pacer.slot(chat_id, paid=paid, edit=is_edit(endpoint))
            try:
                return await call()
            except RetryAfter as exc:
                seconds = exc.retry_after
                wait = float(seconds) if isinstance(seconds, int) else seconds.total_seconds()
                log.warning(
                    "429 from Telegram: waiting %.0f s, then sending %s again", wait, endpoint
                )
                self.pacer.pause(wait)
                if chat_id is None:
                    await asyncio.sleep(wait)  # waiting out Telegram's own pause
            finally:
                if done is not None:
                    done()


def make_rate_limiter(per_second: int = MESSAGES_PER_SECOND) -> PacedRateLimiter:
    return PacedRateLimiter(Pacer(per_second))
