"""Bot API behaviour of the sandbox, exercised through a real python-telegram-bot Bot."""

import time

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, User
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter

from sandbox import BotApiSandbox

# PTB itself reads the deprecated int form of RetryAfter.retry_after when building messages.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in pairs]
    )


async def test_get_me_describes_the_bot_named_by_the_token_and_constructor(bot: Bot) -> None:
    me = await bot.get_me()

    assert isinstance(me, User)
    assert me.is_bot
    assert me.id == 123456
    assert me.username == "rescue_test_bot"
    assert me.can_join_groups


async def test_send_message_round_trips_to_a_parsed_message(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42, "Ann")

    sent = await bot.send_message(42, "Callout at 10:00", reply_markup=keyboard(("Go", "go")))

    assert isinstance(sent, Message)
    assert sent.chat.id == 42
    assert sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.id == 123456
    assert sent.text == "Callout at 10:00"
    assert sent.reply_markup == keyboard(("Go", "go"))
    assert sandbox.messages_to(42)[0]["text"] == "Callout at 10:00"


async def test_message_ids_increase_per_chat(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(1)
    sandbox.user(2)

    first = await bot.send_message(1, "a")
    second = await bot.send_message(1, "b")
    other = await bot.send_message(2, "c")

    assert second.message_id == first.message_id + 1
    assert other.message_id == 1


async def test_a_misspelt_method_answers_404_not_found(sandbox: BotApiSandbox, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendMesage", api_kwargs={"chat_id": 1, "text": "x"})

    assert sandbox.calls[-1].method == "sendMesage"
    assert sandbox.calls[-1].status == 404
    assert sandbox.calls[-1].response == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }


async def test_a_raw_json_request_is_understood(sandbox: BotApiSandbox) -> None:
    sandbox.user(42)

    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.api_url}1:x/sendMessage"
        async with session.post(url, json={"chat_id": 42, "text": "hi"}) as response:
            body = await response.json()

    assert response.status == 200
    assert body["ok"] is True
    assert body["result"]["text"] == "hi"


async def test_a_missing_required_parameter_is_a_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)parameter "text" is required'):
        await bot._post("sendMessage", {"chat_id": 42})


async def test_a_value_of_the_wrong_type_is_a_bad_request(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)message_id"):
        await bot._post("deleteMessage", {"chat_id": 42, "message_id": "first"})


async def test_edit_message_text_needs_a_chat_and_message_or_an_inline_message(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)parameter "chat_id" is required'):
        await bot._post("editMessageText", {"text": "new"})


async def test_text_longer_than_4096_characters_is_refused(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)

    await bot.send_message(42, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)


