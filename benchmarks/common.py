"""What the benchmarks share: a team in a temp database, the running bot, a callout's fan-out,
and a burst of taps measured from the sandbox's call log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.settings import Settings
from roster.repository import RosterRepository
from sandbox.people import SimUser
from sandbox.server import ApiCall, BotApiSandbox
from storage.db import Database, open_database
from storage.unit_of_work import UnitOfWork
from tests.conftest import TEST_TOKEN, make_settings
from tests.factories import add_volunteer

TELEGRAM_LIMIT = 30  # messages per second to different chats, enforced by the sandbox
LEADER = 7000
FIRST_VOLUNTEER = 100_000
PAGE_MARK = "出队召集"
REPO = Path(__file__).resolve().parent.parent


def quiet_logs() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "apscheduler", "telegram.ext"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def chat_of(params: dict[str, Any]) -> int | None:
    raw = params.get("chat_id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


async def team_settings(box: BotApiSandbox, directory: Path, volunteers: int) -> Settings:
    """A database with `volunteers` linked, insured members of team SD and their leader (left
    out for want of insurance, so exactly `volunteers` people are paged)."""
    settings = make_settings(directory / "bench.db", box.api_url)
    db = await open_database(settings.db_path)
    try:
        await RosterRepository(db).seed_reference_data()
        await add_volunteer(db, "李队长", role="leader", telegram_id=LEADER, insured_until=None)
        box.user(LEADER, "李队长")
        if volunteers > 300:
            await _add_many(db, volunteers)
        for uid in volunteer_ids(volunteers):
            if volunteers <= 300:
                await add_volunteer(db, f"队员{uid - FIRST_VOLUNTEER}", telegram_id=uid)
            box.user(uid, f"队员{uid - FIRST_VOLUNTEER}")
    finally:
        await db.close()
    return settings


async def _add_many(db: Database, volunteers: int) -> None:
    """The same volunteers as `add_volunteer` writes, in two statements (26,300 one by one
    would take minutes)."""
    now = "2026-01-01T00:00:00+00:00"
    ids = volunteer_ids(volunteers)
    async with UnitOfWork(db) as uow:
        await uow.tx.executemany(
            "INSERT INTO volunteers (team_code, name, phone, role, telegram_id, active, "
            "created_at, updated_at) VALUES ('SD',?,?,'member',?,1,?,?)",
            [(f"队员{u - FIRST_VOLUNTEER}", f"+86139{u:08d}", u, now, now) for u in ids],
        )
        await uow.tx.execute(
            "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, "
            "start_date, end_date) SELECT id, '平安', 'B' || id, 500000, '2000-01-01', "
            "'2099-12-31' FROM volunteers WHERE telegram_id >= ?",
            (FIRST_VOLUNTEER,),
        )


def volunteer_ids(count: int) -> list[int]:
    return [FIRST_VOLUNTEER + n for n in range(1, count + 1)]


@dataclass
class FanOut:
    pages: int
    seconds: float
    too_many_requests: int

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def ratio(self) -> float:
        return self.rate / TELEGRAM_LIMIT

    @property
    def ideal_seconds(self) -> float:
        return self.pages / TELEGRAM_LIMIT

    @property
    def to_floor(self) -> float:
        """Seconds taken / the floor (pages / 30 s): 1.0 is Telegram's free limit exactly."""
        return self.seconds / self.ideal_seconds if self.pages else 0.0

    def line(self) -> str:
        return (
            f"{self.pages} pages in {self.seconds:6.2f} s  (floor {self.ideal_seconds:6.2f} s)  "
            f"ratio to floor {self.to_floor:.3f}  {self.rate:6.1f} msg/s  "
            f"{self.too_many_requests} × 429"
        )

    def lines(self) -> list[str]:
        return [
            f"pages delivered:    {self.pages}",
            f"seconds:            {self.seconds:.2f}  (ideal at {TELEGRAM_LIMIT}/s: "
            f"{self.ideal_seconds:.2f})",
            f"achieved rate:      {self.rate:.1f} messages/s",
            f"ratio to the floor: {self.to_floor:.3f}  (seconds / ideal seconds)",
            f"429s received:      {self.too_many_requests}",
        ]


