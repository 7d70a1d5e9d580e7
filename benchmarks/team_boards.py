"""Board edits per second under a two-team tap storm (several teams on one incident).

    python -m benchmarks.team_boards [--per-team 100]

A coordinator calls out `team=HR:N,QM:N`; HR's and QM's leaders each get a team board
next to the coordinator's board. Once every page is out, all 2N volunteers tap *Available*
at once. For each of the three boards it prints the edits made from the first tap until
the boards settle, and the most edits in any one-second window (the coalescing promise:
about one a second per board, however many taps). The bot runs in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import TELEGRAM_LIMIT, chat_of, page_of, quiet_logs, tap_burst
from bot.app import running_bot
from roster.repository import RosterRepository
from sandbox.server import BotApiSandbox
from storage.db import open_database
from tests.conftest import make_settings
from tests.factories import add_coordinator, add_volunteer

COORD = 9_000
LEADERS = {"HR": 9_100, "QM": 9_200}
FIRST = 200_000


def busiest_second(times: list[float]) -> int:
    """The most of `times` within any one-second window."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(per_team: int) -> dict[str, tuple[int, float, int]]:
    with tempfile.TemporaryDirectory(prefix="rescuebot-teams-") as tmp:
        async with BotApiSandbox(rate_limit_per_second=TELEGRAM_LIMIT) as box:
            settings = make_settings(Path(tmp) / "bench.db", box.api_url)
            db = await open_database(settings.db_path)
            ids: list[int] = []
            try:
                await RosterRepository(db).seed_reference_data()
                await add_coordinator(db, COORD)
                box.user(COORD, "值班员")
                for team, leader in LEADERS.items():
                    # Uninsured leaders are not paged: exactly the members are.
                    await add_volunteer(
                        db, f"{team}队长", team=team, role="leader", telegram_id=leader,
                        insured_until=None,
                    )  # fmt: skip
                    box.user(leader, f"{team}队长")
                    for n in range(per_team):
                        uid = FIRST + leader + n
                        await add_volunteer(db, f"{team}{n}", team=team, telegram_id=uid)
                        box.user(uid, f"{team}{n}")
                        ids.append(uid)
            finally:
                await db.close()
            coordinator = box.user(COORD)
            async with running_bot(settings, poll_timeout=1):
                await coordinator.send(
                    f"/callout flood {2 * per_team} 江心洲 team=HR:{per_team},QM:{per_team}"
                )
                await coordinator.wait_for_message(f"通知 {2 * per_team} 人", timeout=60)
                users = [box.user(uid) for uid in ids]
                await box.wait_for(lambda: all(u.inbox() for u in users), timeout=60)
                since = len(box.calls)
                started = time.monotonic()
                presses = [(u, page_of(u), "co:1:a") for u in users]
                burst = await tap_burst(box, "team storm", presses, timeout=60)
                final = f"已确认 {2 * per_team}/{2 * per_team}"
                await coordinator.wait_for_message(lambda m: final in str(m.get("text")), 60)
                for leader in LEADERS.values():
                    await box.user(leader).wait_for_message(
                        lambda m: f"全部已确认 {2 * per_team}/" in str(m.get("text")), 60
                    )
                boards = {"coordinator": COORD, **{f"{t} leader": c for t, c in LEADERS.items()}}
                result: dict[str, tuple[int, float, int]] = {}
                for label, chat in boards.items():
                    times = [
                        c.time
                        for c in box.calls[since:]
                        if c.method == "editMessageText" and chat_of(c.params) == chat
                    ]
                    span = max(times) - started if times else 0.0
                    result[label] = (len(times), span, busiest_second(times))
                print(f"{len(presses)} taps answered, p95 {burst.percentile(95) * 1000:.0f} ms")
                return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-team", type=int, default=100)
    args = parser.parse_args(argv)
    quiet_logs()
    result = asyncio.run(run(args.per_team))
    worst = 0
    for label, (edits, span, busiest) in result.items():
        rate = edits / span if span else 0.0
        line = f"{label:12} edits {edits:3}  over {span:5.1f} s  = {rate:.2f}/s"
        print(f"{line}  busiest second {busiest}")
        worst = max(worst, busiest)
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
