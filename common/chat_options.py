"""The one parser of chat command options: plain words and `key=value` options.

    /callout mountain 3 "凤凰山 北坡" team=SD，HR fit=no
    /fitness 张伟 run1000＝4:12 pullups=5 date=2026-03-05

- `key=value`, also with the full-width `＝`; a value's full-width commas `，` become `,`
  (the list separator every list option splits on).
- A value or a plain word in quotes ("…", “…”, 「…」) keeps its spaces: Telegram splits a
  command's text at spaces, so the words of a quoted part are joined back.
- Keys are matched without case through the command's own names (aliases in Chinese and
  English map to one canonical key); a key given twice is an error, and an unknown key an
  error that lists the allowed ones.
- A word is an option only if the part before `=` looks like a key (letters, CJK, digits,
  `_`; not digits only): `https://a.example/?q=1` and `3=2` stay plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from common.errors import DomainError

QUOTES = {'"': '"', "“": "”", "「": "」", "”": "”"}
_KEY = re.compile(r"\w*[^\W\d]\w*")  # word characters, not digits only

Resolver = Callable[[str], str]


@dataclass(frozen=True)
class ChatOptions:
    words: list[str] = field(default_factory=list)  # plain words, in order, quotes removed
    options: dict[str, str] = field(default_factory=dict)  # canonical key → value
    # Plain words that came after the first option (some commands want options last).
    words_after_options: list[str] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.options.get(key, default)


def named(names: Mapping[str, str], *, unknown: str = "options.unknown") -> Resolver:
    """A resolver from spelled keys (matched without case) to canonical keys; anything else
    is the error `unknown` with the key and the allowed canonical keys."""
    table = {spelled.lower(): canonical for spelled, canonical in names.items()}
    allowed = ", ".join(dict.fromkeys(names.values()))

    def resolve(key: str) -> str:
        canonical = table.get(key.lower())
        if canonical is None:
            raise DomainError(unknown, option=key, allowed=allowed)
        return canonical

    return resolve


def join_quoted(args: Sequence[str]) -> list[str]:
    """Telegram's space-split words with each quoted part joined back into one word."""
    joined: list[str] = []
    open_part: list[str] = []
    closing = ""
    for word in args:
        if open_part:
            open_part.append(word)
            if word.endswith(closing):
                joined.append(_unquote(" ".join(open_part), closing))
                open_part = []
            continue
        opening = _opening_quote(word)
        if opening is None:
            joined.append(word)
            continue
        closing = QUOTES[opening]
        body_start = word.index(opening) + 1
        if len(word) > body_start and word.endswith(closing):
            joined.append(_unquote(word, closing))
        else:
            open_part = [word]
    if open_part:
        raise DomainError("options.unclosed_quote", text=" ".join(open_part))
    return joined


def parse_options(args: Sequence[str], resolve: Resolver) -> ChatOptions:
    words: list[str] = []
    after: list[str] = []
    options: dict[str, str] = {}
    for word in join_quoted(args):
        split = _split_key(word)
        if split is None:
            (after if options else words).append(word)
            continue
        key, value = split
        canonical = resolve(key)
        if canonical in options:
            raise DomainError("options.repeated", option=key)
        options[canonical] = value.replace("，", ",")
    return ChatOptions(words + after, options, after)


def _split_key(word: str) -> tuple[str, str] | None:
    text = word.replace("＝", "=")
    key, sep, value = text.partition("=")
    if not sep or not _KEY.fullmatch(key):
        return None
    return key, value


def _opening_quote(word: str) -> str | None:
    """The quote a word opens: at its start, or right after `key=`."""
    if word[:1] in QUOTES:
        return word[0]
    split = _split_key(word)
    if split is not None and split[1][:1] in QUOTES:
        return split[1][0]
    return None


def _unquote(text: str, closing: str) -> str:
    """`"a b"` → `a b`; `key="a b"` → `key=a b`."""
    for opening, close in QUOTES.items():
        if close != closing:
            continue
        at = text.find(opening)
        if at != -1 and text.endswith(closing) and len(text) - at >= 2:
            return text[:at] + text[at + 1 : -1]
    return text
