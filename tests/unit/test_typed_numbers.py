"""Minutes and hours people type: ASCII or full-width digits, a plain decimal, within bounds;
never what float() alone would read ('١', '1e3', 'nan', 'inf', '-1')."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import DomainError
from common.numbers import decimal, hours, plain_decimal

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

plain_decimals = st.from_regex(r"\A[0-9]{1,5}(\.[0-9]{1,4})?\Z")


@given(plain_decimals)
def test_a_plain_decimal_reads_as_its_value_in_ascii_or_full_width_digits(text: str) -> None:
    assert plain_decimal(text) == float(text)
    assert plain_decimal(text.translate(FULL_WIDTH)) == float(text)
    assert plain_decimal(text.replace(".", ",")) == float(text)


@given(st.text(max_size=14))
def test_any_text_reads_as_a_finite_plain_decimal_or_not_at_all(text: str) -> None:
    value = plain_decimal(text)
    if value is not None:
        assert math.isfinite(value) and value >= 0
        folded = text.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.."))
        assert set(folded.replace(",", ".")) <= set("0123456789.")


@pytest.mark.parametrize(
    "text", ["١", "١٥", "²", "1e3", "nan", "inf", "-1", "+1", "1_000", "0x10", "5..5", "", " ", "."]
)
def test_what_float_would_read_but_a_person_does_not_write_is_no_number(text: str) -> None:
    assert plain_decimal(text) is None


def test_a_number_above_the_maximum_or_zero_is_refused_naming_the_value_and_the_range() -> None:
    with pytest.raises(DomainError) as refused:
        decimal("1441", 1440, "check.error.minutes")
    assert refused.value.key == "check.error.minutes"
    assert refused.value.params == {"value": "1441", "max": "1440"}
    with pytest.raises(DomainError):
        decimal("0", 1440, "check.error.minutes")
    assert decimal("0", 48, "debrief.error.hours", zero=True) == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [("6", 6.0), ("6h", 6.0), ("6 小时", 6.0), ("６小时", 6.0), ("2.5hours", 2.5), ("２．５", 2.5)],
)
def test_hours_may_carry_their_unit(text: str, value: float) -> None:
    assert hours(text, 48, "debrief.error.hours") == value


def test_a_refused_number_of_hours_names_what_was_typed_with_its_unit() -> None:
    with pytest.raises(DomainError) as refused:
        hours("1e3h", 48, "debrief.error.hours")
    assert refused.value.params["value"] == "1e3h"
