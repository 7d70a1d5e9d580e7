"""`rescuebot demo`: a scripted incident played against the bundled Bot API sandbox.

No token and no network: a temporary demo database, the sandbox on
127.0.0.1, and the real bot long-polling it. People are simulated through the
sandbox exactly as the end-to-end tests do, and the conversation is printed as
a transcript. Exit code 0 only if every step happened.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.clock import SystemClock, local_today
from common.settings import Settings
from dashboard.demo import dashboard_settings, keep_running, print_dashboard_link
from i18n.catalogue import all_keys, t
from reports.summary_queries import mission_count, volunteer_count
from roster.model import Role
from roster.repository import RosterRepository
from storage.db import Database, open_database

TEAM = "SD"
NEEDED = 6
STEP_TIMEOUT = 20.0
DEMO_MINUTES = 0.02  # 1.2 s
# Who answers what: six Available with ETAs fill the callout, one cannot go,
# and a seventh Available arrives after it is full and goes on standby.
SCRIPT: tuple[tuple[str, int | None], ...] = (
    ("a", 15), ("a", 30), ("u", None), ("a", 15), ("a", 60), ("a", 30), ("a", 15), ("a", None),
)  # fmt: skip

JsonDict = dict[str, Any]


class DemoFailed(Exception):
    def __init__(self, step: str, error: str) -> None:
        super().__init__(step, error)
        self.step = step
        self.error = error


@dataclass
class Person:
    name: str
    telegram_id: int
    user: Any  # sandbox SimUser
    phone: str = ""


def _text(message: JsonDict) -> str:
    return str(message.get("text") or message.get("caption") or "")


def _indent(text: str) -> str:
    return "\n".join("           " + line for line in text.splitlines())


class Transcript:
    def __init__(self, lang: str, echo: Callable[[str], None]) -> None:
        self.lang = lang
        self.echo = echo
        self.started = time.monotonic()

    def clock(self) -> str:
        return f"{time.monotonic() - self.started:5.1f}s"

    def line(self, key: str, **params: Any) -> None:
        first, *rest = t(key, self.lang, clock=self.clock(), **params).split("\n")
        self.echo(first)
        if rest:
            self.block("\n".join(rest))

    def block(self, text: str) -> None:
        self.echo(_indent(text))


async def _prepare(settings: Settings, lang: str) -> tuple[Database, int, int]:
    from bot.seeding import seed_demo

    db = await open_database(settings.db_path)
    await RosterRepository(db).seed_reference_data()
    await seed_demo(db, local_today(SystemClock(), settings.tz))
    return db, await volunteer_count(db), await mission_count(db)


async def _step(name: str, lang: str, work: Any) -> Any:
    try:
        return await asyncio.wait_for(work, STEP_TIMEOUT)
    except (TimeoutError, AssertionError) as error:
        raise DemoFailed(t(f"demo.step.{name}", lang), str(error) or type(error).__name__) from None


async def play(lang: str, echo: Callable[[str], None] = print, *, dashboard: bool = False) -> float:
    """Play the incident; returns its wall time, raises DemoFailed naming a missing step."""
    from bot.app import running_bot
    from sandbox import BotApiSandbox

    with tempfile.TemporaryDirectory(prefix="rescuebot-demo-") as folder:
        db_path = Path(folder) / "demo.db"
        box = BotApiSandbox(rate_limit_per_second=30)
        await box.start()
        try:
            # model_validate reads no environment or .env: the demo is self-contained.
            settings = Settings.model_validate(
                {
                    "TELEGRAM_BOT_TOKEN": "123456:demo-token-for-the-local-sandbox",
                    "TELEGRAM_API_URL": box.api_url,
                    "RESCUEBOT_DB": str(db_path),
                    "RESCUEBOT_LANGUAGE": lang,
                    **dashboard_settings(dashboard),
                    # Minutes shrunk to seconds so the whole incident plays in a few:
                    # escalation after 1.2 s, a safety check 2.4 s after the first
                    # arrival with 1.2 s to answer, the return flagged 2.4 s after close.
                    "RESCUEBOT_ESCALATE_MINUTES": DEMO_MINUTES,
                    "RESCUEBOT_CHECK_MINUTES": 2 * DEMO_MINUTES,
                    "RESCUEBOT_CHECK_GRACE_MINUTES": DEMO_MINUTES,
                    "RESCUEBOT_RETURN_MINUTES": 2 * DEMO_MINUTES,
                }
            )
            db, volunteers, missions = await _prepare(settings, lang)
            try:
                people = await _people(db, box, lang)
                out = Transcript(lang, echo)
                out.echo(t("demo.title", lang, db=db_path.name))
                leader = people[0]
                out.echo(
                    t(
                        "demo.setup",
                        lang,
                        volunteers=volunteers,
                        missions=missions,
                        team=TEAM,
                        leader=leader.name,
                    )
                )
                async with running_bot(settings, poll_timeout=1):
                    if dashboard:
                        await print_dashboard_link(db, settings, echo)
                    await _incident(out, box, lang, leader, people[1:])
                    if dashboard:
                        await keep_running(settings, echo)
            finally:
                await db.close()
        finally:
            await box.stop()
    return time.monotonic() - out.started


async def _people(db: Database, box: Any, lang: str) -> list[Person]:
    """The team's leader first, then every linked member, each as a simulated Telegram user."""
    members = await RosterRepository(db).team_members(TEAM)
    linked = [v for v in members if v.telegram_id is not None]
    # Leader first, then by id (team_members comes in id order; the sort is stable).
    linked.sort(key=lambda v: v.role != Role.LEADER)
    return [
        Person(v.name, tid, box.user(tid, v.name, language_code=lang), v.phone)
        for v in linked
        if (tid := v.telegram_id) is not None
    ]


