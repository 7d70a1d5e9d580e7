"""Who is asking: Telegram Mini App initData, or a signed expiring link. Pure functions.

initData is checked exactly as Telegram documents it for Mini Apps: the
data-check-string is every received field except `hash`, as `key=value`
lines sorted by key; the secret key is HMAC-SHA-256 of the bot token keyed
with "WebAppData"; the hash is the hex HMAC-SHA-256 of the data-check-string
under that key. Links are `<payload>.<mac>` (both base64url), the mac an
HMAC-SHA-256 of the payload under the server's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

INIT_DATA_MAX_AGE = timedelta(days=1)
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
MAX_INIT_DATA = 4096  # characters: Telegram's initData is well under this


class Unauthorized(Exception):
    """Anything we cannot trust: the server answers 401 and no data."""


@dataclass(frozen=True)
class TelegramUser:
    id: int
    language_code: str | None
    auth_date: datetime


@dataclass(frozen=True)
class LinkClaims:
    """A signed link: a wall screen (no person) or one person's (from /dashboard)."""

    expires: datetime
    team: str | None = None
    telegram_id: int | None = None

    @property
    def wall(self) -> bool:
        return self.telegram_id is None


def webapp_secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram would add to these fields (tests, and the demo's simulated app)."""
    return hmac.new(
        webapp_secret(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def verify_init_data(init_data: str, bot_token: str, now: datetime) -> TelegramUser:
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise Unauthorized("no initData")
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=False)
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Unauthorized("a field appears twice")
    received = fields.get("hash", "")
    if not hmac.compare_digest(received, sign_init_data(fields, bot_token)):
        raise Unauthorized("bad hash")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("incomplete initData") from exc
    if now - auth_date > INIT_DATA_MAX_AGE or auth_date - now > CLOCK_SKEW:
        raise Unauthorized("initData too old")
    language = user.get("language_code")
    return TelegramUser(user_id, language if isinstance(language, str) else None, auth_date)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def sign_link(secret: str, claims: LinkClaims) -> str:
    body: dict[str, Any] = {"exp": int(claims.expires.timestamp())}
    if claims.team:
        body["team"] = claims.team
    if claims.telegram_id is not None:
        body["uid"] = claims.telegram_id
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def verify_link(token: str, secret: str, now: datetime) -> LinkClaims:
    payload, _, mac = token.partition(".")
    if not payload or not mac or len(token) > 1024:
        raise Unauthorized("malformed link")
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        raise Unauthorized("bad signature")
    try:
        body = json.loads(_unb64(payload))
        expires = datetime.fromtimestamp(int(body["exp"]), tz=now.tzinfo)
        team = body.get("team")
        uid = body.get("uid")
    except (KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("malformed link") from exc
    if expires <= now:
        raise Unauthorized("link expired")
    return LinkClaims(
        expires,
        str(team) if team else None,
        int(uid) if uid is not None else None,
    )
