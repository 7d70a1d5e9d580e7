"""Taps answered on the fast path: one pre-built request on a kept-alive connection,
with PTB's answers for refusals and a fallback when Telegram cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.answers import AnswerFailed, FastAnswers
from i18n.catalogue import t
from tests.conftest import TEST_TOKEN, BotHarness
from tests.e2e.test_callouts import LEADER, MOUNTAIN, TODAY, page_of, text_of
from tests.factories import add_volunteer


async def pressed(sandbox: Any, user_id: int = 42, data: str = "yes") -> str:
    user = sandbox.user(user_id, "Ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("可以出队", callback_data=data)]])
    async with ExtBot(TEST_TOKEN, base_url=sandbox.api_url) as bot:
        await bot.send_message(user_id, "出队召集", reply_markup=keyboard)
    return str(await user.press(user.inbox()[-1], data))


async def test_an_answer_reaches_telegram_and_its_connection_is_kept_for_the_next(
    sandbox: Any,
) -> None:
    answers = FastAnswers(sandbox.api_url, TEST_TOKEN)
    try:
        first, second = await pressed(sandbox, 42), await pressed(sandbox, 43)
        assert await answers.answer(first, "已确认", show_alert=False)
        assert await answers.answer(second, "x" * 500)  # cut to Telegram's 200
        assert sandbox.world.callback_queries[first].answer["text"] == "已确认"
        assert len(sandbox.world.callback_queries[second].answer["text"]) == 200
        opened = [c for c in sandbox.calls if c.method == "answerCallbackQuery"]
        assert len(opened) == 2
    finally:
        await answers.close()


async def test_a_refused_answer_raises_as_ptb_does(sandbox: Any) -> None:
    answers = FastAnswers(sandbox.api_url, TEST_TOKEN)
    try:
        query = await pressed(sandbox)
        await answers.answer(query, "ok")
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await answers.answer(query, "again")  # Telegram refuses a second answer
    finally:
        await answers.close()


async def test_an_unreachable_telegram_or_a_closed_answerer_is_reported_not_hung() -> None:
    answers = FastAnswers("http://127.0.0.1:9/bot", TEST_TOKEN, timeout=2)
    with pytest.raises(AnswerFailed):
        await answers.answer("1", "ok")
    await answers.close()
    with pytest.raises(AnswerFailed):
        await answers.answer("1", "ok")


async def test_the_bot_answers_taps_on_the_fast_path(bot: BotHarness) -> None:
    query = await pressed(bot.sandbox, data="co:999:a")  # a callout that does not exist
    answer = await bot.sandbox.user(42).wait_for_answer(query)
    assert answer.get("text")
    fast = bot.app.bot.fast_answers
    assert fast is not None
    await bot.sandbox.wait_for(lambda: fast.answered == 1)  # the bot's next poll re-checks


async def test_a_page_on_the_lean_path_arrives_or_fails_as_ptb_would_report_it(
    sandbox: Any,
) -> None:
    sender = FastAnswers(sandbox.api_url, TEST_TOKEN, timeout=0.5)
    sandbox.user(50, "Ann")
    sandbox.user(51, "Bo")
    sandbox.never_started(51)
    keyboard = {"inline_keyboard": [[{"text": "可以出队", "callback_data": "co:1:a"}]]}
    try:
        message_id = await sender.send_message(50, "出队召集", keyboard)
        assert sandbox.messages_to(50)[0]["message_id"] == message_id
        with pytest.raises(Forbidden, match="initiate"):
            await sender.send_message(51, "出队召集")
        sandbox.inject_429(1, retry_after=3, methods={"sendMessage"})
        with pytest.raises(RetryAfter):
            await sender.send_message(50, "again")
        sandbox.outage(502)
        with pytest.raises(NetworkError, match="502"):
            await sender.send_message(50, "again")
        sandbox.outage(504, hang=2)  # longer than the client waits
        with pytest.raises(NetworkError, match="unreachable"):
            await sender.send_message(50, "again")
    finally:
        await sender.close()


async def test_a_tap_answered_after_telegrams_15_s_is_recorded_and_nobody_hears_of_an_error(
    bot: BotHarness,
) -> None:
    # After a restart every queued tap is older than Telegram's 15 s: the answer is refused,
    # the tap's work is done, and the volunteer must not be told "something went wrong".
    await add_volunteer(bot.db, "李队长", role="leader", telegram_id=LEADER)
    await add_volunteer(
        bot.db, "队员1", telegram_id=LEADER + 1, skills=MOUNTAIN, fitness_passed_on=TODAY
    )
    leader, volunteer = bot.sandbox.user(LEADER, "李队长"), bot.sandbox.user(LEADER + 1, "队员1")
    await leader.send("/callout mountain 1 凤凰山西坡 徒步者脚踝受伤")
    _, page = await page_of(bot.sandbox, LEADER + 1)
    query = await volunteer.press(page, volunteer.buttons(page)[0][1])
    bot.sandbox.world.callback_queries[query].created -= 16  # as if it waited out a restart

    await leader.wait_for_message(lambda m: "已确认 1/1" in text_of(m))
    await bot.sandbox.wait_for(
        lambda: any(
            c.method == "answerCallbackQuery" and c.status == 400 for c in bot.sandbox.calls
        )
    )
    apology = t("error.internal", "zh")
    assert all(apology not in text_of(m) for m in bot.sandbox.messages_to(LEADER + 1))
    assert all(apology not in text_of(m) for m in bot.sandbox.messages_to(LEADER))
