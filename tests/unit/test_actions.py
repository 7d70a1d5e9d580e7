"""The service says what a button asks for; only the Telegram adapter writes and reads
callback data (bot/callback_codec.py), and it checks every field it reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.callback_codec import FORMS, LIMIT, Undecodable, decode, encode
from bot.callout_adapter import callback_data, markup
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


def test_every_action_kind_is_in_the_codec_table_and_in_this_test() -> None:
    assert {form.kind for form in FORMS} == {type(action) for action in EVERY_ACTION}


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
        ("cd:7:t:mountain", Undecodable("cd", 7, "t")),
        ("zz:7:a", Undecodable("zz", 7, "a")),
    ],
)
def test_stale_garbled_or_forged_data_decodes_to_no_action(
    data: str, readable: Undecodable
) -> None:
    assert decode(data) == readable


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
