"""What `rescuebot run` checks before it serves: the token, one bot per database, and
reaching Telegram (network failures are retried with backoff; a rejected token is not).

Every failure here is a `DomainError`, so the command line prints one line in the
operator's language and exits non-zero, and systemd's restart-on-failure sees it.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from common.errors import DomainError
from storage.db import DatabaseUnavailable

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

# .env.example's value: recognised so the operator is told to edit it, not "401".
_PLACEHOLDER = re.compile(r"replace|botfather|your[-_ ]?token|changeme", re.IGNORECASE)
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
FIRST_DELAY = 1.0
MAX_DELAY = 30.0


def check_token(token: str) -> None:
    """Refuse a token that cannot work before any request carries it."""
    if _PLACEHOLDER.search(token):
        raise DomainError("error.token_placeholder")
    if not _TOKEN_SHAPE.match(token.strip()):
        raise DomainError("error.token_malformed")


@dataclass
class RunLock:
    """An advisory lock beside the database: the kernel drops it when the process dies,
    even by kill -9, so a crashed bot never blocks its own restart."""

    path: str
    fd: int

    def release(self) -> None:
        os.close(self.fd)


def hold_run_lock(db_path: str) -> RunLock | None:
    """One `rescuebot run` per database: two would fight over getUpdates (409s) and
    page everyone twice."""
    if db_path == ":memory:":
        return None
    path = f"{os.path.abspath(db_path)}.run-lock"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:  # a read-only folder is said as such, not as an unexpected error
        raise DatabaseUnavailable.of(db_path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise DomainError("error.already_running", db=db_path, lock=path) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return RunLock(path, fd)


def _reason(exc: BaseException) -> str:
    # PTB's messages about a rejected token quote the token; ours never do.
    return type(exc).__name__ if isinstance(exc, InvalidToken) else (str(exc) or repr(exc))


async def initialize_with_retries(
    app: App,
    *,
    budget_seconds: float,
    url: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """`app.initialize()` (which asks Telegram who we are), retried while the network
    fails: 1, 2, 4 … 30 s apart, each attempt logged, until `budget_seconds` are spent.
    A rejected token and Telegram's other refusals are final at once."""
    delay, waited = FIRST_DELAY, 0.0
    while True:
        try:
            await app.initialize()
            return
        except InvalidToken:
            raise DomainError("error.token_rejected") from None
        except NetworkError as exc:
            if isinstance(exc, BadRequest):  # PTB files 400s under network errors
                raise DomainError("error.telegram_at_startup", reason=_reason(exc)) from None
            if waited >= budget_seconds:
                raise DomainError(
                    "error.network_at_startup",
                    url=url,
                    seconds=round(waited),
                    reason=_reason(exc),
                ) from None
            delay = min(delay, max(budget_seconds - waited, 0.0))
            log.warning("cannot reach Telegram (%s); trying again in %.0f s", _reason(exc), delay)
            await sleep(delay)
            waited += delay
            delay = min(delay * 2 or FIRST_DELAY, MAX_DELAY)
        except TelegramError as exc:
            raise DomainError("error.telegram_at_startup", reason=_reason(exc)) from None
