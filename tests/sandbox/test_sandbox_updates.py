"""Incoming updates: SimUser actions, long polling, callback queries, waiting helpers."""

import asyncio

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from sandbox import BotApiSandbox

TOKEN = "123456:TEST-token"


def yes_no() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="yes"),
                InlineKeyboardButton("No", callback_data="no"),
            ]
        ]
    )


async def test_get_updates_long_polling_returns_early_when_a_user_sends(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42, "Ann")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await sandbox.wait_for(lambda: sandbox.polls_waiting == 1)

    await user.send("/start")
    # Released by the message, long before its 30 s are up (no clock: the waiting poll is gone).
    await sandbox.wait_for(lambda: sandbox.polls_waiting == 0, timeout=5)
    updates = await poll

    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.text == "/start"
    assert message.from_user is not None and message.from_user.language_code == "zh"
    assert message.entities[0].type == "bot_command"


async def test_a_waiting_long_poll_is_in_the_call_log_before_it_is_answered(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await sandbox.wait_for(lambda: any(c.method == "getUpdates" for c in sandbox.calls))

    assert sandbox.calls[-1].pending
    await sandbox.user(42).send("hi")
    await poll
    assert sandbox.calls[-1].ok
    assert len(sandbox.calls[-1].result) == 1


async def test_an_offset_confirms_earlier_updates(sandbox: BotApiSandbox, bot: Bot) -> None:
    user = sandbox.user(42)
    await user.send("one")
    await user.send("two")

    first = await bot.get_updates()
    again = await bot.get_updates(offset=first[0].update_id + 1)

    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert first[1].update_id == first[0].update_id + 1
    assert [u.message.text for u in again if u.message] == ["two"]
    assert await bot.get_updates(offset=first[1].update_id + 1) == ()


async def test_a_newer_get_updates_ends_a_waiting_one_with_conflict(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=30))
    await sandbox.wait_for(lambda: sandbox.polls_waiting == 1)

    # A second bot process with the same token.
    async with Bot(TOKEN, base_url=sandbox.api_url) as second_instance:
        await second_instance.get_updates(timeout=0)

    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older


async def test_pressing_a_button_yields_a_callback_query_and_its_answer(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    await bot.send_message(42, "Available?", reply_markup=yes_no())
    message = user.last_message()
    assert user.buttons(message) == [("Yes", "yes"), ("No", "no")]

    query_id = await user.press(message, "yes")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "yes"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == message["message_id"]
    await update.callback_query.answer("Noted")

    assert await user.wait_for_answer(query_id) == {"text": "Noted"}


async def test_answering_a_callback_query_twice_is_too_old(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    await bot.send_message(42, "Available?", reply_markup=yes_no())
    query_id = await user.press(user.last_message(), "no")

    await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")


async def test_a_callback_query_older_than_15_seconds_cannot_be_answered(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    await bot.send_message(42, "Available?", reply_markup=yes_no())
    query_id = await user.press(user.last_message(), "yes")
    sandbox.world.callback_queries[query_id].created -= 16  # age it instead of waiting

    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_pressing_a_button_the_message_lacks_fails_unless_forced(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    await bot.send_message(42, "Available?", reply_markup=yes_no())

    with pytest.raises(AssertionError, match="no button with callback_data 'admin'"):
        await user.press(user.last_message(), "admin")
    forged = await user.press(user.last_message(), "admin", force=True)

    (update,) = await bot.get_updates()
    assert update.callback_query is not None and update.callback_query.id == forged


async def test_shared_contacts_carry_the_senders_id_unless_foreign(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42, "Ann")

    await user.share_contact("+85291234567")
    await user.share_contact("+85299999999", user_id=None, first_name="Bob")
    own, foreign = await bot.get_updates()

    assert own.message is not None and own.message.contact is not None
    assert own.message.contact.user_id == 42
    assert own.message.contact.first_name == "Ann"
    assert foreign.message is not None and foreign.message.contact is not None
    assert foreign.message.contact.user_id is None


async def test_a_one_time_contact_keyboard_is_shown_until_the_user_answers(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    share = KeyboardButton("Share my number", request_contact=True)
    await bot.send_message(
        42, "Please share", reply_markup=ReplyKeyboardMarkup([[share]], one_time_keyboard=True)
    )

    assert user.reply_keyboard == [[{"text": "Share my number", "request_contact": True}]]
    await user.share_contact("+85291234567")
    assert user.reply_keyboard is None


async def test_wait_for_message_sees_sends_and_edits(sandbox: BotApiSandbox, bot: Bot) -> None:
    user = sandbox.user(42)
    sent = await bot.send_message(42, "Callout: pending")

    async def edit_later() -> None:
        await bot.edit_message_text("Callout: confirmed", 42, sent.message_id)

    task = asyncio.create_task(edit_later())
    first = await user.wait_for_message("pending")
    edited = await user.wait_for_message(lambda m: "confirmed" in m["text"])
    await task

    assert first["message_id"] == edited["message_id"]
    assert user.inbox()[0]["text"] == "Callout: confirmed"


async def test_wait_for_message_times_out_with_what_the_bot_said(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)
    await bot.send_message(42, "Something else")

    with pytest.raises(TimeoutError, match="Something else"):
        await user.wait_for_message("never", timeout=0.05)


async def test_wait_for_call_finds_a_matching_request(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)
    task = asyncio.create_task(bot.send_message(42, "ping"))

    call = await sandbox.wait_for_call("sendMessage", lambda c: c.params["text"] == "ping")
    await task

    assert call.ok
    assert call.params["chat_id"] == 42


async def test_blocking_produces_a_my_chat_member_update(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)
    sandbox.block(42)

    (update,) = await bot.get_updates()

    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_a_group_message_has_a_group_chat(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.group(-100, "Team Alpha")
    user = sandbox.user(42)

    await user.send("/roll@rescue_test_bot", chat_id=-100)
    (update,) = await bot.get_updates()

    assert update.message is not None
    assert update.message.chat.type == "group"
    assert update.message.entities[0].length == len("/roll@rescue_test_bot")


async def test_a_polling_application_answers_a_simulated_user(sandbox: BotApiSandbox) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Ready?", reply_markup=yes_no())

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Thanks")
        await query.edit_message_text(f"You said {query.data}")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(sandbox.api_url)
        .base_file_url(sandbox.file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    user = sandbox.user(42)

    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        await user.send("/start")
        question = await user.wait_for_message("Ready?")
        query_id = await user.press(question, "yes")
        assert await user.wait_for_answer(query_id) == {"text": "Thanks"}
        await user.wait_for_message("You said yes")
        await app.updater.stop()
        await app.stop()
