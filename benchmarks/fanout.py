"""Fan-out speed: how close a whole-team callout comes to Telegram's 30 messages per second.

    python -m benchmarks.fanout [--volunteers 263] [--runs 3] [--inject-429] [--paid]

A temp database holds one team of N eligible, linked volunteers and their leader; the sandbox
enforces Telegram's limits (30 deliveries per sliding second, per-chat and group limits); the
real bot runs in its own process, as in production, and long-polls it. The leader calls out
`flood`; the time runs from the /callout update to the arrival of the last page. Prints, per
run and as the median, the ratio to the floor (seconds / (N / 30 s)) and the 429s.

--inject-429: the sandbox refuses one page with 429 (retry_after 1 s) once a third of the
pages are out; the target is that it costs only its pause.
--paid: RESCUEBOT_PAID_BROADCAST=1 (pages as paid broadcasts, up to 1,000/s).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    LEADER,
    TELEGRAM_LIMIT,
    FanOut,
    bot_process,
    callout_and_wait,
    chat_of,
    quiet_logs,
    team_settings,
    volunteer_ids,
)
from bot.app import running_bot
from sandbox.server import BotApiSandbox

# Seconds / floor. Free: evenly just under the limit, a 429-free 2,630 within 8 % of the
# floor; one 429 (a one-second pause) at 263 within 15 %. Paid: 2,630 pages in 4 s.
TARGET_FREE = 1.08
TARGET_ONE_429 = 1.15
TARGET_PAID_SECONDS_PER_2630 = 4.0


async def measure(
    volunteers: int, *, inject_429: bool = False, paid: bool = False, in_process: bool = False
) -> FanOut:
    ids = volunteer_ids(volunteers)
    with tempfile.TemporaryDirectory(prefix="rescuebot-bench-") as tmp:
        async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
            settings = await team_settings(box, Path(tmp), volunteers)
            env = {"RESCUEBOT_PAID_BROADCAST": "1"} if paid else {}
            bot = (
                running_bot(settings.model_copy(update={"paid_broadcast": paid}), poll_timeout=1)
                if in_process
                else bot_process(
                    box,
                    ["bot.cli", "run"],
                    Path(tmp),
                    label="rescuebot",
                    db_path=Path(settings.db_path),
                    extra_env=env,
                )
            )
            async with bot:
                if inject_429:
                    wanted = set(ids)

                    async def inject() -> None:
                        await box.wait_for(
                            lambda: (
                                sum(
                                    1
                                    for c in box.calls
                                    if c.ok
                                    and c.method == "sendMessage"
                                    and chat_of(c.params) in wanted
                                )
                                >= volunteers // 3
                            ),
                            timeout=600,
                        )
                        box.inject_429(1, retry_after=1, methods={"sendMessage"})

                    injector = asyncio.create_task(inject())
                result = await callout_and_wait(box, ids, min(volunteers, 300), timeout=3600)
                if inject_429:
                    await injector
                # The reply comes once the fan-out is done: the bot is idle again.
                await box.user(LEADER).wait_for_message("已发出", timeout=120)
                return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fanout", description=__doc__)
    parser.add_argument("--volunteers", type=int, default=263)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--inject-429", action="store_true")
    parser.add_argument("--paid", action="store_true")
    parser.add_argument(
        "--in-process", action="store_true", help="run the bot in the benchmark's process"
    )
    args = parser.parse_args(argv)
    quiet_logs()
    mode = "paid broadcast" if args.paid else "free"
    extra = ", one injected 429" if args.inject_429 else ""
    print(
        f"fan-out of one callout to {args.volunteers} volunteers ({mode}{extra}), "
        f"sandbox limit {TELEGRAM_LIMIT}/s"
    )
    results: list[FanOut] = []
    for run in range(1, args.runs + 1):
        started = time.monotonic()
        result = asyncio.run(
            measure(
                args.volunteers,
                inject_429=args.inject_429,
                paid=args.paid,
                in_process=args.in_process,
            )
        )
        results.append(result)
        print(f"  run {run}: {result.line()}  (whole run {time.monotonic() - started:.0f} s)")
    median = statistics.median(r.to_floor for r in results)
    seconds = statistics.median(r.seconds for r in results)
    refused = max(r.too_many_requests for r in results)
    complete = all(r.pages == args.volunteers for r in results)
    print(f"  median: {seconds:.2f} s, ratio to floor {median:.3f}; most 429s in a run {refused}")
    if args.paid:
        limit = TARGET_PAID_SECONDS_PER_2630 * args.volunteers / 2630
        ok = complete and seconds <= limit
        target = f"all delivered in ≤ {limit:.2f} s"
    elif args.inject_429:
        ok = complete and median <= TARGET_ONE_429
        target = f"all delivered, ratio to floor ≤ {TARGET_ONE_429}"
    else:
        ok = complete and refused == 0 and median <= TARGET_FREE
        target = f"all delivered, no 429, ratio to floor ≤ {TARGET_FREE}"
    print(f"  target ({target}): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