def _is_page(message: JsonDict) -> bool:
    return any(data.startswith("co:") and data.endswith(":a") for _, data in _buttons(message))


def _buttons(message: JsonDict) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row if "callback_data" in b]


def _pattern(key: str, lang: str) -> re.Pattern[str]:
    """A catalogue message as a regex whose numeric placeholders are captured."""
    template = re.escape(t(key, lang, **{name: "\x00" for name in _fields(key, lang)}))
    return re.compile(template.replace("\x00", r"(\d+)"))


def _fields(key: str, lang: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(all_keys()[key][lang]) if f]


def _is_board(message: JsonDict) -> bool:
    return _text(message).startswith("📋")


async def _incident(
    out: Transcript, box: Any, lang: str, leader: Person, members: list[Person]
) -> None:
    who_leads = t("demo.leader", lang, name=leader.name)
    # 1. The leader calls out the team.
    command = (
        f"/callout mountain {NEEDED} {t('demo.place', lang)} {t('demo.description', lang)} "
        "skills=mountain_search"
    )
    out.line("demo.says", who=who_leads, text=command)
    await leader.user.send(command)
    started = _pattern("callout.started", lang)
    sent = await _step(
        "callout", lang, leader.user.wait_for_message(lambda m: bool(started.search(_text(m))))
    )
    board = await _step("callout", lang, leader.user.wait_for_message(_is_board))
    out.line("demo.bot_to", who=leader.name, text=_text(sent))
    out.line("demo.board", who=leader.name)
    out.block(_text(board))

    # 2. Pages reach the eligible members; the rest are on the board with their reasons.
    match = started.search(_text(sent))
    assert match is not None
    callout_id, expected = int(match.group(1)), int(match.group(2))
    members = [p for p in members if p.telegram_id != leader.telegram_id]

    def pages() -> list[tuple[Person, JsonDict]]:
        found = []
        for person in members:
            page = next((m for m in person.user.inbox() if _is_page(m)), None)
            if page is not None:
                found.append((person, page))
        return found

    # The caller may be paged too, so members' pages number `expected` or one fewer.
    await _step("pages", lang, box.wait_for(lambda: len(pages()) >= expected - 1, STEP_TIMEOUT))
    paged = pages()
    if len(paged) < len(SCRIPT):
        raise DemoFailed(
            t("demo.step.pages", lang),
            t("demo.too_few", lang, count=len(paged), needed=len(SCRIPT)),
        )
    first_person, first_page = paged[0]
    out.line("demo.pages", count=expected, who=first_person.name)
    out.block(_text(first_page))

    # 2b. Nobody has answered yet when the escalation falls due: the leader gets the
    # list of those who have not replied, with their phone numbers, to ring them.
    escalated = _pattern("escalation.caller", lang)
    note = await _step(
        "escalation",
        lang,
        leader.user.wait_for_message(lambda m: bool(escalated.search(_text(m)))),
    )
    out.line("demo.bot_to", who=leader.name, text=_text(note))

    # 3. Replies: Available with an ETA, one Unavailable, a late Available on standby.
    for (person, page), (choice, eta) in zip(paged, SCRIPT, strict=False):
        await _step("replies", lang, _tap(out, person, page, choice, eta))

    # 4. The board fills; it is edited in place, at most about once a second.
    filled = t("board.confirmed", lang, count=NEEDED, needed=NEEDED)
    standby = t("board.standby", lang, count=1, names="").strip()

    def full(message: JsonDict) -> bool:
        return _is_board(message) and filled in _text(message) and standby in _text(message)

    final_board = await _step("filled", lang, leader.user.wait_for_message(full))
    out.line("demo.board", who=leader.name)
    out.block(_text(final_board))
    await _incident_operations(out, lang, leader, callout_id, paged)


