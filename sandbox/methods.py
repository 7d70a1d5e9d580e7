"""Bot API method behaviour: what each call does to the sandbox's state and what it returns.

Parameters arrive already decoded and checked against api.json (see ``spec.py``); this module
adds the rules Telegram states only in prose (text limits, callback_data size, "message is not
modified", ...) and produces results shaped like Telegram's, so a real client parses them.
Methods the sandbox does not model get a placeholder result of the declared return type.
"""

from __future__ import annotations

import contextlib
import copy
import json
import mimetypes
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox import formatting
from sandbox.errors import ApiError, bad_request
from sandbox.spec import ApiSpec, UploadedFile
from sandbox.state import ChatState, JsonDict, StoredFile, World

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
CALLBACK_QUERY_TTL = 15.0
MAX_DOWNLOAD = 20 * 1024 * 1024
DEFAULT_BOT_ID = 1_000_000_001

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
# Media sent through a file-carrying method: method name -> (parameter/Message field, type).
_MEDIA_METHODS = {
    "sendDocument": ("document", "Document"),
    "sendPhoto": ("photo", "PhotoSize"),
    "sendAudio": ("audio", "Audio"),
    "sendVideo": ("video", "Video"),
    "sendVoice": ("voice", "Voice"),
    "sendAnimation": ("animation", "Animation"),
    "sendVideoNote": ("video_note", "VideoNote"),
}
# Content fields carried over by copyMessage / forwardMessage.
_CONTENT_FIELDS = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "document",
    "photo",
    "audio",
    "video",
    "voice",
    "animation",
    "video_note",
    "location",
    "contact",
    "venue",
)


def is_delivery(method: str) -> bool:
    """Calls that put content into a chat: these count against the send rate limit."""
    if method == "sendChatAction":
        return False
    return method.startswith(("send", "copyMessage", "forwardMessage", "editMessage")) or (
        method in ("stopMessageLiveLocation", "stopPoll")
    )


def bot_user(token: str, username: str) -> JsonDict:
    """The bot's User object; the id is the token's numeric prefix, as in real tokens."""
    prefix = token.split(":", 1)[0]
    bot_id = int(prefix) if prefix.isdigit() and len(prefix) < 19 else DEFAULT_BOT_ID
    first_name = " ".join(part.capitalize() for part in username.split("_") if part)
    return {"id": bot_id, "is_bot": True, "first_name": first_name or "Bot", "username": username}


@dataclass(frozen=True)
class BotRequest:
    method: str
    params: dict[str, Any]
    bot: JsonDict
    returns: tuple[str, ...]


