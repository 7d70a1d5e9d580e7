"""Telegram's parse modes: turn HTML / MarkdownV2 / Markdown markup into plain text + entities.

Telegram stores a message as plain text plus MessageEntity objects whose offsets and lengths
count UTF-16 code units, and it refuses markup it cannot parse. The parsers here follow the
rules in the Bot API docs ("Formatting options") closely enough that a bot which gets its
escaping wrong fails in the sandbox the same way it would fail in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """Markup Telegram would refuse; the message is the part after "can't parse entities: "."""


@dataclass(frozen=True)
class FormattedText:
    text: str
    entities: list[Entity]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    # Telegram reports parse errors at UTF-8 byte offsets of the raw input.
    return len(source[:index].encode("utf-8"))


class _Builder:
    """Accumulates output text while tracking the UTF-16 position used for entity offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pos = 0
        self.entities: list[Entity] = []

    def add(self, text: str) -> None:
        self._parts.append(text)
        self.pos += utf16_len(text)

    def entity(self, entity_type: str, start: int, **extra: Any) -> None:
        if self.pos > start:  # Telegram drops empty entities silently
            self.entities.append(
                {"type": entity_type, "offset": start, "length": self.pos - start, **extra}
            )

    def finish(self) -> FormattedText:
        return strip_formatted("".join(self._parts), self.entities)


