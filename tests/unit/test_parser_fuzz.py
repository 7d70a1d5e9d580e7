"""Thousands of generated inputs through the pure readers of what people type or tap: the
callback codec, chat options, whole numbers, amounts of hours and phone numbers.

Each reader either returns a value within its promise or refuses with a DomainError (the
codec: `Undecodable`), never another exception. These run in milliseconds an example, so they
run a thousand each (`examples`: ten times as many with HYPOTHESIS_PROFILE=deep).
"""

from __future__ import annotations

import math
import re
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.callback_codec import FORMS, LIMIT, Undecodable, decode, encode, meant
from common.chat_options import QUOTES, named, parse_options
from common.errors import DomainError
from common.numbers import INT64_MAX, hours, plain_decimal, plain_int
from roster.phones import display_phone, normalise_phone
from tests.conftest import examples

MANY = settings(max_examples=examples(1000))

# Pieces that mean something to one reader or another, mixed with any text.
DIGITS = "0123456789０１２３４５６７８９²①٣"
pieces = st.one_of(
    st.sampled_from(["0", "1", "15", "30", "60", "-", "+", "=", "all", "SD", "HR", "9" * 25,
                     "mountain_search", "mountain", "first_aid", "", "²", "０７", "-1"]),
    st.text(alphabet=DIGITS, min_size=1, max_size=20),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def callback_data(draw: st.DrawFn) -> str:
    """Data shaped like one of the codec's forms (mostly with its number of fields), or any
    text."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.text(max_size=LIMIT))
    form = draw(st.sampled_from(FORMS))
    count = max(0, len(fields(form.kind)) - 1 + draw(st.sampled_from([0, 0, 0, -1, 1])))
    rest = draw(st.lists(pieces, min_size=count, max_size=count))
    return ":".join([form.prefix, draw(pieces), form.verb, *rest])


@MANY
@given(callback_data())
def test_any_callback_data_decodes_to_an_action_that_encodes_back_or_to_undecodable(
    data: str,
) -> None:
    action = decode(data)
    if isinstance(action, Undecodable):
        assert all(form.prefix == action.prefix for form in FORMS if form.kind in meant(action))
        return
    # Leading zeros and full-width digits read as the number; the action itself survives.
    again = encode(action)
    assert len(again.encode()) <= LIMIT and decode(again) == action


@MANY
@given(st.text(max_size=30), st.integers(0, INT64_MAX))
def test_a_whole_number_is_read_within_its_maximum_or_not_at_all(text: str, maximum: int) -> None:
    value = plain_int(text, maximum)
    assert value is None or 0 <= value <= maximum
    if value is not None:
        assert re.fullmatch(r"[0-9０-９]+", text)


@MANY
@given(st.integers(0, INT64_MAX), st.booleans())
def test_every_whole_number_typed_in_ascii_or_full_width_digits_reads_as_itself(
    number: int, full_width: bool
) -> None:
    text = str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert plain_int(text if full_width else str(number)) == number


@MANY
@given(st.one_of(st.text(max_size=40), st.text(alphabet=DIGITS + ".,．，eE+-nainf", max_size=40)))
def test_any_typed_amount_is_a_finite_plain_decimal_or_refused(text: str) -> None:
    value = plain_decimal(text)
    assert value is None or (math.isfinite(value) and value >= 0)
    try:
        read = hours(text, 24, "error.bad_hours")
    except DomainError as refused:
        assert refused.key == "error.bad_hours" and len(str(refused.params["value"])) <= 20
    else:
        assert 0 < read <= 24


KEYS = {"team": "team", "队伍": "team", "need": "need", "fit": "fit", "ETA": "eta"}
option_words = st.one_of(
    st.builds(
        lambda key, sep, value: f"{key}{sep}{value}",
        st.sampled_from([*KEYS, "Team", "unknown", "3", ""]),
        st.sampled_from(["=", "＝"]),
        st.one_of(pieces, st.sampled_from([*QUOTES, "“北 坡”", "SD，HR", '"a'])),
    ),
    st.sampled_from([*QUOTES, *QUOTES.values(), '"西 坡"', "「北", "坡」", "https://a.b/?q=1"]),
    st.text(min_size=1, max_size=10).filter(lambda word: " " not in word),
)


@MANY
@given(st.lists(option_words, max_size=8))
def test_any_command_words_give_options_by_their_canonical_keys_or_a_refusal(
    words: list[str],
) -> None:
    try:
        parsed = parse_options(words, named(KEYS))
    except DomainError as refused:
        assert refused.key.startswith("options.")
        return
    assert set(parsed.options) <= set(KEYS.values())
    assert not any("，" in value for value in parsed.options.values())
    assert set(parsed.words_after_options) <= set(parsed.words)


phones = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789 +-()８６", max_size=20),
    st.builds(lambda n: f"+86 1{n:010d}", st.integers(0, 10**10 - 1)),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
)


@MANY
@given(phones)
def test_any_phone_cell_is_one_dialable_number_or_refused(raw: object) -> None:
    try:
        e164 = normalise_phone(raw)
    except DomainError as refused:
        assert refused.key == "error.bad_phone"
        return
    assert re.fullmatch(r"\+[1-9][0-9]{6,14}", e164)
    assert normalise_phone(e164) == e164  # one person, one number however often it is read
    assert display_phone(e164)


@pytest.mark.parametrize("data", ["", ":", "co", "co:1", "co::a", "co:1:a:", ":" * 63])
def test_short_or_empty_callback_data_is_undecodable(data: str) -> None:
    assert isinstance(decode(data), Undecodable)
