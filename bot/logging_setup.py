"""Logging that never writes the bot token or a phone number."""

from __future__ import annotations

import logging
import re

# A run of digits with the separators people write phones with: 139 1111 0000,
# 139-1111-0000, 139.1111.0000, (139)1111-0000, +86 139 1111 0000.
# Only ASCII letters, digits and `_` glue a number into a longer word (an id, a hash): a
# phone written right after or before Chinese text ("电话13800138000") is still a phone.
_PHONE_LIKE = re.compile(r"(?<![A-Za-z0-9_.])[+(]?\d[\d \t\-.()]{5,22}\d(?![A-Za-z0-9_])")
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d")
# Loggers that write request parameters (message texts: names, policy numbers) or SQL
# parameters at DEBUG: they stay at INFO even when the rest is turned up.
_CHATTY = ("telegram", "aiosqlite", "httpcore", "hpack")


def _mask_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if _ISO_DATE.match(text):
        return text  # a date and time, not a phone
    if digits >= 10 or (text.startswith("+") and digits >= 7):
        return "<phone>"
    return text


_TOKEN = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{20,}")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<token>")
        text = _TOKEN.sub("<token>", text)
        return _PHONE_LIKE.sub(_mask_phone, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = self.clean(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Render the traceback now so it is redacted too.
            record.exc_text = self.clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter([token or ""]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
