import asyncio

from bot.webhook_answers import WebhookAnswers


async def handed_on() -> None:
    return None


async def test_an_answer_given_while_its_update_is_handled_becomes_the_webhook_response() -> None:
    answers = WebhookAnswers(wait=5)
    response = asyncio.ensure_future(answers.response_for("q1", handed_on()))
    await asyncio.sleep(0)  # the update is handed on; its POST waits
    assert answers.offer("q1", "Thanks" + "!" * 300, show_alert=True)
    body = await response
    assert body is not None
    assert body["method"] == "answerCallbackQuery" and body["callback_query_id"] == "q1"
    assert body["show_alert"] is True and len(body["text"]) == 200
    assert answers.in_response == 1


async def test_an_answer_too_late_for_the_response_goes_the_usual_way_and_only_once() -> None:
    answers = WebhookAnswers(wait=0.01)
    assert await answers.response_for("q2", handed_on()) is None
    assert answers.too_late == 1
    # Nobody awaits it any more: the bot sends it itself.
    assert not answers.offer("q2", "Thanks", show_alert=False)


async def test_an_answer_to_a_tap_no_response_awaits_is_not_taken() -> None:
    answers = WebhookAnswers()
    assert not answers.offer("never-posted", None, show_alert=False)
    assert answers.in_response == 0