async def _tap(
    out: Transcript, person: Person, page: JsonDict, choice: str, eta: int | None
) -> None:
    labels = {data: label for label, data in _buttons(page)}
    data = next(d for d in labels if d.endswith(f":{choice}"))
    out.line("demo.taps", who=person.name, button=labels[data])
    answer = await person.user.wait_for_answer(await person.user.press(page, data))
    out.echo(t("demo.answer", out.lang, text=answer.get("text", "")))
    if eta is None:
        return
    suffix = f":eta:{eta}"

    def offers_eta(message: JsonDict) -> bool:
        return message["message_id"] == page["message_id"] and any(
            d.endswith(suffix) for _, d in _buttons(message)
        )

    # The page is edited to offer ETA buttons after *Available*.
    current = await person.user.wait_for_message(offers_eta)
    choices = {d: label for label, d in _buttons(current)}
    eta_data = next(d for d in choices if d.endswith(suffix))
    out.line("demo.taps", who=person.name, button=choices[eta_data])
    answer = await person.user.wait_for_answer(await person.user.press(current, eta_data))
    out.echo(t("demo.answer", out.lang, text=answer.get("text", "")))


async def run_demo(lang: str, *, dashboard: bool = False) -> int:
    try:
        seconds = await play(lang, dashboard=dashboard)
    except DemoFailed as failure:
        print(t("demo.failed", lang, step=failure.step, error=failure.error))
        return 1
    print(t("demo.ok", lang, seconds=seconds))
    return 0


def _current(person: Person, page: JsonDict) -> JsonDict:
    """The page as it is now (it is edited as the answer changes)."""
    return next(m for m in person.user.inbox() if m["message_id"] == page["message_id"])


async def _press_label(out: Transcript, person: Person, message: JsonDict, label_key: str) -> None:
    label = t(label_key, out.lang)
    data = next(d for text, d in _buttons(message) if text == label)
    out.line("demo.taps", who=person.name, button=label)
    answer = await person.user.wait_for_answer(await person.user.press(message, data))
    out.echo(t("demo.answer", out.lang, text=answer.get("text", "")))


