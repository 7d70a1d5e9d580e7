"""The sandbox's model of Telegram: chats, messages, files, updates and callback queries.

Everything runs on one asyncio loop, so plain data structures suffice; the only
synchronisation is ``Notifier``, a condition variable that sync code can signal too.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

JsonDict = dict[str, Any]
T = TypeVar("T")

# Update kinds Telegram leaves out unless allowed_updates asks for them explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Notifier:
    """A condition variable for one event loop that can also be signalled from sync code.

    Every state change calls ``notify``; waiters re-check their predicate then. This keeps
    the waiting helpers free of sleep-polling while letting sync methods such as
    ``BotApiSandbox.block`` wake them.
    """

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_for(self, check: Callable[[], T | None], within: float) -> T:
        """Return the first non-None ``check()`` result; raise TimeoutError after ``within`` s."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(max(within, 0.0)):
            while True:
                result = check()
                if result is not None:
                    return result
                waiter: asyncio.Future[None] = loop.create_future()
                self._waiters.add(waiter)
                try:
                    await waiter
                finally:
                    self._waiters.discard(waiter)


class SlidingWindowLimiter:
    """At most ``limit`` admissions in any ``window``-second span (Telegram's ~30 msg/s)."""

    def __init__(self, limit: int, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._admitted: deque[float] = deque()

    def wait(self, now: float) -> float | None:
        """None if a call at ``now`` would be admitted, else seconds until a slot frees."""
        while self._admitted and self._admitted[0] <= now - self.window:
            self._admitted.popleft()
        if len(self._admitted) >= self.limit:
            return self._admitted[0] + self.window - now
        return None

    def try_admit(self, now: float) -> float | None:
        """Admit a call at ``now`` and return None, or return seconds until a slot frees."""
        wait = self.wait(now)
        if wait is None:
            self._admitted.append(now)
        return wait


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "document", "photo", ... (the Message field it appears under)
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    width: int = 0
    height: int = 0

    @property
    def file_size(self) -> int:
        return len(self.data)


@dataclass
class StoredMessage:
    data: JsonDict
    outgoing: bool  # sent by the bot
    deleted: bool = False


@dataclass
class ChatState:
    chat: JsonDict  # the Chat object as it appears in messages
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    # Snapshots of bot messages after every send and edit, oldest first; SimUsers consume them.
    events: list[JsonDict] = field(default_factory=list)
    reply_keyboard: JsonDict | None = None
    menu_button: JsonDict | None = None
    _next_message_id: int = 1

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        return bool(self.chat["type"] == "private")

    def take_message_id(self) -> int:
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def live_message(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        return None if stored is None or stored.deleted else stored


@dataclass
class CallbackRecord:
    query_id: str
    chat_id: int
    message_id: int
    created: float  # monotonic
    answer: JsonDict | None = None


@dataclass
class World:
    """All mutable sandbox state. Methods mutate it and call ``changed``."""

    notifier: Notifier = field(default_factory=Notifier)
    chats: dict[int, ChatState] = field(default_factory=dict)
    users: dict[int, JsonDict] = field(default_factory=dict)  # User objects of SimUsers
    blocked: set[int] = field(default_factory=set)
    # Users who never wrote to the bot: Telegram does not let a bot message them first.
    not_started: set[int] = field(default_factory=set)
    files: dict[str, StoredFile] = field(default_factory=dict)
    files_by_path: dict[str, StoredFile] = field(default_factory=dict)
    updates: list[JsonDict] = field(default_factory=list)  # unconfirmed, oldest first
    allowed_updates: list[str] = field(default_factory=list)
    callback_queries: dict[str, CallbackRecord] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JsonDict]] = field(default_factory=dict)
    webhook: JsonDict = field(default_factory=dict)
    webhook_secret: str = ""  # sent with each webhook POST; not part of getWebhookInfo
    default_menu_button: JsonDict | None = None
    bot: JsonDict = field(default_factory=dict)  # the bot as last seen through a token
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100_000_001))
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _query_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def changed(self) -> None:
        self.notifier.notify()

    # --- chats and messages --------------------------------------------------------------

    def add_chat(self, chat: JsonDict) -> ChatState:
        state = self.chats.get(int(chat["id"]))
        if state is None:
            state = self.chats[int(chat["id"])] = ChatState(chat)
        return state

    def find_chat(self, chat_id: int | str) -> ChatState | None:
        if isinstance(chat_id, int):
            return self.chats.get(chat_id)
        username = chat_id.removeprefix("@").lower()
        return next(
            (c for c in self.chats.values() if str(c.chat.get("username", "")).lower() == username),
            None,
        )

    def add_message(
        self, chat: ChatState, sender: JsonDict, content: JsonDict, *, outgoing: bool
    ) -> JsonDict:
        message: JsonDict = {
            "message_id": chat.take_message_id(),
            "from": dict(sender),
            "chat": dict(chat.chat),
            "date": int(time.time()),
            **content,
        }
        chat.messages[message["message_id"]] = StoredMessage(message, outgoing)
        if outgoing:
            chat.events.append(copy.deepcopy(message))
        self.changed()
        return copy.deepcopy(message)

    def replace_message(self, chat: ChatState, message: JsonDict) -> JsonDict:
        """Store an edited bot message; it becomes a new event for waiting SimUsers."""
        stored = chat.messages[message["message_id"]]
        stored.data = message
        chat.events.append(copy.deepcopy(message))
        self.changed()
        return copy.deepcopy(message)

    # --- files ---------------------------------------------------------------------------

    def store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None,
        mime_type: str | None,
        width: int = 0,
        height: int = 0,
    ) -> StoredFile:
        number = next(self._file_ids)
        folder = "photos" if kind == "photo" else f"{kind}s"
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        elif kind == "photo":
            suffix = ".jpg"
        stored = StoredFile(
            # Shaped like real ids (opaque, URL-safe) so nobody is tempted to parse them.
            file_id=f"{_FILE_ID_PREFIX.get(kind, 'CQAC')}AgADsandbox{number:06d}",
            file_unique_id=f"AQADsb{number:06d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}{suffix}",
            width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # --- updates -------------------------------------------------------------------------

    def push_update(self, kind: str, payload: JsonDict) -> JsonDict:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self.updates.append(update)
        self.changed()
        return copy.deepcopy(update)

    def is_allowed(self, update: JsonDict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _OPT_IN_UPDATES

    def new_query_id(self) -> str:
        # Real ids are large decimal strings; keep the shape.
        return str(4_300_000_000_000_000_000 + next(self._query_ids))


_FILE_ID_PREFIX = {"document": "BQAC", "photo": "AgAC", "audio": "CQAC", "video": "BAAC"}
