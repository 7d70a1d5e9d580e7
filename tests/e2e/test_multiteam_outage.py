"""Team boards and `/update` messages outlast a Bot API outage: tried until delivered,
each exactly once (a 5xx means Telegram did nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.common import chat_of
from missions import delivery
from tests.conftest import BotHarness
from tests.e2e.test_callouts import page_of, tap, text_of
from tests.factories import add_coordinator, add_volunteer

COORD, HR_LEADER, QM_LEADER, SD_LEADER = 8900, 8050, 8060, 8100


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0.1, 0.3))


def refused(box: Any, chat: int, text: str) -> int:
    """Sends to `chat` containing `text` that the outage answered with a 5xx."""
    return sum(
        1
        for c in box.calls
        if c.status >= 500 and chat_of(c.params) == chat and text in str(c.params.get("text"))
    )


def copies(box: Any, chat: int, text: str) -> int:
    return sum(1 for m in box.messages_to(chat) if text in text_of(m))


async def test_team_boards_sent_during_an_outage_arrive_once_it_is_over(
    bot: BotHarness,
) -> None:
    box = bot.sandbox
    await add_coordinator(bot.db, COORD)
    for leader, team in ((HR_LEADER, "HR"), (QM_LEADER, "QM")):
        box.user(leader, f"{team}队长")
        await add_volunteer(bot.db, f"{team}队长", team=team, role="leader", telegram_id=leader)
        box.user(leader + 1, f"{team}队员")
        await add_volunteer(bot.db, f"{team}队员", team=team, telegram_id=leader + 1)
    coordinator = box.user(COORD, "值班员")
    box.outage(502, methods={"sendMessage"})
    await coordinator.send("/callout flood 4 江心洲 team=HR:2,QM:2")
    # Every board has met the outage more than once: it is being tried again.
    await box.wait_for(
        lambda: all(refused(box, chat, "本队部分") >= 2 for chat in (HR_LEADER, QM_LEADER)),
        timeout=30,
    )
    box.recover()
    hr, qm = box.user(HR_LEADER), box.user(QM_LEADER)
    await hr.wait_for_message(lambda m: "本队部分：HR · 全部已确认 0/4" in text_of(m))
    await qm.wait_for_message(lambda m: "本队部分：QM · 全部已确认 0/4" in text_of(m))
    await coordinator.wait_for_message("通知 4 人")
    # The boards that arrived late are the ones kept up to date.
    await tap(*await page_of(box, HR_LEADER + 1), "co:1:a")
    await hr.wait_for_message(lambda m: "全部已确认 1/4" in text_of(m))
    assert copies(box, HR_LEADER, "本队部分") == 1 and copies(box, QM_LEADER, "本队部分") == 1


async def test_an_update_sent_during_an_outage_reaches_every_responder_once(
    bot: BotHarness,
) -> None:
    box = bot.sandbox
    await add_volunteer(bot.db, "SD队长", team="SD", role="leader", telegram_id=SD_LEADER)
    for n in (1, 2):
        box.user(SD_LEADER + n, f"SD{n}")
        await add_volunteer(bot.db, f"SD{n}", team="SD", telegram_id=SD_LEADER + n)
    sd = box.user(SD_LEADER, "SD队长")
    await sd.send("/callout flood 1 江心洲")
    await sd.wait_for_message("召集 #1 已发出")
    going, standby = [await page_of(box, SD_LEADER + n) for n in (1, 2)]
    assert "已确认" in await tap(*going, "co:1:a")
    assert "待命" in await tap(*standby, "co:1:a")
    box.outage(503, methods={"sendMessage"})
    await sd.send("/update 1 集合点改到北门")
    responders = (SD_LEADER + 1, SD_LEADER + 2)
    await box.wait_for(
        lambda: all(refused(box, chat, "集合点改到北门") >= 2 for chat in responders),
        timeout=30,
    )
    box.recover()
    await sd.wait_for_message("通报已发给召集 #1 的 2 位")
    for chat in responders:
        await box.user(chat).wait_for_message("集合点改到北门")
    assert all(copies(box, chat, "集合点改到北门") == 1 for chat in responders)
