"""Runtime configuration: environment variables or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default=DEFAULT_API_URL, alias="TELEGRAM_API_URL")
    db_path: str = Field(default="rescuebot.db", alias="RESCUEBOT_DB")
    timezone: str = Field(default="Asia/Shanghai", alias="RESCUEBOT_TIMEZONE")
    language: Literal["zh", "en"] = Field(default="zh", alias="RESCUEBOT_LANGUAGE")
    mission_target: int = Field(default=59, ge=1, alias="RESCUEBOT_MISSION_TARGET")
    escalate_minutes: float = Field(default=10, gt=0, alias="RESCUEBOT_ESCALATE_MINUTES")
    # The dashboard's web server inside the bot process (0 = off).
    web_port: int = Field(default=8080, ge=0, le=65535, alias="RESCUEBOT_WEB_PORT")
    web_host: str = Field(default="0.0.0.0", alias="RESCUEBOT_WEB_HOST")
    public_url: str | None = Field(default=None, alias="RESCUEBOT_PUBLIC_URL")
    tile_url: str = Field(default=DEFAULT_TILE_URL, alias="RESCUEBOT_TILE_URL")
    # Incident operations: safety checks for responders on scene (0 = off), the minutes
    # to answer one, and the minutes after /close before anyone not home safe is flagged.
    check_minutes: float = Field(default=60, ge=0, alias="RESCUEBOT_CHECK_MINUTES")
    check_grace_minutes: float = Field(default=10, gt=0, alias="RESCUEBOT_CHECK_GRACE_MINUTES")
    return_minutes: float = Field(default=120, gt=0, alias="RESCUEBOT_RETURN_MINUTES")
    # How long `rescuebot run` keeps retrying to reach Telegram before it gives up.
    startup_retry_seconds: float = Field(default=300, ge=0, alias="RESCUEBOT_STARTUP_RETRY_SECONDS")
    # Seconds a stop waits for messages still queued before it saves them for the next start.
    stop_grace_seconds: float = Field(
        default=20, ge=0, le=600, alias="RESCUEBOT_STOP_GRACE_SECONDS"
    )
    # Pages as Telegram paid broadcasts (up to 1,000 a second, charged in Stars): see README.
    paid_broadcast: bool = Field(default=False, alias="RESCUEBOT_PAID_BROADCAST")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Shanghai") from exc
        return value

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not a web address, e.g. https://rescue.example.org")
        return value.rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def api_base_url(self) -> str:
        return self.telegram_api_url

    @property
    def file_base_url(self) -> str:
        """Telegram serves files from `/file/bot<token>/…` next to `/bot<token>/…`."""
        url = self.telegram_api_url
        if url.endswith("/bot"):
            return url[: -len("bot")] + "file/bot"
        return url.rstrip("/") + "/file/bot"


@lru_cache
def get_settings() -> Settings:
    return Settings()
