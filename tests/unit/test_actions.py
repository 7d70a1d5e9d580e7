"""The service says what a button asks for; only the Telegram adapter writes callback data."""

from __future__ import annotations

from bot.callout_adapter import callback_data, markup
from missions.actions import JoinOpen, PageAnyway


def test_a_join_and_a_page_anyway_action_are_encoded_by_the_adapter() -> None:
    assert callback_data(JoinOpen(7, 42, "tok")) == "co:7:join:42:tok"
    assert callback_data(PageAnyway(42)) == "cd:42:go"
    assert callback_data("co:7:a") == "co:7:a"  # data the renderers write stays as it is


def test_a_keyboard_mixing_actions_and_plain_data_becomes_plain_callback_data() -> None:
    keyboard = markup([[("Join #7", JoinOpen(7, 42, "tok")), ("Page anyway", PageAnyway(42))]])
    assert keyboard is not None
    row = keyboard.inline_keyboard[0]
    assert [b.callback_data for b in row] == ["co:7:join:42:tok", "cd:42:go"]