async def test_whitespace_only_text_is_refused_as_empty(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(42, "  \n ")


async def test_callback_data_of_65_bytes_is_refused(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    await bot.send_message(42, "ok", reply_markup=keyboard(("a", "d" * 64)))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "too long", reply_markup=keyboard(("a", "d" * 65)))
    assert len(sandbox.messages_to(42)) == 1


async def test_a_caption_over_1024_characters_is_refused(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(42, b"data", filename="a.txt", caption="c" * 1025)


async def test_html_markup_is_stripped_into_entities(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    sent = await bot.send_message(42, "<b>Team</b> &amp; <i>dogs</i>", parse_mode="HTML")

    assert sent.text == "Team & dogs"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 4),
        ("italic", 7, 4),
    ]
    assert sandbox.calls[-1].params["text"] == "<b>Team</b> &amp; <i>dogs</i>"


async def test_unbalanced_html_cannot_be_parsed(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(42, "<b>open", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r'(?i)Unsupported start tag "div"'):
        await bot.send_message(42, "<div>x</div>", parse_mode="HTML")


async def test_an_unescaped_markdown_v2_character_cannot_be_parsed(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)Character '\.' is reserved"):
        await bot.send_message(42, "Meet at 10.00", parse_mode="MarkdownV2")
    sent = await bot.send_message(42, "*Meet* at 10\\.00", parse_mode="MarkdownV2")
    assert sent.text == "Meet at 10.00"


async def test_a_blocked_user_makes_send_message_fail_with_forbidden(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)
    sandbox.block(42)

    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(42, "hello?")
    assert sandbox.messages_to(42) == []


async def test_sending_to_an_unknown_chat_answers_chat_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "anyone?")


async def test_a_registered_group_can_be_messaged(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.group(-100, "Team Alpha")

    sent = await bot.send_message(-100, "Briefing at 9")

    assert sent.chat.type == "group"
    assert sent.chat.title == "Team Alpha"


async def test_injected_429_raises_retry_after_then_recovers(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)
    sandbox.inject_429(1, retry_after=3, methods={"sendMessage"})

    with pytest.raises(RetryAfter, match=r"(?i)retry in 3"):
        await bot.send_message(42, "first")
    await bot.send_message(42, "second")

    assert sandbox.calls[-2].response["parameters"] == {"retry_after": 3}
    assert [m["text"] for m in sandbox.messages_to(42)] == ["second"]


async def test_editing_to_identical_content_is_not_modified(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)
    sent = await bot.send_message(42, "Status: open", reply_markup=keyboard(("Close", "close")))

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Status: open", 42, sent.message_id, reply_markup=keyboard(("Close", "close"))
        )


async def test_editing_text_without_markup_drops_the_keyboard(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)
    sent = await bot.send_message(42, "Status: open", reply_markup=keyboard(("Close", "close")))

    edited = await bot.edit_message_text("Status: closed", 42, sent.message_id)

    assert isinstance(edited, Message)
    assert edited.edit_date is not None
    (current,) = sandbox.messages_to(42)
    assert current["text"] == "Status: closed"
    assert "reply_markup" not in current


async def test_editing_a_missing_message_is_a_bad_request(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 42, 77)


async def test_deleted_messages_leave_the_inbox(sandbox: BotApiSandbox, bot: Bot) -> None:
    user = sandbox.user(42)
    sent = await bot.send_message(42, "temporary")

    assert await bot.delete_message(42, sent.message_id)

    assert user.inbox() == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(42, sent.message_id)


async def test_commands_are_stored_per_scope_and_language(sandbox: BotApiSandbox, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Start"), ("help", "Help")])
    await bot.set_my_commands([("start", "开始")], language_code="zh")

    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert sandbox.commands(language_code="zh") == [{"command": "start", "description": "开始"}]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_an_invalid_command_name_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start-Now", "bad")])


async def test_send_location_and_chat_action_work(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    assert await bot.send_chat_action(42, "typing")
    sent = await bot.send_location(42, latitude=22.3, longitude=114.2)

    assert sent.location is not None
    assert sent.location.latitude == pytest.approx(22.3)


async def test_unmodelled_methods_are_validated_and_answer_well_formed_results(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.group(-5, "Ops")

    assert await bot.pin_chat_message(-5, 1)
    chat = await bot.get_chat(-5)
    assert chat.title == "Ops"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.pin_chat_message(-6, 1)


async def test_slow_methods_answer_late(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.slow("getMe", 0.2)
    started = time.monotonic()

    await bot.get_me()

    assert time.monotonic() - started >= 0.2
    assert sandbox.calls[-1].method == "getMe"


async def test_a_user_message_can_be_copied_to_a_team_group(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.group(-100, "Team Alpha")
    report = await sandbox.user(42).send_location(22.3, 114.2)

    copied = await bot.copy_message(-100, from_chat_id=42, message_id=report["message_id"])

    (message,) = sandbox.messages_to(-100)
    assert message["message_id"] == copied.message_id
    assert message["location"] == {"latitude": 22.3, "longitude": 114.2}


async def test_a_blocked_user_who_writes_again_unblocks_the_bot(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    sandbox.block(42)

    await user.send("/start")

    await bot.send_message(42, "Welcome back")
    assert user.last_message()["text"] == "Welcome back"


async def test_webhook_info_reports_pending_updates(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user(42).send("hi")

    info = await bot.get_webhook_info()

    assert info.url == ""
    assert info.pending_update_count == 1
