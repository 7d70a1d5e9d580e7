"""Text people type or import that must not be stored as it is."""

from __future__ import annotations

import unicodedata

# Right-to-left overrides and isolates: they reorder what follows on every screen.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control_characters(text: str) -> bool:
    """NUL, other C0/C1 controls (tabs and line breaks too) or bidirectional overrides."""
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in text)


def visible(text: str) -> str:
    """`text` with its control characters written out (\\x00), to quote it back."""
    return "".join(
        ch.encode("unicode_escape").decode() if has_control_characters(ch) else ch for ch in text
    )
