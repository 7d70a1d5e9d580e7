"""The one chat option parser: key=value (also ＝), quoted values, ，, repeats and unknown keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.chat_options import join_quoted, named, parse_options
from common.errors import DomainError

NAMES = {"team": "team", "teams": "team", "队伍": "team", "place": "place", "地点": "place"}
RESOLVE = named(NAMES)

plain_word = st.text(
    alphabet=st.characters(blacklist_characters='"“”「」=＝ \t\n\r', blacklist_categories=("Cs",)),
    min_size=1,
    max_size=8,
).filter(lambda w: w.strip() == w and w != "")
value_words = st.lists(plain_word, min_size=1, max_size=3)


def test_full_width_equals_and_commas_read_as_ascii_ones() -> None:
    parsed = parse_options(["mountain", "队伍＝SD，HR"], RESOLVE)
    assert parsed.words == ["mountain"]
    assert parsed.options == {"team": "SD,HR"}


def test_a_quoted_value_keeps_its_spaces() -> None:
    parsed = parse_options(["place=“凤凰山", "北坡”", "more"], RESOLVE)
    assert parsed.options == {"place": "凤凰山 北坡"}
    assert parsed.words == ["more"] and parsed.words_after_options == ["more"]


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        parse_options(["team=SD", "teams=HR"], RESOLVE)
    assert refused.value.key == "options.repeated"


def test_an_unknown_key_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(DomainError) as refused:
        parse_options(["colour=red"], RESOLVE)
    assert refused.value.key == "options.unknown"
    assert refused.value.params == {"option": "colour", "allowed": "team, place"}


def test_an_unclosed_quote_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        parse_options(['place="凤凰山', "北坡"], RESOLVE)
    assert refused.value.key == "options.unclosed_quote"


def test_a_web_address_with_an_equals_sign_stays_a_plain_word() -> None:
    parsed = parse_options(["https://a.example/?q=1"], RESOLVE)
    assert parsed.words == ["https://a.example/?q=1"] and parsed.options == {}


@given(st.lists(plain_word, max_size=6))
def test_plain_words_come_back_unchanged(words: list[str]) -> None:
    words = [w for w in words if "=" not in w]
    assert parse_options(words, RESOLVE).words == words


@given(value_words, st.sampled_from(sorted(NAMES)), st.sampled_from(["=", "＝"]))
def test_any_quoted_value_comes_back_whole_under_its_canonical_key(
    words: list[str], spelled: str, equals: str
) -> None:
    text = f'{spelled}{equals}"' + " ".join(words) + '"'
    parsed = parse_options(text.split(" "), RESOLVE)
    assert parsed.options == {NAMES[spelled]: " ".join(words).replace("，", ",")}
    assert parsed.words == []


@given(st.lists(plain_word, max_size=5))
def test_joining_quotes_is_the_identity_on_words_without_quotes(words: list[str]) -> None:
    assert join_quoted(words) == words


@given(st.dictionaries(st.sampled_from(["team", "place"]), plain_word, max_size=2))
def test_options_in_any_order_give_the_same_result(options: dict[str, str]) -> None:
    words = [f"{k}={v}" for k, v in options.items()]
    forwards = parse_options(words, RESOLVE).options
    backwards = parse_options(list(reversed(words)), RESOLVE).options
    assert forwards == backwards
