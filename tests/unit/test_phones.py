import pytest

from common.errors import DomainError
from roster.phones import display_phone, normalise_phone


@pytest.mark.parametrize(
    "typed", ["138 0000 0000", "+86-138-0000-0000", "8613800000000", "13800000000", 13800000000.0]
)
def test_every_common_way_of_writing_a_mobile_gives_the_same_number(typed: object) -> None:
    assert normalise_phone(typed) == "+8613800000000"


@pytest.mark.parametrize("typed", ["", "12345", "abc", "+86 138"])
def test_a_number_that_cannot_be_dialled_is_refused_with_the_value(typed: str) -> None:
    with pytest.raises(DomainError) as caught:
        normalise_phone(typed)
    assert caught.value.key == "error.bad_phone"


def test_mainland_mobiles_are_shown_in_groups_of_three_four_four() -> None:
    assert display_phone("+8613800000000") == "138 0000 0000"