async def callout_and_wait(
    box: BotApiSandbox,
    ids: list[int],
    needed: int,
    timeout: float = 120,  # noqa: ASYNC109 - passed on to the sandbox waiter
) -> FanOut:
    """The leader calls out `flood`; returns once every volunteer has the page."""
    leader = box.user(LEADER, "李队长")
    wanted = set(ids)
    since = len(box.calls)
    started = time.monotonic()  # the /callout update is queued in this instant
    await leader.send(f"/callout flood {needed} 城西街道 内涝转移群众")

    # Each volunteer's first message is their page; anything later (a reminder, once the
    # fan-out outlasts the escalation interval) must not count as someone else's page.
    first: dict[int, float] = {}
    new_calls = NewCalls(box, since)

    def delivered() -> bool:
        for c in new_calls.take():
            chat = chat_of(c.params)
            if c.method == "sendMessage" and c.ok and chat in wanted and chat not in first:
                first[chat] = c.time
        return len(first) >= len(wanted)

    await box.wait_for(delivered, timeout=timeout)
    refused = sum(1 for c in box.calls[since:] if c.status == 429)
    return FanOut(len(first), max(first.values()) - started, refused)


class NewCalls:
    """The sandbox's answered calls, each handed out once, so a wait_for predicate costs
    only what is new (at 26,300 pages, rescanning every call on every change would take
    the benchmark's own CPU away from the sandbox)."""

    def __init__(self, box: BotApiSandbox, since: int) -> None:
        self._box = box
        self._next = since
        self._in_flight: set[int] = set()

    def take(self) -> list[ApiCall]:
        calls = self._box.calls
        done = [i for i in self._in_flight if not calls[i].pending]
        self._in_flight.difference_update(done)
        answered = [calls[i] for i in sorted(done)]
        for index in range(self._next, len(calls)):
            if calls[index].pending:
                self._in_flight.add(index)
            else:
                answered.append(calls[index])
        self._next = len(calls)
        return answered


def page_of(user: SimUser) -> dict[str, Any]:
    return next(
        m for m in reversed(user.inbox()) if PAGE_MARK in str(m.get("text")) and user.buttons(m)
    )


@dataclass
class Burst:
    label: str
    latencies: list[float]  # answer arrival − press, per tap
    first_press: float
    last_answer: float
    bot_cpu: float | None = None  # CPU seconds the bot process used during the burst
    late: int = 0  # answered after Telegram's 15 s limit for a tap (refused)

    @property
    def cpu_ms_per_tap(self) -> float | None:
        return None if self.bot_cpu is None else self.bot_cpu * 1000 / self.taps

    @property
    def taps(self) -> int:
        return len(self.latencies)

    @property
    def seconds(self) -> float:
        return self.last_answer - self.first_press

    @property
    def throughput(self) -> float:
        return self.taps / self.seconds if self.seconds > 0 else float("inf")

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)

    def line(self) -> str:
        return (
            f"{self.label:<11} taps {self.taps:>4}  p50 {self.percentile(50) * 1000:7.1f} ms  "
            f"p95 {self.percentile(95) * 1000:7.1f} ms  max {max(self.latencies) * 1000:7.1f} ms  "
            f"throughput {self.throughput:7.1f} taps/s"
            + (f"  {self.late} too late (>15 s)" if self.late else "")
            + (
                f"  bot CPU {self.bot_cpu:.2f} s ({self.cpu_ms_per_tap:.2f} ms/tap)"
                if self.bot_cpu is not None
                else ""
            )
        )


