"""The dashboard's credentials: Telegram Mini App initData and signed links."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from dashboard.auth import (
    LinkClaims,
    Unauthorized,
    sign_link,
    verify_init_data,
    verify_link,
)

TOKEN = "123456:ABC-the-bots-token"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def telegram_init_data(fields: dict[str, str], token: str = TOKEN) -> str:
    """initData as Telegram builds it (core.telegram.org/bots/webapps, "Validating data").

    data-check-string: every field but `hash`, `key=<value>` lines sorted by key, joined
    by "\\n"; secret_key = HMAC_SHA256(<bot_token>, "WebAppData");
    hash = hex(HMAC_SHA256(data_check_string, secret_key)).
    """
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret_key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret_key, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def fields(user_id: int = 42, at: datetime = NOW, **extra: str) -> dict[str, str]:
    user = {"id": user_id, "first_name": "值班", "language_code": "en"}
    return {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(at.timestamp())),
        **extra,
    }


def test_init_data_signed_as_telegram_documents_is_accepted() -> None:
    user = verify_init_data(telegram_init_data(fields(signature="abc")), TOKEN, NOW)
    assert user.id == 42
    assert user.language_code == "en"


def test_init_data_signed_with_another_bots_token_is_refused() -> None:
    with pytest.raises(Unauthorized):
        verify_init_data(telegram_init_data(fields(), "999:OTHER"), TOKEN, NOW)


def test_init_data_with_a_changed_user_is_refused() -> None:
    genuine = telegram_init_data(fields(user_id=42))
    forged = genuine.replace("%22id%22%3A42", "%22id%22%3A43")
    assert forged != genuine
    with pytest.raises(Unauthorized):
        verify_init_data(forged, TOKEN, NOW)


def test_init_data_older_than_a_day_is_refused_and_a_day_old_is_not() -> None:
    assert verify_init_data(telegram_init_data(fields(at=NOW - timedelta(hours=23))), TOKEN, NOW)
    with pytest.raises(Unauthorized):
        verify_init_data(
            telegram_init_data(fields(at=NOW - timedelta(days=1, seconds=1))), TOKEN, NOW
        )


@pytest.mark.parametrize("bad", ["", "hash=00", "user=x&auth_date=1", "a" * 5000])
def test_missing_or_malformed_init_data_is_refused(bad: str) -> None:
    with pytest.raises(Unauthorized):
        verify_init_data(bad, TOKEN, NOW)


def test_a_signed_link_carries_its_team_until_it_expires() -> None:
    token = sign_link("secret", LinkClaims(NOW + timedelta(hours=2), team="SD"))
    claims = verify_link(token, "secret", NOW)
    assert claims.team == "SD" and claims.wall
    with pytest.raises(Unauthorized):
        verify_link(token, "secret", NOW + timedelta(hours=2))


def test_a_tampered_link_or_one_signed_with_an_old_secret_is_refused() -> None:
    token = sign_link("secret", LinkClaims(NOW + timedelta(hours=2), team="SD"))
    payload, _, mac = token.partition(".")
    other = sign_link("secret", LinkClaims(NOW + timedelta(days=30)))
    for bad in (
        other.partition(".")[0] + "." + mac,
        payload + "." + mac[:-2] + "AA",
        payload,
        "garbage",
    ):
        with pytest.raises(Unauthorized):
            verify_link(bad, "secret", NOW)
    with pytest.raises(Unauthorized):
        verify_link(token, "rotated-secret", NOW)
