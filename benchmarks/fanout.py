"""Fan-out speed: how close a whole-team callout comes to Telegram's 30 messages per second.

    python -m benchmarks.fanout [--volunteers 263]

A temp database holds one team of N eligible, linked volunteers and their leader; the sandbox
enforces 30 deliveries per sliding second like Telegram; the real bot long-polls it. The leader
calls out `flood N`; the time runs from the /callout update to the arrival of the last page.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from benchmarks.common import (
    TELEGRAM_LIMIT,
    FanOut,
    callout_and_wait,
    quiet_logs,
    team_settings,
    volunteer_ids,
)
from bot.app import running_bot
from sandbox.server import BotApiSandbox

TARGET_RATIO = 0.9  # of the limit; pacing evenly just under it gives about 0.95


async def measure(volunteers: int) -> FanOut:
    with tempfile.TemporaryDirectory(prefix="rescuebot-bench-") as tmp:
        async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
            settings = await team_settings(box, Path(tmp), volunteers)
            async with running_bot(settings, poll_timeout=1):
                return await callout_and_wait(box, volunteer_ids(volunteers), min(volunteers, 300))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fanout", description=__doc__)
    parser.add_argument("--volunteers", type=int, default=263)
    args = parser.parse_args(argv)
    quiet_logs()
    result = asyncio.run(measure(args.volunteers))
    print(
        f"fan-out of one callout to {args.volunteers} volunteers, sandbox limit {TELEGRAM_LIMIT}/s"
    )
    for line in result.lines():
        print("  " + line)
    ok = result.pages == args.volunteers and result.too_many_requests == 0
    ok = ok and result.ratio >= TARGET_RATIO
    print(f"target (all delivered, no 429, ratio >= {TARGET_RATIO}): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
