"""Domain errors carry a catalogue key, never a sentence, so each front end
(chat, command line) renders them in the reader's language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Bad input or a broken rule: the person is told `key` with `params`."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return f"{self.key} {self.params}"


class NotAllowed(DomainError):
    """The person's role does not permit this."""


class NotFound(DomainError):
    """The thing named does not exist."""