class BotMethods:
    def __init__(self, world: World, spec: ApiSpec, *, is_closing: Callable[[], bool]) -> None:
        self.world = world
        self.spec = spec
        self._is_closing = is_closing
        self._poll_generation = 0
        self.polls_waiting = 0  # getUpdates requests currently long-polling
        self._handlers: dict[str, Callable[[BotRequest], Any]] = {
            "getMe": self.get_me,
            "logOut": _true,
            "close": _true,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "sendLocation": self.send_location,
            "sendContact": self.send_contact,
            "sendChatAction": self.send_chat_action,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "answerCallbackQuery": self.answer_callback_query,
            "getFile": self.get_file,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
        }
        for method in _MEDIA_METHODS:
            self._handlers[method] = self.send_media

    async def call(self, request: BotRequest) -> Any:
        if request.method == "getUpdates":
            return await self.get_updates(request)
        handler = self._handlers.get(request.method, self.generic)
        return handler(request)

    # --- shared checks -------------------------------------------------------------------

    def target_chat(self, params: dict[str, Any], key: str = "chat_id") -> ChatState:
        chat = self.world.find_chat(params[key])
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def deliverable_chat(self, params: dict[str, Any]) -> ChatState:
        chat = self.target_chat(params)
        if chat.is_private and chat.id in self.world.blocked:
            raise ApiError(403, BLOCKED)
        if chat.is_private and chat.id in self.world.not_started:
            raise ApiError(403, NOT_STARTED)
        return chat

    def formatted(
        self, params: dict[str, Any], text_key: str, entities_key: str
    ) -> formatting.FormattedText:
        text = str(params.get(text_key, ""))
        if entities_key in params:
            # Explicit entities win over parse_mode, as in Telegram.
            return formatting.strip_formatted(text, list(params[entities_key]))
        try:
            return formatting.parse(text, params.get("parse_mode"))
        except formatting.EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None

    def message_text(self, params: dict[str, Any]) -> JsonDict:
        parsed = self.formatted(params, "text", "entities")
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT:
            raise bad_request("message is too long")
        content: JsonDict = {"text": parsed.text}
        if parsed.entities:
            content["entities"] = parsed.entities
        return content

    def caption(self, params: dict[str, Any]) -> JsonDict:
        if "caption" not in params:
            return {}
        parsed = self.formatted(params, "caption", "caption_entities")
        if len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        content: JsonDict = {"caption": parsed.text} if parsed.text else {}
        if parsed.text and parsed.entities:
            content["caption_entities"] = parsed.entities
        return content

    def inline_markup(self, params: dict[str, Any]) -> JsonDict | None:
        """Validate reply_markup; return it if it belongs on the Message (inline keyboards)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict):
            return None
        if "inline_keyboard" not in markup:
            if "keyboard" in markup:
                _check_reply_keyboard(markup)
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                _check_inline_button(button)
        return {"inline_keyboard": markup["inline_keyboard"]}

    def apply_reply_keyboard(self, chat: ChatState, params: dict[str, Any]) -> None:
        # Reply keyboards are not part of the Message object; the chat remembers them instead.
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "keyboard" in markup:
            chat.reply_keyboard = copy.deepcopy(markup)
        elif isinstance(markup, dict) and markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def reply_to(self, chat: ChatState, params: dict[str, Any]) -> JsonDict:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            return {}
        source = chat
        if "chat_id" in reply:
            found = self.world.find_chat(reply["chat_id"])
            if found is None:
                raise bad_request("chat not found")
            source = found
        stored = source.live_message(int(reply["message_id"]))
        if stored is None:
            if reply.get("allow_sending_without_reply"):
                return {}
            raise bad_request("message to be replied not found")
        replied = copy.deepcopy(stored.data)
        replied.pop("reply_to_message", None)  # Telegram nests only one level
        return {"reply_to_message": replied}

    def deliver(self, request: BotRequest, chat: ChatState, content: JsonDict) -> JsonDict:
        params = request.params
        content = {**self.reply_to(chat, params), **content}
        markup = self.inline_markup(params)
        if markup is not None:
            content["reply_markup"] = markup
        self.apply_reply_keyboard(chat, params)
        return self.world.add_message(chat, request.bot, content, outgoing=True)

    def stored_file(self, value: Any, kind: str, type_name: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            width = height = 0
            if kind == "photo":
                size = image_size(value.data)
                if size is None:
                    raise bad_request("IMAGE_PROCESS_FAILED")
                width, height = size
            return self.world.store_file(
                kind,
                value.data,
                file_name=value.filename or None,
                mime_type=guess_mime_type(value.filename, value.content_type),
                width=width,
                height=height,
            )
        known = self.world.files.get(str(value))
        if known is None:
            # No internet here, so URLs cannot be fetched either.
            raise bad_request("wrong file identifier/HTTP URL specified")
        if known.kind != kind:
            raise bad_request(f"can't use file of type {known.kind.title()} as {type_name}")
        return known

    def file_object(self, stored: StoredFile, type_name: str) -> JsonDict:
        base = self.spec.example(type_name)
        allowed = {f["name"] for f in self.spec.types[type_name].get("fields", [])}
        values: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "width": stored.width,
            "height": stored.height,
        }
        base.update({k: v for k, v in values.items() if k in allowed and v is not None})
        return dict(base)

    def media_content(self, stored: StoredFile, kind: str, type_name: str) -> JsonDict:
        obj = self.file_object(stored, type_name)
        return {kind: [obj] if kind == "photo" else obj}

    # --- bot identity, webhook, commands ----------------------------------------------------

    def get_me(self, request: BotRequest) -> JsonDict:
        return {
            **request.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def set_webhook(self, request: BotRequest) -> bool:
        url = str(request.params["url"])
        if not url:
            return self.delete_webhook(request)
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.world.webhook = {"url": url}
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in request.params:
                self.world.webhook[key] = request.params[key]
        self.world.webhook_secret = str(request.params.get("secret_token") or "")
        if "allowed_updates" in request.params:
            self.world.allowed_updates = list(request.params["allowed_updates"])
        if request.params.get("drop_pending_updates"):
            self.world.updates.clear()
        self.world.changed()
        return True

    def delete_webhook(self, request: BotRequest) -> bool:
        self.world.webhook = {}
        self.world.webhook_secret = ""
        if request.params.get("drop_pending_updates"):
            self.world.updates.clear()
        self.world.changed()
        return True

    def get_webhook_info(self, request: BotRequest) -> JsonDict:
        return {
            "url": "",
            **self.world.webhook,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }

    def set_my_commands(self, request: BotRequest) -> bool:
        commands = list(request.params["commands"])
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not _COMMAND_NAME.fullmatch(str(command["command"])):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command["description"])) <= 256:
                raise bad_request("command description must be 1-256 characters")
        self.world.commands[commands_key(request.params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        self.world.changed()
        return True

    def get_my_commands(self, request: BotRequest) -> list[JsonDict]:
        return copy.deepcopy(self.world.commands.get(commands_key(request.params), []))

    def delete_my_commands(self, request: BotRequest) -> bool:
        self.world.commands.pop(commands_key(request.params), None)
        self.world.changed()
        return True

    # --- updates -------------------------------------------------------------------------

    async def get_updates(self, request: BotRequest) -> list[JsonDict]:
        params = request.params
        if self.world.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            self.world.allowed_updates = list(params["allowed_updates"])
        self._confirm(int(params.get("offset", 0)))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(int(params.get("timeout", 0)), 0)
        # Telegram lets only one getUpdates wait at a time: a newer one ends the older one.
        self._poll_generation += 1
        generation = self._poll_generation
        self.world.changed()  # wakes an older poll so it can end with 409

        def ready() -> bool | None:
            if generation != self._poll_generation or self._is_closing():
                return True
            return True if any(self.world.is_allowed(u) for u in self.world.updates) else None

        if timeout and ready() is None:
            self.polls_waiting += 1
            self.world.changed()
            try:
                with contextlib.suppress(TimeoutError):  # timing out is the normal empty answer
                    await self.world.notifier.wait_for(ready, timeout)
            finally:
                self.polls_waiting -= 1
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        batch = [u for u in self.world.updates if self.world.is_allowed(u)][:limit]
        return copy.deepcopy(batch)

    def _confirm(self, offset: int) -> None:
        updates = self.world.updates
        if offset < 0:
            # A negative offset keeps only the last -offset updates.
            del updates[: max(len(updates) + offset, 0)]
        elif offset:
            updates[:] = [u for u in updates if u["update_id"] >= offset]

    # --- sending -------------------------------------------------------------------------

    def send_message(self, request: BotRequest) -> JsonDict:
        content = self.message_text(request.params)
        chat = self.deliverable_chat(request.params)
        return self.deliver(request, chat, content)

    def send_media(self, request: BotRequest) -> JsonDict:
        kind, type_name = _MEDIA_METHODS[request.method]
        caption = self.caption(request.params)
        chat = self.deliverable_chat(request.params)
        stored = self.stored_file(request.params[kind], kind, type_name)
        return self.deliver(
            request, chat, {**self.media_content(stored, kind, type_name), **caption}
        )

    def send_location(self, request: BotRequest) -> JsonDict:
        params = request.params
        latitude, longitude = float(params["latitude"]), float(params["longitude"])
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise bad_request("wrong coordinates")
        chat = self.deliverable_chat(params)
        location: JsonDict = {"latitude": latitude, "longitude": longitude}
        for key in ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"):
            if key in params:
                location[key] = params[key]
        return self.deliver(request, chat, {"location": location})

    def send_contact(self, request: BotRequest) -> JsonDict:
        params = request.params
        chat = self.deliverable_chat(params)
        contact = {
            k: params[k]
            for k in ("phone_number", "first_name", "last_name", "vcard")
            if k in params
        }
        return self.deliver(request, chat, {"contact": contact})

    def send_chat_action(self, request: BotRequest) -> bool:
        if request.params["action"] not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.deliverable_chat(request.params)
        return True

    def _source_message(self, params: dict[str, Any], what: str) -> JsonDict:
        source = self.target_chat(params, "from_chat_id")
        stored = source.live_message(int(params["message_id"]))
        if stored is None:
            raise bad_request(f"message to {what} not found")
        return stored.data

    def copy_message(self, request: BotRequest) -> JsonDict:
        params = request.params
        original = self._source_message(params, "copy")
        chat = self.deliverable_chat(params)
        content = {k: copy.deepcopy(original[k]) for k in _CONTENT_FIELDS if k in original}
        if "caption" in params:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self.caption(params))
        if "reply_markup" not in params and "reply_markup" in original:
            content["reply_markup"] = copy.deepcopy(original["reply_markup"])
        message = self.deliver(request, chat, content)
        return {"message_id": message["message_id"]}

    def forward_message(self, request: BotRequest) -> JsonDict:
        original = self._source_message(request.params, "forward")
        chat = self.deliverable_chat(request.params)
        content = {k: copy.deepcopy(original[k]) for k in _CONTENT_FIELDS if k in original}
        sender = original.get("from", {})
        content["forward_origin"] = {
            "type": "user",
            "date": original["date"],
            "sender_user": sender,
        }
        return self.world.add_message(chat, request.bot, content, outgoing=True)

    # --- editing and deleting ------------------------------------------------------------

    def _editable(self, request: BotRequest) -> tuple[ChatState, JsonDict]:
        params = request.params
        if "chat_id" not in params:
            raise bad_request("MESSAGE_ID_INVALID")  # the sandbox has no inline messages
        chat = self.deliverable_chat(params)
        stored = chat.live_message(int(params["message_id"]))
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.outgoing:
            raise bad_request("message can't be edited")
        return chat, copy.deepcopy(stored.data)

    def _commit_edit(self, chat: ChatState, before: JsonDict, after: JsonDict) -> JsonDict:
        if {k: v for k, v in before.items() if k != "edit_date"} == {
            k: v for k, v in after.items() if k != "edit_date"
        }:
            raise bad_request(NOT_MODIFIED)
        after["edit_date"] = int(time.time())
        return self.world.replace_message(chat, after)

    def _with_markup(self, request: BotRequest, message: JsonDict) -> None:
        # Omitting reply_markup in an edit removes the inline keyboard, as Telegram does.
        markup = self.inline_markup(request.params)
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup

    def edit_message_text(self, request: BotRequest) -> JsonDict:
        if "text" not in request.params:
            raise bad_request("rich messages are not supported by the sandbox")
        content = self.message_text(request.params)
        chat, before = self._editable(request)
        if "text" not in before:
            raise bad_request("there is no text in the message to edit")
        after = copy.deepcopy(before)
        after.pop("entities", None)
        after.update(content)
        self._with_markup(request, after)
        return self._commit_edit(chat, before, after)

    def edit_message_caption(self, request: BotRequest) -> JsonDict:
        caption = self.caption(request.params)
        chat, before = self._editable(request)
        if "text" in before:
            raise bad_request("there is no caption in the message to edit")
        after = copy.deepcopy(before)
        after.pop("caption", None)
        after.pop("caption_entities", None)
        after.update(caption)
        self._with_markup(request, after)
        return self._commit_edit(chat, before, after)

    def edit_message_reply_markup(self, request: BotRequest) -> JsonDict:
        markup = self.inline_markup(request.params)
        chat, before = self._editable(request)
        after = copy.deepcopy(before)
        after.pop("reply_markup", None)
        if markup is not None:
            after["reply_markup"] = markup
        return self._commit_edit(chat, before, after)

    def delete_message(self, request: BotRequest) -> bool:
        chat = self.target_chat(request.params)
        stored = chat.live_message(int(request.params["message_id"]))
        if stored is None:
            raise bad_request("message to delete not found")
        stored.deleted = True
        self.world.changed()
        return True

    def delete_messages(self, request: BotRequest) -> bool:
        chat = self.target_chat(request.params)
        for message_id in request.params["message_ids"]:
            stored = chat.live_message(int(message_id))
            if stored is not None:
                stored.deleted = True
        self.world.changed()
        return True

    # --- callback queries, files, chats ----------------------------------------------------

    def answer_callback_query(self, request: BotRequest) -> bool:
        params = request.params
        if len(str(params.get("text", ""))) > MAX_ANSWER_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        record = self.world.callback_queries.get(str(params["callback_query_id"]))
        expired = record is not None and time.monotonic() - record.created > CALLBACK_QUERY_TTL
        if record is None or record.answer is not None or expired:
            raise bad_request(QUERY_TOO_OLD)
        record.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        self.world.changed()
        return True

    def get_file(self, request: BotRequest) -> JsonDict:
        stored = self.world.files.get(str(request.params["file_id"]))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    def get_chat(self, request: BotRequest) -> JsonDict:
        chat = self.target_chat(request.params)
        return {**self.spec.example("ChatFullInfo"), **chat.chat, "max_reaction_count": 11}

    def get_chat_member(self, request: BotRequest) -> JsonDict:
        chat = self.target_chat(request.params)
        user_id = int(request.params["user_id"])
        if user_id == request.bot["id"]:
            return {"status": "member", "user": request.bot}
        user = self.world.users.get(user_id)
        if user is None or (chat.is_private and chat.id != user_id):
            raise bad_request("user not found")
        if chat.is_private and user_id in self.world.blocked:
            return {"status": "kicked", "user": user, "until_date": 0}
        return {"status": "member", "user": user}

    def set_chat_menu_button(self, request: BotRequest) -> bool:
        button = request.params.get("menu_button", {"type": "default"})
        if "chat_id" in request.params:
            self.target_chat(request.params).menu_button = button
        else:
            self.world.default_menu_button = button
        return True

    def get_chat_menu_button(self, request: BotRequest) -> JsonDict:
        button = self.world.default_menu_button
        if "chat_id" in request.params:
            button = self.target_chat(request.params).menu_button or button
        return dict(button or {"type": "default"})

    def generic(self, request: BotRequest) -> Any:
        """A valid method the sandbox does not model: check the chat, return a placeholder."""
        params = request.params
        chat = None
        if isinstance(params.get("chat_id"), int | str):
            if is_delivery(request.method):
                chat = self.deliverable_chat(params)
            else:
                chat = self.target_chat(params)
        if request.returns[0] == "Message" and chat is not None:
            content = {k: params[k] for k in ("text", "caption") if isinstance(params.get(k), str)}
            return self.deliver(request, chat, content)
        return self.spec.example(request.returns[0])


def _true(request: BotRequest) -> bool:
    return True


def commands_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code", ""))


def _check_inline_button(button: JsonDict) -> None:
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")
    if not any(button.get(action) is not None for action in _BUTTON_ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")


def _check_reply_keyboard(markup: JsonDict) -> None:
    for row in markup["keyboard"]:
        for button in row:
            text = button if isinstance(button, str) else button.get("text", "")
            if not text:
                raise bad_request("keyboard button text must be non-empty")


def guess_mime_type(filename: str | None, declared: str | None) -> str | None:
    # Clients usually declare application/octet-stream; Telegram sniffs, we guess by name.
    if declared and declared != "application/octet-stream":
        return declared
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or declared


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG; None if it is not an image we can read."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(data):
            if data[pos] != 0xFF:
                return None
            marker = data[pos + 1]
            (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
                return int(width), int(height)
            pos += 2 + length
    return None
