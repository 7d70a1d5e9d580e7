"""Generated input as every role: commands, button data, contacts and locations.

Whatever arrives, the bot raises nothing it does not handle, answers every button
press, sends nothing Telegram would refuse as too long, and a refused input leaves
the database as it was. Each run draws new examples from the seed tests/conftest.py prints,
so a failure reproduces with that seed.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import ratelimit
from tests.conftest import examples, make_settings
from tests.driver import Driver, driven_bot
from tests.factories import add_coordinator, add_volunteer

TODAY = date.today()
UNKNOWN, MEMBER, DEPUTY, OTHER_LEADER, LEADER, COORDINATOR = 9001, 9002, 9003, 9004, 9005, 9006
ROLES = (UNKNOWN, MEMBER, DEPUTY, OTHER_LEADER, LEADER, COORDINATOR)
GROUPS = itertools.count(-100500, -1)
COMMANDS = (
    "start", "help", "me", "lang", "away", "back", "invite", "callout", "status", "cancel",
    "close", "widen", "mission", "missions", "report", "roster", "insurance", "training",
    "fitness", "cert", "import", "update", "mark", "check", "dashboard", "nosuchcommand",
)  # fmt: skip
# Words that have broken parsers before: digits int() refuses, numbers past 64 bits,
# years past 9999, future dates, control characters, and input far too long to quote.
NASTY = (
    "²", "①", "٣", "9" * 30, "-1", "0", "1e400", "nan", "inf", "10000-01-01", "2099-01-01",
    "9999-12-31", "0000-00-00", "#1", "#²", "rescued=²", "rescued=" + "9" * 25, "team=HR",
    "team=SD,HR", "team=all", "skills=x", "fit=maybe", "SD,HR", "a\x00b", "\u202e", "x" * 4500,
    "mountain", "water", "1", "3", "2026-01-01", "add", "en", "zh",
)  # fmt: skip
NUMBERS_AND_DATES = ("²", "9" * 30, "-1", "0", "1e400", "10000-01-01", "9999-12-31", "2099-01-01",
                     "a\x00b", "x" * 4500)  # fmt: skip
words = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=12).filter(str.strip))
commands = st.builds(
    lambda name, args: " ".join(["/" + name, *args]),
    st.sampled_from(COMMANDS),
    st.lists(words, max_size=6),
)
ids = st.one_of(
    st.sampled_from(["1", "2", "0", "²", "9" * 25, "-1", ""]), st.integers(0, 10**6).map(str)
)
callback_data = st.one_of(
    st.text(max_size=64),
    st.builds(
        lambda prefix, parts: ":".join([prefix, *parts])[:64],
        st.sampled_from(["co", "cd", "ic", "tr", "xx", ""]),
        st.lists(
            st.one_of(
                ids,
                st.sampled_from(
                    [
                        "a",
                        "u",
                        "eta",
                        "widen",
                        "join",
                        "go",
                        "ok",
                        "x",
                        "t",
                        "tm",
                        "n",
                        "s",
                        "-",
                        "p",
                        "done",
                        "15",
                        "100000",
                        "mountain",
                        # the incident's buttons (ic:)
                        "scene",
                        "help",
                        "home",
                        "list",
                        "right",
                        "fix",
                        "me",
                        "mute",
                        "swap",
                        "stay",
                        # the dialog's other steps and their fixed words
                        "q",
                        "sl",
                        "fit",
                        "+",
                        "=",
                        "0",
                        "all",
                        "SD",
                        "mountain_search",
                    ]
                ),
            ),
            max_size=4,
        ),
    ),
)
roles = st.sampled_from(ROLES)
SUITE = settings(max_examples=examples(200))


@pytest.fixture
async def driver(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Driver]:
    # Hundreds of replies to one chat: the per-chat pace (tested in tests/unit/test_pacer.py)
    # would hold each for a second, and this suite checks what is said, not when.
    monkeypatch.setattr(ratelimit, "CHAT_BURST", 1_000_000)
    bot_settings = make_settings(tmp_path / "fuzz.db", sandbox.api_url)
    async with driven_bot(sandbox, bot_settings) as driver:
        db = driver.db
        mountain = {"mountain_search": None}
        await add_volunteer(db, "队员甲", telegram_id=MEMBER, skills=mountain,
                            fitness_passed_on=TODAY)  # fmt: skip
        await add_volunteer(db, "副队长", role="deputy", telegram_id=DEPUTY, skills=mountain,
                            fitness_passed_on=TODAY)  # fmt: skip
        await add_volunteer(db, "红队长", team="HR", role="leader", telegram_id=OTHER_LEADER)
        await add_volunteer(db, "山队长", role="leader", telegram_id=LEADER)
        await add_coordinator(db, COORDINATOR)
        for user_id in ROLES:
            user = sandbox.user(user_id, f"u{user_id}", language_code="en" if user_id % 2 else "zh")
            await user.send("/help")  # a bot message to press forged buttons on
        # An open callout, so that ids in generated input sometimes mean something.
        await sandbox.user(LEADER).send("/callout mountain 1 西坡 迷路")
        await driver.deliver()
        yield driver


async def _check(driver: Driver, act: Any) -> None:
    before = await driver.writes()
    queries = len(driver.sandbox.world.callback_queries)
    calls = len(driver.sandbox.calls)
    refusals = len(driver.refusals)
    await act()
    await driver.deliver()
    assert not driver.errors.records, driver.errors.describe()
    assert not driver.unanswered(queries), "a button press was never answered"
    assert not driver.overlong(calls)
    if len(driver.refusals) > refusals:
        assert await driver.writes() == before, driver.refusals[-1]


@SUITE
@given(role=roles, text=commands, in_group=st.booleans())
async def test_generated_commands_as_every_role_are_answered_or_refused_cleanly(
    driver: Driver, role: int, text: str, in_group: bool
) -> None:
    user = driver.sandbox.user(role)
    chat_id = None
    if in_group:
        # A new group each time: the bot paces its messages to one group (20 a minute).
        chat_id = next(GROUPS)
        driver.sandbox.group(chat_id, "Team chat")
    await _check(driver, lambda: user.send(text, chat_id=chat_id))


@settings(SUITE, max_examples=examples(400))  # a press costs a fifth of a command
@given(role=roles, data=callback_data)
async def test_every_generated_button_press_is_answered(
    driver: Driver, role: int, data: str
) -> None:
    user = driver.sandbox.user(role)
    target = user.inbox()[0]

    async def press() -> None:
        await user.press(target, data, force=True)

    await _check(driver, press)


@settings(SUITE, max_examples=examples(120))
@given(
    role=roles,
    phone=st.one_of(st.sampled_from(["+8613800000000", "²", "+" + "9" * 40]), st.text(min_size=1)),
    own=st.booleans(),
)
async def test_generated_contacts_are_handled(
    driver: Driver, role: int, phone: str, own: bool
) -> None:
    user = driver.sandbox.user(role)
    await _check(driver, lambda: user.share_contact(phone, user_id="own" if own else role + 1))


@settings(SUITE, max_examples=examples(80))
@given(role=roles, latitude=st.floats(-90, 90), longitude=st.floats(-180, 180))
async def test_generated_locations_are_handled(
    driver: Driver, role: int, latitude: float, longitude: float
) -> None:
    user = driver.sandbox.user(role)
    await _check(driver, lambda: user.send_location(latitude, longitude))


async def test_every_command_with_every_nasty_number_or_date(driver: Driver) -> None:
    """Exhaustive where the generator is sparse: each such word where a number or date goes."""
    shapes = {
        "close": ("{w}", "1 rescued={w}"),
        "callout": ("mountain {w} 西坡", "mountain 1 西坡 team={w}"),
        "mission": ("add mountain {w} 3 SD", "add mountain 2026-01-01 {w} SD",
                    "add mountain 2026-01-01 3 SD rescued={w}"),
        "report": ("missions {w}",),
        "check": ("{w} 30", "1 {w}"),
        "mark": ("{w} 队员甲 available", "1 队员甲 available eta={w}", "1 {w} safe"),
        "update": ("{w} 集合点改到北门", "1 {w}"),
    }  # fmt: skip
    for role, names in ((COORDINATOR, COMMANDS), (LEADER, tuple(shapes))):
        user = driver.sandbox.user(role)
        for name in names:
            for word in NUMBERS_AND_DATES:
                for shape in shapes.get(name, ("{w}",)):
                    text = f"/{name} " + shape.format(w=word)
                    await _check(driver, lambda u=user, x=text: u.send(x))


# Button data of every incident form and the dialog's team step, with ids and team words
# that have broken parsers before (the generator above reaches these forms only rarely).
FORMS = (
    "ic:{i}:scene", "ic:{i}:home", "ic:{i}:list", "ic:{i}:ok:{i}", "ic:{i}:help:{i}",
    "ic:{i}:right:{i}", "ic:{i}:fix:{i}", "ic:{i}", "co:{i}:me", "co:{i}:mute",
    "cd:{i}:tm:{w}", "cd:{i}:tm:{w}:{w}", "cd:{i}:tm",
)  # fmt: skip
FORM_IDS = ("1", "2", "²", "9" * 25)
TEAM_WORDS = ("SD", "HR", "all", "-", "²", "x" * 60)


async def test_every_incident_and_team_step_button_with_nasty_data_is_answered(
    driver: Driver,
) -> None:
    leader = driver.sandbox.user(LEADER)
    await leader.send("/callout")  # a dialog in progress: its team step is there to press
    await driver.deliver()
    for role in (UNKNOWN, MEMBER, OTHER_LEADER, LEADER):
        user = driver.sandbox.user(role)
        for form in FORMS:
            for callout_id in FORM_IDS:
                for word in TEAM_WORDS if "{w}" in form else ("",):
                    data = form.format(i=callout_id, w=word)[:64]

                    async def press(u: Any = user, d: str = data) -> None:
                        await u.press(u.inbox()[0], d, force=True)

                    await _check(driver, press)
