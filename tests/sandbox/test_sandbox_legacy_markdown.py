"""Legacy Markdown and the corners of HTML and MarkdownV2 each parser step handles."""

import pytest

from sandbox.formatting import EntityParseError, parse


def spans(text: str, mode: str) -> tuple[str, list[tuple[str, int, int]]]:
    result = parse(text, mode)
    return result.text, [(e["type"], e["offset"], e["length"]) for e in result.entities]


def test_legacy_markdown_reads_italic_code_and_links() -> None:
    assert spans("_a_ `b` [c](http://x.org)", "Markdown") == (
        "a b c",
        [("italic", 0, 1), ("code", 2, 1), ("text_link", 4, 1)],
    )


def test_legacy_markdown_keeps_brackets_without_a_url_as_text() -> None:
    assert spans("see [note] here", "Markdown") == ("see [note] here", [])


def test_legacy_markdown_pre_names_its_language_on_the_first_line() -> None:
    result = parse("```py\nx = 1```", "Markdown")
    assert result.text == "x = 1"
    assert result.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "py"}]


def test_legacy_markdown_escapes_its_four_marks() -> None:
    assert spans(r"a\_b\*c", "Markdown") == ("a_b*c", [])


@pytest.mark.parametrize("markup", ["*open", "`open", "```open", "[open"])
def test_legacy_markdown_refuses_an_unclosed_mark(markup: str) -> None:
    with pytest.raises(EntityParseError, match="Can't find end of the entity"):
        parse(markup, "Markdown")


def test_html_character_references_and_a_lone_ampersand() -> None:
    assert spans("a &amp; b &#60; &x", "HTML") == ("a & b < &x", [])


def test_markdown_v2_underline_is_two_underscores_italic_one() -> None:
    assert spans("__u__ _i_ ~s~ ||p||", "MarkdownV2") == (
        "u i s p",
        [("underline", 0, 1), ("italic", 2, 1), ("strikethrough", 4, 1), ("spoiler", 6, 1)],
    )
