"""Parse modes turn markup into Telegram's plain text plus UTF-16 entities."""

import pytest

from sandbox.formatting import EntityParseError, parse


def spans(text: str, mode: str) -> tuple[str, list[tuple[str, int, int]]]:
    result = parse(text, mode)
    return result.text, [(e["type"], e["offset"], e["length"]) for e in result.entities]


def test_html_nesting_links_and_utf16_offsets() -> None:
    text, entities = spans('😀 <b>bold <i>both</i></b> <a href="https://x.org">link</a>', "HTML")

    assert text == "😀 bold both link"
    assert entities == [("bold", 3, 9), ("italic", 8, 4), ("text_link", 13, 4)]


def test_html_pre_with_a_language_is_one_entity() -> None:
    result = parse('<pre><code class="language-python">x = 1</code></pre>', "HTML")

    assert result.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<b>x</i>", "Unmatched end tag"),
        ("<b>x", "Can't find end tag"),
        ("a < b", "Unsupported start tag"),
        ("<span>x</span>", "tg-spoiler"),
    ],
)
def test_html_errors_read_like_telegrams(markup: str, message: str) -> None:
    with pytest.raises(EntityParseError, match=message):
        parse(markup, "HTML")


def test_markdown_v2_entities_and_escapes() -> None:
    text, entities = spans(
        r"*bold* _it_ __under__ ~gone~ ||secret|| `co\`de` [a](https://x.y)", "MarkdownV2"
    )

    assert text == "bold it under gone secret co`de a"
    assert [e[0] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]


def test_markdown_v2_unclosed_entity_is_an_error() -> None:
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity"):
        parse("*open", "MarkdownV2")


def test_markdown_v2_blockquote_lines() -> None:
    text, entities = spans(">line one\n>line two\nafter", "MarkdownV2")

    assert text == "line one\nline two\nafter"
    assert entities == [("blockquote", 0, 17)]


def test_legacy_markdown_trips_on_an_unpaired_underscore() -> None:
    assert spans("*Team* ready", "Markdown") == ("Team ready", [("bold", 0, 4)])
    with pytest.raises(EntityParseError, match="Can't find end of the entity"):
        parse("call_sign", "Markdown")


def test_surrounding_whitespace_is_trimmed_and_entities_follow() -> None:
    assert spans("  <b>x</b>  ", "HTML") == ("x", [("bold", 0, 1)])
