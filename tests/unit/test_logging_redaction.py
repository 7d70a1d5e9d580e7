import logging

import pytest

from bot.logging_setup import RedactingFilter

TOKEN = "123456789:AAH-secret-token-value-xyz_123"


def test_the_token_and_phone_numbers_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactingFilter([TOKEN]))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
        logger.info("linked +8613800000000 and 138 0000 0001")
    text = caplog.text
    assert TOKEN not in text
    assert "13800000000" not in text
    assert "138 0000 0001" not in text
    assert "<token>" in text and "<phone>" in text


def test_tracebacks_are_redacted_too(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction.tb")
    logger.addFilter(RedactingFilter([TOKEN]))
    with caplog.at_level(logging.ERROR, logger="test.redaction.tb"):
        try:
            raise RuntimeError(f"bad url /bot{TOKEN}/getMe for +8613800000000")
        except RuntimeError:
            logger.exception("failed")
    assert TOKEN not in caplog.text
    assert "8613800000000" not in caplog.text
