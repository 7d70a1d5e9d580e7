"""The service says what a button asks for; only the Telegram adapter writes and reads
callback data (bot/callback_codec.py), and it checks every field it reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_codec import FORMS, LIMIT, Undecodable, decode, encode, meant
from bot.callout_adapter import callback_data, markup
from bot.dialog_actions import (
    HEADCOUNTS,
    Abort,
    AddSlot,
    AllTeams,
    ChangeQuota,
    DialogAction,
    NoSlots,
    OpenSlots,
    PickHeadcount,
    PickType,
    QuotasDone,
    Send,
    SharedHeadcount,
    SkillsDone,
    SlotsDone,
    TeamsDone,
    ToggleFitness,
    ToggleSkill,
    ToggleTeam,
)
from common.numbers import plain_int
from missions.actions import (
    Action,
    Available,
    CheckOk,
    Eta,
    FullList,
    GoingToo,
    HomeSafe,
    HoursFix,
    HoursRight,
    JoinOpen,
    Mute,
    NeedHelp,
    OnScene,
    PageAnyway,
    Stay,
    Swap,
    Unavailable,
    Widen,
)
from missions.model import MISSION_TYPES

ROOT = Path(__file__).resolve().parents[2]
WIRE = re.compile(r"^(co|cd|ic):")  # bot/callback_codec.py's prefixes

EVERY_ACTION: list[Action] = [
    Available(7),
    Unavailable(7),
    Eta(7, 15),
    Swap(7, 3),
    Stay(7, 3),
    GoingToo(7),
    Widen(7),
    Mute(7),
    JoinOpen(7, 42, "tok-_9"),
    PageAnyway(42),
    FullList(7),
    OnScene(7),
    CheckOk(7, 11),
    NeedHelp(7, 11),
    HomeSafe(7),
    HoursRight(7, 5),
    HoursFix(7, 5),
]
# The step-by-step /callout's buttons, each with the data it has always carried (buttons
# already in chats keep working).
DIALOG_WIRE: list[tuple[DialogAction, str]] = [
    (PickType(42, "mountain"), "cd:42:t:mountain"),
    (ToggleTeam(42, "HR"), "cd:42:tm:HR"),
    (AllTeams(42), "cd:42:tm:all"),
    (TeamsDone(42), "cd:42:tm:-"),
    (ChangeQuota(42, "HR", "-"), "cd:42:q:HR:-"),
    (ChangeQuota(42, "HR", "="), "cd:42:q:HR:="),
    (ChangeQuota(42, "HR", "+"), "cd:42:q:HR:+"),
    (SharedHeadcount(42), "cd:42:q:0"),
    (QuotasDone(42), "cd:42:q:-"),
    (PickHeadcount(42, 15), "cd:42:n:15"),
    (ToggleSkill(42, "mountain_search"), "cd:42:s:mountain_search"),
    (OpenSlots(42), "cd:42:s:+"),
    (SkillsDone(42), "cd:42:s:-"),
    (AddSlot(42, "boat"), "cd:42:sl:boat"),
    (NoSlots(42), "cd:42:sl:0"),
    (SlotsDone(42), "cd:42:sl:-"),
    (ToggleFitness(42), "cd:42:fit"),
    (Send(42), "cd:42:ok"),
    (Abort(42), "cd:42:x"),
]


def test_every_action_kind_is_in_the_codec_table_and_in_this_test() -> None:
    dialog = {type(action) for action, _ in DIALOG_WIRE}
    assert {form.kind for form in FORMS} == {type(action) for action in EVERY_ACTION} | dialog


@pytest.mark.parametrize(("action", "data"), DIALOG_WIRE, ids=lambda x: str(x))
def test_every_dialog_button_keeps_its_callback_data_and_comes_back_from_it(
    action: DialogAction, data: str
) -> None:
    assert callback_data(action) == data
    assert decode(data) == action


@pytest.mark.parametrize("action", EVERY_ACTION, ids=lambda action: type(action).__name__)
def test_every_action_comes_back_from_its_callback_data(action: Action) -> None:
    data = encode(action)
    assert len(data.encode()) <= LIMIT
    assert decode(data) == action


def test_ids_as_large_as_sqlite_stores_still_fit_telegrams_limit() -> None:
    big = 2**63 - 1
    assert decode(encode(JoinOpen(big, big, "x" * 16))) == JoinOpen(big, big, "x" * 16)
    assert decode(encode(HoursFix(big, big))) == HoursFix(big, big)


def test_the_wire_format_of_buttons_already_sent_is_kept() -> None:
    assert callback_data(JoinOpen(7, 42, "tok")) == "co:7:join:42:tok"
    assert callback_data(PageAnyway(42)) == "cd:42:go"
    assert callback_data(Eta(7, 15)) == "co:7:eta:15"
    assert callback_data(NeedHelp(7, 11)) == "ic:7:help:11"
    assert callback_data("cd:7:t:mountain") == "cd:7:t:mountain"  # the dialog's own steps


@pytest.mark.parametrize(
    ("data", "readable"),
    [
        ("", Undecodable("", None, "")),
        ("co:7", Undecodable("co", None, "")),
        ("co:x:a", Undecodable("co", None, "a")),
        ("co:²:a", Undecodable("co", None, "a")),
        ("co:99999999999999999999:a", Undecodable("co", None, "a")),
        ("co:7:a:extra", Undecodable("co", 7, "a")),
        ("co:7:eta:7", Undecodable("co", 7, "eta")),  # not one of the offered minutes
        ("co:7:eta:-5", Undecodable("co", 7, "eta")),
        ("co:7:swap", Undecodable("co", 7, "swap")),
        ("co:7:join:42", Undecodable("co", 7, "join")),
        ("co:7:join:x:tok", Undecodable("co", 7, "join")),
        ("co:7:join:42:", Undecodable("co", 7, "join")),
        ("co:7:dance", Undecodable("co", 7, "dance")),
        ("ic:7:ok", Undecodable("ic", 7, "ok")),
        ("ic:7:fix:1.5", Undecodable("ic", 7, "fix")),
        ("cd:7:t:volcano", Undecodable("cd", 7, "t")),  # not a mission type
        ("cd:7:t", Undecodable("cd", 7, "t")),
        ("cd:7:t:", Undecodable("cd", 7, "t")),
        ("cd:7:t:mountain:extra", Undecodable("cd", 7, "t")),
        ("cd:x:t:mountain", Undecodable("cd", None, "t")),
        ("cd:7:tm", Undecodable("cd", 7, "tm")),
        ("cd:7:tm:all:x", Undecodable("cd", 7, "tm")),
        ("cd:7:q:HR", Undecodable("cd", 7, "q")),
        ("cd:7:q:HR:x", Undecodable("cd", 7, "q")),  # not a change the buttons make
        ("cd:7:q:-:+", Undecodable("cd", 7, "q")),  # Done takes nothing after it
        ("cd:7:q:0:+", Undecodable("cd", 7, "q")),
        ("cd:7:n:0", Undecodable("cd", 7, "n")),  # not an offered headcount
        ("cd:7:n:²", Undecodable("cd", 7, "n")),
        ("cd:7:n:99999999999999999999999", Undecodable("cd", 7, "n")),
        ("cd:7:s", Undecodable("cd", 7, "s")),
        ("cd:7:s:-:x", Undecodable("cd", 7, "s")),
        ("cd:7:sl:", Undecodable("cd", 7, "sl")),
        ("cd:7:fit:1", Undecodable("cd", 7, "fit")),
        ("cd:7:ok:x", Undecodable("cd", 7, "ok")),
        ("cd:7:x:y", Undecodable("cd", 7, "x")),
        ("cd:7:dance", Undecodable("cd", 7, "dance")),
        ("zz:7:a", Undecodable("zz", 7, "a")),
    ],
)
def test_stale_garbled_or_forged_data_decodes_to_no_action(
    data: str, readable: Undecodable
) -> None:
    assert decode(data) == readable


def test_unreadable_data_names_the_kinds_of_button_it_was_meant_as() -> None:
    assert meant(Undecodable("cd", 7, "q")) == (ChangeQuota, SharedHeadcount, QuotasDone)
    assert meant(Undecodable("cd", 7, "dance")) == ()


def test_a_field_taking_a_fixed_forms_word_is_refused_rather_than_read_back_as_another_button() -> (
    None
):
    with pytest.raises(AssertionError):
        encode(ToggleSkill(7, "-"))


# Codes as the roster and skills tables hold them; not the words of the fixed forms.
codes = st.from_regex(r"[A-Za-z0-9_]{1,16}", fullmatch=True).filter(
    lambda code: code not in ("-", "+", "0", "all")
)
ids = st.integers(0, 2**63 - 1)
dialog_actions = st.one_of(
    st.builds(PickType, ids, st.sampled_from(sorted(MISSION_TYPES))),
    st.builds(ToggleTeam, ids, codes),
    st.builds(ChangeQuota, ids, codes, st.sampled_from(["-", "+", "="])),
    st.builds(PickHeadcount, ids, st.sampled_from(HEADCOUNTS)),
    st.builds(ToggleSkill, ids, codes),
    st.builds(AddSlot, ids, codes),
    *(
        st.builds(kind, ids)
        for kind in (AllTeams, TeamsDone, SharedHeadcount, QuotasDone, OpenSlots, SkillsDone)
    ),
    *(st.builds(kind, ids) for kind in (NoSlots, SlotsDone, ToggleFitness, Send, Abort)),
)
# Data built from the words real data is made of, so that most of it nearly decodes.
WORDS = ["co", "cd", "ic", "t", "tm", "q", "n", "s", "sl", "fit", "ok", "x", "go", "a", "eta"]
near_data = st.lists(
    st.one_of(
        st.sampled_from([*WORDS, "-", "+", "=", "0", "all", "", "²", "9" * 25, "mountain"]),
        ids.map(str),
        st.text(max_size=6),
    ),
    max_size=6,
).map(":".join)


@given(action=dialog_actions)
def test_every_generated_dialog_button_comes_back_from_its_callback_data(
    action: DialogAction,
) -> None:
    data = encode(action)
    assert len(data.encode()) <= LIMIT and data.startswith("cd:")
    assert decode(data) == action


@given(data=st.one_of(near_data, st.text(max_size=64)))
def test_any_data_decodes_to_an_action_that_encodes_back_to_it_or_to_no_action(
    data: str,
) -> None:
    action = decode(data)
    if isinstance(action, Undecodable):
        return
    # The same button: the data may differ only in how its numbers were written (`007`).
    assert decode(encode(action)) == action
    assert _numbers_read(encode(action)) == _numbers_read(data)


def _numbers_read(data: str) -> list[int | str]:
    return [number if (number := plain_int(part)) is not None else part for part in data.split(":")]


def test_a_keyboard_mixing_actions_and_plain_data_becomes_plain_callback_data() -> None:
    keyboard = markup([[("Join #7", JoinOpen(7, 42, "tok")), ("Type", "cd:42:t:mountain")]])
    assert keyboard is not None
    row = keyboard.inline_keyboard[0]
    assert [b.callback_data for b in row] == ["co:7:join:42:tok", "cd:42:t:mountain"]


def _wire_literals(source: str) -> list[int]:
    """Lines of string literals (plain or f-strings) that start like callback data."""
    found: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            text = first.value if isinstance(first, ast.Constant) else ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if isinstance(text, str) and WIRE.match(text):
            found.add(node.lineno)
    return sorted(found)


def test_the_guard_finds_callback_data_written_by_hand() -> None:
    assert _wire_literals('x = f"co:{callout_id}:widen"\ny = "ic:"\nz = "co"') == [1, 2]


def test_no_module_of_the_domain_writes_callback_data() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "missions").rglob("*.py"))
        for line in _wire_literals(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_module_of_the_bot_but_the_codec_writes_callback_data() -> None:
    # The demo presses buttons in the sandbox as a volunteer would: it reads a page's data.
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path.name not in ("callback_codec.py", "demo.py")
        for line in _wire_literals(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