def percentile(values: Iterable[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(p) - 1]


async def tap_burst(
    box: BotApiSandbox,
    label: str,
    presses: list[tuple[SimUser, dict[str, Any], str]],
    timeout: float = 30,  # noqa: ASYNC109 - passed on to the sandbox waiter
    *,
    pid: int | None = None,
) -> Burst:
    """Every (user, message, callback_data) pressed in the same instant; waits for all answers.
    With the `pid` of a bot process, also how much CPU it used until the last answer."""
    cpu_before = cpu_seconds(pid) if pid is not None else None
    # press() does not yield to the event loop, so all updates are queued before the bot
    # sees any of them: the whole team taps in the same instant.
    query_ids = [await user.press(message, data) for user, message, data in presses]
    records = box.world.callback_queries
    unanswered = set(query_ids)
    new_calls = NewCalls(box, len(box.calls))

    def all_answered() -> bool:
        # An answer that came too late (Telegram refuses it after 15 s) counts as answered,
        # late: the latency shows it, and `Burst.late` counts it.
        for call in new_calls.take():
            if call.method == "answerCallbackQuery":
                unanswered.discard(str(call.params.get("callback_query_id")))
        return not unanswered

    await box.wait_for(all_answered, timeout)
    cpu_after = cpu_seconds(pid) if pid is not None else None
    wanted = set(query_ids)
    answered: dict[str, float] = {}
    late = 0
    for call in box.calls:
        if call.method == "answerCallbackQuery" and not call.pending:
            query = str(call.params.get("callback_query_id"))
            if query in wanted and query not in answered:
                answered[query] = call.time
                late += 0 if call.ok else 1
    latencies = [answered[q] - records[q].created for q in query_ids]
    return Burst(
        label,
        latencies,
        min(records[q].created for q in query_ids),
        max(answered.values()),
        None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
        late,
    )


WEBHOOK_URL = "https://bench.example.org/tg/hook"  # the sandbox posts to its path on 127.0.0.1


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for a server started by another process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def bot_process(
    box: BotApiSandbox,
    module_args: list[str],
    directory: Path,
    *,
    label: str,
    db_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
    webhook: bool = False,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot under test in its own process (`python -m <module_args>`), as in production:
    the sandbox and the simulated people stay in this process, so their CPU does not compete
    with the bot's event loop. Yields once the bot is long-polling (with `webhook`: once it
    has set its webhook, which the sandbox then posts to); stops it with SIGTERM.

    Profiling, for the benchmark runs only: BENCH_CPROFILE=<dir> runs the bot under cProfile
    (`<dir>/<label>.prof`, the whole run); see also `sampled`.
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": box.api_url,
        "RESCUEBOT_DB": str(db_path or directory / "unused.db"),
        "RESCUEBOT_TIMEZONE": "Asia/Shanghai",
        "RESCUEBOT_LANGUAGE": "zh",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", *module_args]
    since = len(box.calls)
    if webhook:
        port = free_port()
        command += ["--webhook", WEBHOOK_URL, "--listen", "127.0.0.1", "--port", str(port)]
        box.route_webhook(f"http://127.0.0.1:{port}")
    cprofile = os.environ.get("BENCH_CPROFILE")
    if cprofile:
        Path(cprofile).mkdir(parents=True, exist_ok=True)
        command[1:1] = ["-m", "cProfile", "-o", str(Path(cprofile) / f"{label}.prof")]
    log_path = directory / f"{label}.log"
    with log_path.open("wb") as log_file:
        # cwd: the temp directory, so a developer's .env in the repository is not read.
        process = await asyncio.create_subprocess_exec(
            *command, env=env, cwd=directory, stdout=log_file, stderr=log_file
        )
        try:

            def ready() -> bool:
                if webhook:
                    return process.returncode is not None or any(
                        c.method == "setWebhook" and c.ok for c in box.calls[since:]
                    )
                return box.polls_waiting > 0 or process.returncode is not None

            await box.wait_for(ready, timeout=60)
            if process.returncode is not None:
                raise RuntimeError(f"{label} exited: {log_path.read_text()[-2000:]}")
            yield process
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    # A clean stop gives follow-ups in flight RESCUEBOT_STOP_GRACE_SECONDS
                    # (20 s) and saves the rest; this bound only catches a hung stop.
                    await asyncio.wait_for(process.wait(), 120)
                except TimeoutError:
                    process.kill()
                    await process.wait()
    if process.returncode != 0:
        raise RuntimeError(
            f"{label} exited with {process.returncode}: {log_path.read_text()[-2000:]}"
        )


@contextlib.asynccontextmanager
async def sampled(pid: int | None, label: str) -> AsyncIterator[None]:
    """With BENCH_PYSPY=<dir> (and py-spy installed next to this Python), sample the bot
    process while the block runs into `<dir>/<label>.txt` (collapsed stacks)."""
    out = os.environ.get("BENCH_PYSPY")
    if pid is None or not out:
        yield
        return
    Path(out).mkdir(parents=True, exist_ok=True)
    spy = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("py-spy")), "record", "--nonblocking", "--rate",
        "250", "--format", "raw", "--pid", str(pid), "-o", str(Path(out) / f"{label}.txt"),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await asyncio.sleep(0.5)  # py-spy attaches
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        await asyncio.wait_for(spy.wait(), 30)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
