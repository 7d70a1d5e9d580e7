from pathlib import Path

import pytest
from pydantic import ValidationError

from common.settings import Settings
from tests.conftest import make_settings


def test_defaults_match_the_specification(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_URL",
        "RESCUEBOT_DB",
        "RESCUEBOT_TIMEZONE",
        "RESCUEBOT_LANGUAGE",
        "RESCUEBOT_MISSION_TARGET",
        "RESCUEBOT_ESCALATE_MINUTES",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.file_base_url == "https://api.telegram.org/file/bot"
    assert settings.db_path == "rescuebot.db"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.language == "zh"
    assert settings.mission_target == 59
    assert settings.escalate_minutes == 10


def test_the_token_never_shows_in_the_settings_repr(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "x.db")
    assert "TEST-token" not in repr(settings)
    assert settings.telegram_bot_token is not None
    assert "TEST-token" in settings.telegram_bot_token.get_secret_value()


def test_an_unknown_time_zone_is_refused_with_an_example(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Asia/Shanghai"):
        make_settings(tmp_path / "x.db", RESCUEBOT_TIMEZONE="Mars/Olympus")


def test_a_language_other_than_zh_or_en_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        make_settings(tmp_path / "x.db", RESCUEBOT_LANGUAGE="fr")


def test_a_local_bot_api_server_gets_the_matching_file_url(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "x.db", "http://127.0.0.1:8081/bot")
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"


def test_the_incident_timers_default_to_an_hour_ten_minutes_and_two_hours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "RESCUEBOT_CHECK_MINUTES",
        "RESCUEBOT_CHECK_GRACE_MINUTES",
        "RESCUEBOT_RETURN_MINUTES",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.check_minutes, settings.check_grace_minutes, settings.return_minutes) == (
        60,
        10,
        120,
    )


def test_incident_timers_take_fractions_and_zero_turns_the_check_off(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "x.db",
        RESCUEBOT_CHECK_MINUTES="0",
        RESCUEBOT_CHECK_GRACE_MINUTES="0.05",
        RESCUEBOT_RETURN_MINUTES="0.05",
    )
    assert (settings.check_minutes, settings.check_grace_minutes) == (0, 0.05)
    with pytest.raises(ValidationError):
        make_settings(tmp_path / "x.db", RESCUEBOT_CHECK_GRACE_MINUTES="0")
