"""What a button asks for, as the service means it: the Telegram adapter
(bot/callout_adapter.py) turns each into callback data, so the service never writes the
wire format of a button (`co:…`, `cd:…`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JoinOpen:
    """Add the caller's held request to the open callout as their part. `token` is known
    only to that caller's draft, so a forged button cannot join another incident."""

    callout_id: int
    draft_id: int
    token: str


@dataclass(frozen=True)
class PageAnyway:
    """Page the held request as a callout of its own after all."""

    draft_id: int


Action = JoinOpen | PageAnyway
