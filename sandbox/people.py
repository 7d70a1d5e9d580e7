"""Simulated Telegram users: they talk to the bot by producing updates and read what it sent."""

from __future__ import annotations

import copy
import mimetypes
import re
import time
from collections.abc import Callable
from typing import Any, Literal

from sandbox.formatting import utf16_len
from sandbox.methods import image_size
from sandbox.state import CallbackRecord, ChatState, JsonDict, World

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def chat_instance(chat_id: int) -> str:
    # Stable per chat, opaque like Telegram's.
    return str((chat_id * 2_654_435_761) % 10**19)


def _text_of(message: JsonDict) -> str:
    return str(message.get("text") or message.get("caption") or "")


class SimUser:
    """A person in a private chat with the bot (chat id == user id); may also speak in groups.

    Actions (``send``, ``press``, ...) enqueue updates for getUpdates. Reading helpers see the
    bot's messages in their current state, after edits.
    """

    def __init__(self, world: World, user: JsonDict) -> None:
        self._world = world
        self._user = user
        self.id: int = int(user["id"])
        self.chat_id: int = self.id
        # Per chat, indexes of ChatState.events already returned by wait_for_message.
        self._consumed: dict[int, set[int]] = {}

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    @property
    def first_name(self) -> str:
        return str(self._user["first_name"])

    @property
    def language_code(self) -> str | None:
        value = self._user.get("language_code")
        return None if value is None else str(value)

    @property
    def user(self) -> JsonDict:
        """This person's Telegram User object."""
        return copy.deepcopy(self._user)

    # --- acting ------------------------------------------------------------------------------

    def _chat(self, chat_id: int | None) -> ChatState:
        target = self.chat_id if chat_id is None else chat_id
        chat = self._world.chats.get(target)
        if chat is None:
            raise AssertionError(f"no chat {target}: register group chats with sandbox.group()")
        return chat

    def _post(self, content: JsonDict, chat_id: int | None = None) -> JsonDict:
        chat = self._chat(chat_id)
        if chat.is_private:
            self._world.not_started.discard(self.id)  # writing to the bot starts it
        if chat.is_private and self.id in self._world.blocked:
            # Writing to a bot you blocked unblocks it first, as in the Telegram apps.
            self._world.blocked.discard(self.id)
            push_member_update(self._world, chat, self._user, blocked=False)
        keyboard = chat.reply_keyboard
        if keyboard is not None and keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        message = self._world.add_message(chat, self._user, content, outgoing=False)
        self._world.push_update("message", message)
        return message

    async def send(
        self, text: str, *, chat_id: int | None = None, reply_to: JsonDict | None = None
    ) -> JsonDict:
        """Send a text message; a leading /command gets a bot_command entity."""
        if not text.strip():
            raise ValueError("Telegram clients cannot send an empty message")
        content: JsonDict = {"text": text}
        command = _COMMAND.match(text)
        if command:
            length = utf16_len(command.group(0))
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            replied = copy.deepcopy(reply_to)
            replied.pop("reply_to_message", None)
            content["reply_to_message"] = replied
        return self._post(content, chat_id)

    async def share_contact(
        self,
        phone_number: str,
        *,
        user_id: int | Literal["own"] | None = "own",
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> JsonDict:
        """Share a contact; by default one's own (contact.user_id == sender id), as the
        request_contact keyboard button does. Pass another id, or None, for a foreign contact."""
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": first_name if first_name is not None else self.first_name,
        }
        if last_name is not None:
            contact["last_name"] = last_name
        contact_user = self.id if user_id == "own" else user_id
        if contact_user is not None:
            contact["user_id"] = contact_user
        return self._post({"contact": contact})

    async def send_document(
        self,
        filename: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JsonDict:
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._world.store_file("document", content, file_name=filename, mime_type=mime)
        body: JsonDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": filename,
                "mime_type": mime,
                "file_size": stored.file_size,
            }
        }
        if caption:
            body["caption"] = caption
        return self._post(body)

    async def send_photo(self, content: bytes, caption: str | None = None) -> JsonDict:
        """Send a photo (PNG, GIF or JPEG bytes; anything else is sized 1x1)."""
        width, height = image_size(content) or (1, 1)
        stored = self._world.store_file(
            "photo", content, file_name=None, mime_type=None, width=width, height=height
        )
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": stored.file_size,
        }
        body: JsonDict = {"photo": [size]}
        if caption:
            body["caption"] = caption
        return self._post(body)

    async def send_location(self, latitude: float, longitude: float) -> JsonDict:
        return self._post({"location": {"latitude": latitude, "longitude": longitude}})

    async def press(self, message: JsonDict, callback_data: str, *, force: bool = False) -> str:
        """Tap an inline button of a bot message; returns the callback query id.

        The button must exist on the message's current state unless ``force`` is set, which
        simulates a forged or stale tap (the message as given is sent along then).
        """
        chat = self._chat(int(message["chat"]["id"]))
        stored = chat.live_message(int(message["message_id"]))
        current = stored.data if stored is not None and stored.outgoing else None
        if not force:
            if current is None:
                raise AssertionError(f"message {message['message_id']} is not a live bot message")
            offered = [data for _, data in self.buttons(current)]
            if callback_data not in offered:
                raise AssertionError(
                    f"no button with callback_data {callback_data!r} on message "
                    f"{message['message_id']}; it offers {offered}"
                )
        query_id = self._world.new_query_id()
        self._world.callback_queries[query_id] = CallbackRecord(
            query_id, chat.id, int(message["message_id"]), time.monotonic()
        )
        query = {
            "id": query_id,
            "from": self._user,
            "message": copy.deepcopy(current if current is not None else message),
            "chat_instance": chat_instance(chat.id),
            "data": callback_data,
        }
        self._world.push_update("callback_query", query)
        return query_id

    # --- observing ---------------------------------------------------------------------------

    async def wait_for_answer(
        self,
        callback_query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109 - a per-call timeout reads best in tests
    ) -> JsonDict:
        """The answerCallbackQuery parameters (without the id) the bot sent for this query."""
        record = self._world.callback_queries.get(callback_query_id)
        if record is None:
            raise AssertionError(f"unknown callback query {callback_query_id!r}")
        try:
            answer = await self._world.notifier.wait_for(lambda: record.answer, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"{self}: callback query {callback_query_id} was not answered within {timeout}s"
            ) from None
        return copy.deepcopy(answer)

    def inbox(self, chat_id: int | None = None) -> list[JsonDict]:
        """Messages the bot sent to this chat, current state after edits, deletions left out."""
        chat = self._chat(chat_id)
        return [
            copy.deepcopy(stored.data)
            for _, stored in sorted(chat.messages.items())
            if stored.outgoing and not stored.deleted
        ]

    async def wait_for_message(
        self,
        predicate: Callable[[JsonDict], bool] | str,
        timeout: float = 10.0,  # noqa: ASYNC109 - a per-call timeout reads best in tests
        *,
        chat_id: int | None = None,
    ) -> JsonDict:
        """Wait for a bot message, new or edited, matching; a str matches text or caption.

        Every send and edit is an event; each call returns the oldest matching event no earlier
        call returned, including events from before this call (so a reply that was faster than
        the test is not missed). The message is returned as it was at that event.
        """
        matches: Callable[[JsonDict], bool]
        if isinstance(predicate, str):
            needle = predicate
            description = repr(predicate)

            def matches(message: JsonDict) -> bool:
                return needle in _text_of(message)

        else:
            matches = predicate
            description = getattr(predicate, "__qualname__", repr(predicate))
        chat = self._chat(chat_id)
        consumed = self._consumed.setdefault(chat.id, set())

        def check() -> JsonDict | None:
            for index, event in enumerate(chat.events):
                if index not in consumed and matches(event):
                    consumed.add(index)
                    return copy.deepcopy(event)
            return None

        try:
            return await self._world.notifier.wait_for(check, timeout)
        except TimeoutError:
            seen = [_text_of(event)[:80] for event in chat.events[-10:]]
            raise TimeoutError(
                f"{self}: no bot message matching {description} in chat {chat.id} within "
                f"{timeout}s; latest bot messages/edits there: {seen}"
            ) from None

    def last_message(self, chat_id: int | None = None) -> JsonDict:
        messages = self.inbox(chat_id)
        if not messages:
            raise AssertionError(f"the bot has sent nothing to {self}")
        return messages[-1]

    @staticmethod
    def buttons(message: JsonDict) -> list[tuple[str, str]]:
        """(text, callback_data) of the message's inline keyboard callback buttons."""
        keyboard: list[list[Any]] = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [
            (str(button["text"]), str(button["callback_data"]))
            for row in keyboard
            for button in row
            if "callback_data" in button
        ]

    @property
    def reply_keyboard(self) -> list[list[JsonDict]] | None:
        """The reply keyboard the bot currently shows in the private chat, if any."""
        keyboard = self._chat(None).reply_keyboard
        if keyboard is None:
            return None
        rows: list[list[Any]] = keyboard["keyboard"]
        return [
            [{"text": b} if isinstance(b, str) else copy.deepcopy(b) for b in row] for row in rows
        ]


def push_member_update(world: World, chat: ChatState, user: JsonDict, *, blocked: bool) -> None:
    """The my_chat_member update Telegram sends when a user blocks or unblocks the bot."""
    member = {"status": "member", "user": world.bot}
    kicked = {"status": "kicked", "user": world.bot, "until_date": 0}
    world.push_update(
        "my_chat_member",
        {
            "chat": chat.chat,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        },
    )
