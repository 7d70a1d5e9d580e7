"""A volunteer's page after their tap, during a Bot API outage: the edit is tried again like
the board's, and once Telegram is back the page shows the volunteer's latest answer.
(The outage is switched off by the test, not by a clock; the bot's waits are shortened.)"""

from __future__ import annotations

import pytest

from benchmarks.common import chat_of
from missions import delivery
from tests.conftest import BotHarness
from tests.e2e.test_callouts import CALL, LEADER, mountain_team, page_of, tap, text_of

EDITS = {"editMessageText", "editMessageReplyMarkup"}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.1, 0.3))


async def test_a_page_edit_lost_to_an_outage_arrives_after_it_with_the_latest_answer(
    bot: BotHarness,
) -> None:
    box = bot.sandbox
    await mountain_team(bot.db, 2, box)
    await box.user(LEADER, "李队长").send(CALL)
    volunteer = LEADER + 1
    user, page = await page_of(box, volunteer)
    box.outage(502, methods=EDITS)
    since = len(box.calls)

    def refused() -> int:
        return sum(
            1
            for c in box.calls[since:]
            if c.method in EDITS and c.status == 502 and chat_of(c.params) == volunteer
        )

    assert "已确认" in await tap(user, page, "co:1:a")
    await box.wait_for(lambda: refused() >= 3, timeout=10)
    # The ETA buttons never reached the page; a tap on one (from an older client) still
    # counts, and the page must end up showing it.
    assert "30 分钟" in await tap(user, page, "co:1:eta:30", force=True)
    tried = refused()
    await box.wait_for(lambda: refused() >= tried + 2, timeout=10)
    box.recover()
    edited = await user.wait_for_message(
        lambda m: "你已确认出队" in text_of(m) and "30 分钟到" in text_of(m), timeout=10
    )
    assert "co:1:eta:30" in str(edited.get("reply_markup"))  # the ETA buttons arrived too