def strip_formatted(text: str, entities: list[Entity]) -> FormattedText:
    """Trim surrounding whitespace the way Telegram does, keeping entities aligned."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in entities:
        start = max(int(entity["offset"]) - lead, 0)
        end = min(int(entity["offset"]) + int(entity["length"]) - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText(stripped, kept)


def parse(text: str, parse_mode: str | None) -> FormattedText:
    """Apply ``parse_mode`` (case-insensitive, as Telegram accepts it) to ``text``."""
    if parse_mode is None or parse_mode == "":
        return strip_formatted(text, [])
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")


# --- HTML -------------------------------------------------------------------------------------

_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTRIBUTE = re.compile(
    r"""\s*([a-zA-Z_][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"""
)
_CHAR_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]
    language: str | None = None


def _parse_attributes(body: str, source: str, index: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        if body[pos:].strip() in ("", "/"):
            break
        match = _ATTRIBUTE.match(body, pos)
        if match is None:
            raise EntityParseError(
                f"Expected equal sign at byte offset {_byte_offset(source, index)}"
            )
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = _unescape_html(value)
        pos = match.end()
    return attrs


def _unescape_html(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("#x", "#X")):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        # Only four named entities are supported; anything else stays literal.
        return _NAMED_ENTITIES.get(ref, match.group(0))

    return _CHAR_REF.sub(replace, text)


def parse_html(source: str) -> FormattedText:
    out = _Builder()
    stack: list[_OpenTag] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            i = _html_reference(source, i, out)
        elif char != "<":
            out.add(char)
            i += 1
        elif source.startswith("</", i):
            i = _html_end_tag(source, i, out, stack)
        else:
            i = _html_start_tag(source, i, out, stack)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return out.finish()


def _html_reference(source: str, i: int, out: _Builder) -> int:
    """`&amp;`, `&#60;`, `&#x3c;` as their character; a lone `&` as itself. Returns where
    the text goes on."""
    match = _CHAR_REF.match(source, i)
    if match is None:
        out.add("&")
        return i + 1
    out.add(_unescape_html(match.group(0)))
    return match.end()


def _html_end_tag(source: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    end = source.find(">", i)
    if end < 0:
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(source, i)}")
    name = source[i + 2 : end].strip().lower()
    _close_html_tag(out, stack, name, source, i)
    return end + 1


def _html_start_tag(source: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    # Like Telegram: read the tag name first, so "a < b" is an unsupported empty tag.
    name_end = i + 1
    while name_end < len(source) and source[name_end] not in " \t\n\r>":
        name_end += 1
    name = source[i + 1 : name_end].lower()
    end = source.find(">", name_end)
    if name_end >= len(source) or (name in _HTML_TAGS and end < 0):
        raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(source, i)}")
    if name not in _HTML_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, i)}'
        )
    attrs = _parse_attributes(source[name_end:end], source, i)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(source, i)}'
        )
    stack.append(_OpenTag(name, out.pos, attrs))
    return end + 1


def _close_html_tag(
    out: _Builder, stack: list[_OpenTag], name: str, source: str, index: int
) -> None:
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, index)}")
    tag = stack[-1]
    if tag.name != name:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {_byte_offset(source, index)}, "
            f'expected "</{tag.name}>", found "</{name}>"'
        )
    stack.pop()
    if tag.name == "code" and stack and stack[-1].name == "pre":
        # <pre><code class="language-x"> is one pre entity carrying the language.
        css = tag.attrs.get("class", "")
        if css.startswith("language-"):
            stack[-1].language = css.removeprefix("language-")
        return
    _html_entity(out, tag)


def _html_entity(out: _Builder, tag: _OpenTag) -> None:
    """The entity a closed tag makes; a link without href makes none."""
    entity_type = _HTML_TAGS[tag.name]
    if entity_type == "text_link":
        href = tag.attrs.get("href", "")
        if href:
            out.entity("text_link", tag.start, url=href)
    elif entity_type == "pre":
        extra = {"language": tag.language} if tag.language else {}
        out.entity("pre", tag.start, **extra)
    elif entity_type == "blockquote":
        expandable = "expandable" in tag.attrs
        out.entity("expandable_blockquote" if expandable else "blockquote", tag.start)
    elif entity_type == "custom_emoji":
        out.entity("custom_emoji", tag.start, custom_emoji_id=tag.attrs.get("emoji-id", ""))
    else:
        out.entity(entity_type, tag.start)


# --- MarkdownV2 -------------------------------------------------------------------------------

_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


# Emphasis marks, longest first: "__" is underline, a single "_" italic.
_MDV2_EMPHASIS = (("__", "underline"), ("*", "bold"), ("_", "italic"), ("~", "strikethrough"))


def _emphasis_at(source: str, i: int) -> tuple[str, int] | None:
    """(entity kind, width of its mark) of an emphasis mark at `i`, else None."""
    for mark, kind in _MDV2_EMPHASIS:
        if source.startswith(mark, i):
            return kind, len(mark)
    return None


@dataclass
class _OpenMark:
    kind: str
    start: int
    byte_offset: int
    language: str | None = None


class _MarkdownV2Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.out = _Builder()
        self.stack: list[_OpenMark] = []
        self.i = 0
        self.quote: _OpenMark | None = None

    def error_reserved(self, char: str) -> EntityParseError:
        return EntityParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def toggle(self, kind: str, width: int) -> None:
        if self.stack and self.stack[-1].kind == kind:
            mark = self.stack.pop()
            self.out.entity(kind, mark.start)
        elif any(mark.kind == kind for mark in self.stack):
            mark = next(m for m in self.stack if m.kind == kind)
            raise EntityParseError(
                f"Can't find end of {_MDV2_NAMES[kind]} entity at byte offset {mark.byte_offset}"
            )
        else:
            self.stack.append(_OpenMark(kind, self.out.pos, _byte_offset(self.src, self.i)))
        self.i += width

    def at_line_start(self) -> bool:
        return self.i == 0 or self.src[self.i - 1] == "\n"

    def run(self) -> FormattedText:
        src = self.src
        while self.i < len(src):
            char = src[self.i]
            if char == "\\" and self.i + 1 < len(src) and 0 < ord(src[self.i + 1]) <= 126:
                self.out.add(src[self.i + 1])
                self.i += 2
                continue
            if self.stack and self.stack[-1].kind in ("code", "pre"):
                self.inside_code(char)
                continue
            if self.at_line_start() and self.start_quote():
                continue
            if char == "\n" and self.quote is not None:
                self.continue_or_end_quote()
                continue
            self.markup(char)
        self.end_quote()
        if self.stack:
            mark = self.stack[-1]
            name = _MDV2_NAMES.get(mark.kind, "TextUrl")
            raise EntityParseError(
                f"Can't find end of {name} entity at byte offset {mark.byte_offset}"
            )
        return self.out.finish()

    def inside_code(self, char: str) -> None:
        mark = self.stack[-1]
        if char != "`":
            self.out.add(char)
            self.i += 1
            return
        if mark.kind == "pre" and self.src.startswith("```", self.i):
            self.stack.pop()
            extra = {"language": mark.language} if mark.language else {}
            self.out.entity("pre", mark.start, **extra)
            self.i += 3
        elif mark.kind == "code":
            self.stack.pop()
            self.out.entity("code", mark.start)
            self.i += 1
        else:
            raise self.error_reserved(char)

    def start_quote(self) -> bool:
        src, i = self.src, self.i
        if src.startswith("**>", i):
            width, expandable = 3, True
        elif src.startswith(">", i):
            width, expandable = 1, False
        else:
            return False
        if self.quote is None:
            kind = "expandable_blockquote" if expandable else "blockquote"
            self.quote = _OpenMark(kind, self.out.pos, _byte_offset(src, i))
        self.i += width
        return True

    def continue_or_end_quote(self) -> None:
        nxt = self.src[self.i + 1 : self.i + 2]
        if nxt != ">" and not self.src.startswith("**>", self.i + 1):
            self.end_quote()
        self.out.add("\n")
        self.i += 1

    def end_quote(self) -> None:
        if self.quote is not None:
            self.out.entity(self.quote.kind, self.quote.start)
            self.quote = None

    def markup(self, char: str) -> None:
        src, i = self.src, self.i
        if char == "`":
            if src.startswith("```", i):
                self.open_pre()
            else:
                self.toggle("code", 1)
        elif (emphasis := _emphasis_at(src, i)) is not None:
            self.toggle(*emphasis)
        elif char == "|" and src.startswith("||", i):
            self.spoiler_or_quote_end()
        elif not self.link_mark(char):
            if char in _MDV2_RESERVED:
                raise self.error_reserved(char)
            self.out.add(char)
            self.i += 1

    def spoiler_or_quote_end(self) -> None:
        at_quote_end = self.quote is not None and self.quote.kind.startswith("expandable")
        if at_quote_end and self.src[self.i + 2 : self.i + 3] in ("", "\n"):
            self.i += 2  # "||" closing an expandable blockquote, not a spoiler
        else:
            self.toggle("spoiler", 2)

    def link_mark(self, char: str) -> bool:
        """`[` or `![` opening a link or custom emoji, `]` closing one; False for neither."""
        if char == "[" or (char == "!" and self.src.startswith("![", self.i)):
            kind = "text_link" if char == "[" else "custom_emoji"
            self.stack.append(_OpenMark(kind, self.out.pos, _byte_offset(self.src, self.i)))
            self.i += 1 if char == "[" else 2
            return True
        if char == "]" and self.stack and self.stack[-1].kind in ("text_link", "custom_emoji"):
            self.close_link()
            return True
        return False

    def open_pre(self) -> None:
        start = self.i + 3
        newline = self.src.find("\n", start)
        first_line = self.src[start:newline] if newline >= 0 else ""
        mark = _OpenMark("pre", self.out.pos, _byte_offset(self.src, self.i))
        if newline >= 0 and first_line and " " not in first_line and "`" not in first_line:
            mark.language = first_line
            self.i = newline + 1
        elif newline == start:
            self.i = start + 1
        else:
            self.i = start
        self.stack.append(mark)

    def close_link(self) -> None:
        mark = self.stack.pop()
        src = self.src
        if not src.startswith("(", self.i + 1):
            raise EntityParseError(f"Can't find end of a URL at byte offset {mark.byte_offset}")
        j = self.i + 2
        url: list[str] = []
        while j < len(src) and src[j] != ")":
            if src[j] == "\\" and j + 1 < len(src):
                j += 1
            url.append(src[j])
            j += 1
        if j >= len(src):
            raise EntityParseError(f"Can't find end of a URL at byte offset {mark.byte_offset}")
        target = "".join(url)
        if mark.kind == "custom_emoji":
            emoji_id = target.removeprefix("tg://emoji?id=")
            self.out.entity("custom_emoji", mark.start, custom_emoji_id=emoji_id)
        else:
            self.out.entity("text_link", mark.start, url=target)
        self.i = j + 1


def parse_markdown_v2(source: str) -> FormattedText:
    return _MarkdownV2Parser(source).run()


# --- legacy Markdown ---------------------------------------------------------------------------


def parse_markdown(source: str) -> FormattedText:
    """Legacy Markdown: no nesting, and only ``_*`[`` can (and must) be escaped."""
    out = _Builder()
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and source[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.add(source[i + 1])
            i += 2
        elif char in _MD_SIMPLE:
            i = _md_enclosed(source, i, out, char, _MD_SIMPLE[char])
        elif source.startswith("```", i):
            i = _md_pre(source, i, out)
        elif char == "`":
            i = _md_enclosed(source, i, out, "`", "code")
        elif char == "[":
            i = _md_link(source, i, out)
        else:
            out.add(char)
            i += 1
    return out.finish()


_MD_SIMPLE = {"*": "bold", "_": "italic"}


def _md_unclosed(source: str, i: int) -> EntityParseError:
    return EntityParseError(
        f"Can't find end of the entity starting at byte offset {_byte_offset(source, i)}"
    )


def _md_enclosed(source: str, i: int, out: _Builder, mark: str, kind: str) -> int:
    """`*bold*`, `_italic_`, `` `code` ``: the text up to the same mark. Returns where the
    text goes on."""
    end = source.find(mark, i + 1)
    if end < 0:
        raise _md_unclosed(source, i)
    start = out.pos
    out.add(source[i + 1 : end])
    out.entity(kind, start)
    return end + 1


def _md_pre(source: str, i: int, out: _Builder) -> int:
    """A ``` block; a first line without spaces names its language."""
    end = source.find("```", i + 3)
    if end < 0:
        raise _md_unclosed(source, i)
    body = source[i + 3 : end]
    language, sep, rest = body.partition("\n")
    start = out.pos
    if sep and language and " " not in language:
        out.add(rest)
        out.entity("pre", start, language=language)
    else:
        out.add(body)
        out.entity("pre", start)
    return end + 3


def _md_link(source: str, i: int, out: _Builder) -> int:
    """`[text](url)`; brackets without a URL after them stay as text."""
    close = source.find("]", i + 1)
    if close < 0:
        raise _md_unclosed(source, i)
    if not source.startswith("(", close + 1) or source.find(")", close + 2) < 0:
        out.add(source[i : close + 1])
        return close + 1
    url_end = source.find(")", close + 2)
    start = out.pos
    out.add(source[i + 1 : close])
    out.entity("text_link", start, url=source[close + 2 : url_end])
    return url_end + 1
