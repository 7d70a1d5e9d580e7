from datetime import date, datetime

import pytest

from common.dates import add_years, parse_date
from common.errors import DomainError


@pytest.mark.parametrize(
    "typed",
    [
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        "20260305",
        " 2026-03-05 ",
        "2026-03-05 00:00:00",
        datetime(2026, 3, 5, 8, 0),
        date(2026, 3, 5),
        46086,
    ],
)
def test_dates_are_read_however_spreadsheets_and_people_write_them(typed: object) -> None:
    assert parse_date(typed) == date(2026, 3, 5)


@pytest.mark.parametrize("typed", ["2026-02-30", "yesterday", "5/3/2026", "", -3])
def test_text_that_is_not_a_date_is_refused(typed: object) -> None:
    with pytest.raises(DomainError) as caught:
        parse_date(typed)
    assert caught.value.key == "error.bad_date"


def test_a_leap_day_plus_one_year_falls_on_the_last_of_february() -> None:
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
