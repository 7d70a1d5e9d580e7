"""Webhook mode: a tap is answered in the webhook's own HTTP response (no request at all),
the real bot process against a sandbox that posts updates and runs the answer's call."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.common import (
    LEADER,
    bot_process,
    callout_and_wait,
    page_of,
    tap_burst,
    team_settings,
    volunteer_ids,
)
from i18n.catalogue import t
from sandbox.server import BotApiSandbox

TEAM = 12


async def test_taps_in_webhook_mode_are_answered_in_the_webhook_response_once_each(
    tmp_path: Path,
) -> None:
    ids = volunteer_ids(TEAM)
    async with BotApiSandbox(rate_limit_per_second=30) as box:
        settings = await team_settings(box, tmp_path, TEAM)
        leader = box.user(LEADER)
        async with bot_process(
            box,
            ["bot.cli", "run"],
            tmp_path,
            label="webhook",
            db_path=Path(settings.db_path),
            webhook=True,
        ):
            assert not any(c.method == "getUpdates" for c in box.calls)
            fan_out = await callout_and_wait(box, ids, TEAM, timeout=60)
            assert fan_out.pages == TEAM
            users = [box.user(uid) for uid in ids]
            burst = await tap_burst(box, "webhook", [(u, page_of(u), "co:1:a") for u in users])
            assert burst.taps == TEAM and not burst.late
            answers = [c for c in box.calls if c.method == "answerCallbackQuery"]
            # Each tap answered exactly once and accepted; the answers rode back in the
            # webhook responses (a late one may take the usual path — never both).
            assert all(c.ok for c in answers)
            per_query = Counter(str(c.params["callback_query_id"]) for c in answers)
            assert len(per_query) == TEAM and set(per_query.values()) == {1}
            assert any(c.via_webhook for c in answers)
            assert {c.params.get("text") for c in answers} == {t("tap.available", "zh")}
            # The board and the pages follow as in polling mode.
            await leader.wait_for_message(f"已确认 {TEAM}/{TEAM}", timeout=60)
