"""In webhook mode a tap is answered in the webhook's own HTTP response: no request at all.

Telegram runs one Bot API call given in the body of the answer to a webhook POST. While a
callback query's update is being handled, its POST waits (at most `WAIT`); if the handler
answers the tap in that time, the answer goes back as that call. Later than that, the POST
is acknowledged empty and the answer takes the usual fast path (bot/answers.py) — so a slow
handler never holds Telegram's connection long, and no answer is ever sent twice or lost:
the hand-over happens in one event loop, and only an answer still awaited is taken.

Telegram tells the bot nothing about how a call in a webhook answer went, so only plain
answers go this way (text, alert); Telegram's rare refusal of one (a query too old) is
not seen — as with the fast path, which only logs it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

WAIT = 1.0  # seconds a callback query's POST waits for its answer
MAX_ANSWER_TEXT = 200  # Telegram's limit for the notification text


class WebhookAnswers:
    def __init__(self, wait: float = WAIT) -> None:
        self._wait = wait
        self._awaited: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.in_response = 0  # answers that went in a webhook response
        self.too_late = 0  # answers not ready in time (they went the usual way)

    async def response_for(self, query_id: str, handle: Awaitable[None]) -> dict[str, Any] | None:
        """Hand the update on (`handle`) and wait for the answer to query `query_id`: the
        webhook response's body, or None if it did not come within the wait."""
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._awaited[query_id] = answer
        try:
            await handle
            async with asyncio.timeout(self._wait):
                return await answer
        except TimeoutError:
            if answer.done() and not answer.cancelled():
                return answer.result()  # given just as the wait ran out: it still goes here
            self.too_late += 1
            return None
        finally:
            if self._awaited.get(query_id) is answer:
                del self._awaited[query_id]

    def offer(self, query_id: str, text: str | None, show_alert: bool) -> bool:
        """True if the answer will go in the webhook response of its update (the caller sends
        nothing); False if nobody awaits it any more (the caller answers the usual way)."""
        answer = self._awaited.pop(query_id, None)
        if answer is None or answer.done():
            return False
        body: dict[str, Any] = {"method": "answerCallbackQuery", "callback_query_id": query_id}
        if text:
            body["text"] = text[:MAX_ANSWER_TEXT]
        if show_alert:
            body["show_alert"] = True
        answer.set_result(body)
        self.in_response += 1
        return True
