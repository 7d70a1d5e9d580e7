import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# Chinese text around a number, as people write it: no space, no punctuation.
cjk_text = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6)
mobile = st.from_regex(r"\A(\+?86)?1[3-9][0-9]{9}\Z")


@given(before=cjk_text, phone=mobile, after=cjk_text)
def test_a_phone_number_glued_to_chinese_text_is_masked(
    before: str, phone: str, after: str
) -> None:
    text = f"{before}{phone}{after}"
    assert RedactingFilter([]).clean(text) == f"{before}<phone>{after}"


@given(
    before=cjk_text,
    number=st.one_of(
        st.integers(0, 99_999_999).map(str),  # a callout id, a count
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.dates().map(str),
    ),
    after=cjk_text,
)
def test_ids_times_and_dates_in_chinese_text_are_left_alone(
    before: str, number: str, after: str
) -> None:
    text = f"{before}{number}{after}"
    assert RedactingFilter([]).clean(text) == text


def test_a_long_number_inside_an_ascii_word_is_not_a_phone() -> None:
    text = "file_13800138000.xlsx and hash a13800138000b"
    assert RedactingFilter([]).clean(text) == text