async def _incident_operations(
    out: Transcript,
    lang: str,
    leader: Person,
    callout_id: int,
    paged: list[tuple[Person, JsonDict]],
) -> None:
    """After the headcount: a withdrawal, on scene, a missed safety check, the close and
    the return until everyone is home safe."""
    who_leads = t("demo.leader", lang, name=leader.name)
    # Confirmed by the script: all who said Available but the last, who is on standby.
    confirmed = [paged[i] for i, (choice, _) in enumerate(SCRIPT[:-1]) if choice == "a"]
    standby_person, standby_page = paged[len(SCRIPT) - 1]

    # 6. A confirmed volunteer withdraws: the standby volunteer is promoted and told.
    leaving, leaving_page = confirmed[1]
    await _step(
        "promoted",
        lang,
        _press_label(out, leaving, _current(leaving, leaving_page), "button.unavailable"),
    )
    promoted = await _step(
        "promoted",
        lang,
        standby_person.user.wait_for_message(lambda m: "✅" in _text(m) and not _is_page(m)),
    )
    out.line("demo.bot_to", who=standby_person.name, text=_text(promoted))
    team = [p for p in confirmed if p[0] is not leaving] + [(standby_person, standby_page)]

    # 7. On scene: three check in; the first shares where they are.
    on_scene = [team[0], team[1], team[-1]]
    for person, page in on_scene:
        page_now = await _step(
            "on_scene",
            lang,
            person.user.wait_for_message(
                lambda m, page=page: (
                    m["message_id"] == page["message_id"]
                    and any(d.endswith(":scene") for _, d in _buttons(m))
                )
            ),
        )
        await _step("on_scene", lang, _press_label(out, person, page_now, "button.on_scene"))
    first, _ = on_scene[0]
    await first.user.send_location(30.2442, 120.1489)
    out.line("demo.shares", who=first.name)
    board = await _step(
        "on_scene",
        lang,
        leader.user.wait_for_message(
            lambda m: _is_board(m) and t("board.on_scene", lang, count=3) in _text(m)
        ),
    )
    out.line("demo.board", who=leader.name)
    out.block(_text(board))

    # 8. The safety check: two answer I'm OK; the third (a flat phone) does not, and
    # the leader gets the name, phone and last position.
    silent, _ = on_scene[1]
    for person, _ in on_scene:
        check = await _step(
            "check", lang, person.user.wait_for_message(lambda m: _has_button(m, ":ok:"))
        )
        if person is silent:
            out.line("demo.bot_to", who=person.name, text=_text(check))
            out.line("demo.silent", who=person.name)
            continue
        await _step("check", lang, _press_label(out, person, check, "button.ok"))
    missed = await _step(
        "check",
        lang,
        leader.user.wait_for_message(
            lambda m: silent.name in _text(m) and _text(m).startswith("⚠️")
        ),
    )
    out.line("demo.bot_to", who=leader.name, text=_text(missed))
    await _say(
        out, leader, who_leads, f"/check {callout_id} off", t("check.off", lang, id=callout_id)
    )

    # 9. The leader closes the mission, 1 rescued; the reply gives the year's count and
    # starts the return: every participant is asked to tap Home safe.
    close = f"/close {callout_id} rescued=1 {t('demo.close_notes', lang)}"
    closed = _pattern("close.done", lang)
    out.line("demo.says", who=who_leads, text=close)
    await leader.user.send(close)
    done = await _step(
        "close", lang, leader.user.wait_for_message(lambda m: bool(closed.search(_text(m))))
    )
    out.line("demo.bot_to", who=leader.name, text=_text(done))
    for person, _ in team:
        if person is silent:
            continue
        ask = await _step(
            "return", lang, person.user.wait_for_message(lambda m: _has_button(m, ":home"))
        )
        if person is team[0][0]:
            out.line("demo.bot_to", who=person.name, text=_text(ask))
        await _step("return", lang, _press_label(out, person, ask, "button.home"))
    debrief = await _step(
        "return",
        lang,
        team[0][0].user.wait_for_message(lambda m: _has_button(m, ":right:")),
    )
    out.line("demo.bot_to", who=team[0][0].name, text=_text(debrief))
    await _step("return", lang, _press_label(out, team[0][0], debrief, "button.right"))

    # 10. One never taps Home safe: after the return interval the leader gets their name
    # and phone, rings them and marks them safe; then everyone is home.
    overdue = await _step(
        "return",
        lang,
        leader.user.wait_for_message(
            lambda m: _text(m).startswith("⏰") and silent.name in _text(m)
        ),
    )
    out.line("demo.bot_to", who=leader.name, text=_text(overdue))
    marked = t(
        "mark.done", lang, name=silent.name, id=callout_id, answer=t("mark.answer.safe", lang)
    )
    await _say(out, leader, who_leads, f"/mark {callout_id} {silent.phone} safe", marked)
    everyone = await _step(
        "return",
        lang,
        leader.user.wait_for_message(
            lambda m: _text(m).startswith("✅") and f"#{callout_id}" in _text(m)
        ),
    )
    out.line("demo.bot_to", who=leader.name, text=_text(everyone))


def _has_button(message: JsonDict, part: str) -> bool:
    return any(part in data for _, data in _buttons(message))


async def _say(out: Transcript, leader: Person, who: str, command: str, expected: str) -> None:
    """The leader sends a command; the bot's reply (starting `expected`) is shown."""
    out.line("demo.says", who=who, text=command)
    await leader.user.send(command)
    reply = await _step(
        "return",
        out.lang,
        leader.user.wait_for_message(lambda m: _text(m).startswith(expected)),
    )
    out.line("demo.bot_to", who=leader.name, text=_text(reply))
