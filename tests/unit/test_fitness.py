"""Fitness standards: reading results as people type them, pass/fail, validity."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest

from common.errors import DomainError
from training.fitness import (
    default_standards,
    evaluate,
    parse_seconds,
    pass_valid_on,
    pass_valid_until,
    standards_from_json,
)

STANDARDS = default_standards()


@pytest.mark.parametrize("typed", ["4:12", "4'12\"", "4′12″", "4'12", "4分12秒", "252", "0:04:12"])
def test_a_time_is_read_in_every_usual_form(typed: str) -> None:
    assert parse_seconds(typed) == 252


def test_seconds_of_sixty_or_more_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_seconds("4:75")


def test_the_packaged_standards_hold_the_spec_defaults() -> None:
    assert STANDARDS.codes() == ["run1000", "pullups", "longjump", "hike5k20"]
    assert STANDARDS.item("run1000").threshold == 265
    assert STANDARDS.item("pullups").threshold == 2
    assert STANDARDS.item("longjump").threshold == 2.01
    assert STANDARDS.item("hike5k20").threshold == 3600
    assert STANDARDS.validity_months == 12


def test_items_are_found_by_code_or_chinese_label() -> None:
    assert STANDARDS.item("引体向上").code == "pullups"
    assert STANDARDS.item("RUN1000").code == "run1000"


def test_an_unknown_item_names_the_right_ones() -> None:
    with pytest.raises(DomainError) as caught:
        STANDARDS.item("situps")
    assert caught.value.key == "fitness.unknown_item"
    assert "run1000" in caught.value.params["items"]


def test_the_thresholds_themselves_pass() -> None:
    values = {"run1000": 265.0, "pullups": 2.0, "longjump": 2.01, "hike5k20": 3600.0}
    assert evaluate(STANDARDS, values).passed


def test_one_second_too_slow_fails_that_item_and_the_test() -> None:
    values = {"run1000": 266.0, "pullups": 5.0, "longjump": 2.2, "hike5k20": 3000.0}
    result = evaluate(STANDARDS, values)
    assert result.failed == ["run1000"]
    assert not result.passed


def test_a_partial_test_is_not_a_pass_yet() -> None:
    result = evaluate(STANDARDS, {"run1000": 250.0})
    assert result.missing == ["pullups", "longjump", "hike5k20"]
    assert not result.passed and not result.failed


def test_bad_and_implausible_values_say_what_would_be_right() -> None:
    with pytest.raises(DomainError) as bad:
        STANDARDS.item("run1000").parse("fast")
    assert bad.value.key == "fitness.bad_value"
    assert bad.value.params["example"] == "run1000=4:25"
    with pytest.raises(DomainError) as odd:
        STANDARDS.item("hike5k20").parse("55")  # 55 seconds for a 5 km hike
    assert odd.value.key == "fitness.implausible"
    with pytest.raises(DomainError):
        STANDARDS.item("pullups").parse("2.5")


def test_lengths_read_metres_and_centimetres() -> None:
    item = STANDARDS.item("longjump")
    assert item.parse("2.10") == 2.10
    assert item.parse("2.1m") == 2.1
    assert item.parse("210cm") == 2.10


def test_an_excel_time_cell_typed_as_minutes_and_seconds_is_understood() -> None:
    # Excel turns a typed "4:12" into 04:12:00 and "55:00" into 55 hours.
    assert STANDARDS.item("run1000").parse(time(4, 12)) == 252
    assert STANDARDS.item("hike5k20").parse(timedelta(hours=55)) == 3300
    assert STANDARDS.item("run1000").parse(time(0, 4, 12)) == 252


def test_age_bands_change_the_threshold_for_older_volunteers() -> None:
    table = {
        "items": [{
            "code": "run1000", "label_zh": "1000米跑", "label_en": "1000 m run",
            "unit": "time", "direction": "max", "threshold": "4:25",
            "bands": [{"min_age": 45, "threshold": "5:00"}],
        }]
    }  # fmt: skip
    standards = standards_from_json(json.dumps(table))
    assert not evaluate(standards, {"run1000": 290.0}, age=30).passed
    assert evaluate(standards, {"run1000": 290.0}, age=50).passed


def test_a_pass_is_valid_for_twelve_months() -> None:
    passed = date(2026, 3, 5)
    assert pass_valid_until(passed) == date(2027, 3, 5)
    assert pass_valid_on(passed, date(2027, 3, 5))
    assert not pass_valid_on(passed, date(2027, 3, 6))
    assert not pass_valid_on(None, date(2026, 3, 6))


def test_a_pass_on_a_leap_day_is_valid_until_the_end_of_february() -> None:
    assert pass_valid_until(date(2028, 2, 29)) == date(2029, 2, 28)
