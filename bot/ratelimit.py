"""Outgoing pace: evenly just under Telegram's ~30 messages per second.

A bucket that lets 30 through at once and then refills would burst past a
sliding one-second window and earn 429s; spacing every send by 1/29 s never
does, and finishes a 263-person fan-out in about nine seconds. Requests
without a chat (answerCallbackQuery) are not limited, so taps are answered
at once even mid-fan-out. 429s that still happen are waited out and retried.
"""

from __future__ import annotations

from telegram.ext import AIORateLimiter

MESSAGES_PER_SECOND = 29


def make_rate_limiter(per_second: int = MESSAGES_PER_SECOND) -> AIORateLimiter:
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / per_second,
        group_max_rate=20,
        group_time_period=60,
        max_retries=12,
    )
