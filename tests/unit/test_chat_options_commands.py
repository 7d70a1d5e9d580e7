"""Every command's options go through the one parser: /callout, /close, /mission add,
/fitness read quoted values, ＝ and ，, and refuse repeated or unknown options."""

from __future__ import annotations

from datetime import date

import pytest

from bot.handlers.fitness import parse_fitness_args
from common.errors import DomainError
from missions.model import parse_callout, parse_close, parse_mission_add
from training.fitness import default_standards

TODAY = date(2026, 6, 1)


def test_a_callout_location_in_quotes_keeps_its_spaces_and_full_width_options_work() -> None:
    request = parse_callout(["mountain", "3", '"凤凰山', '北坡"', "队伍＝SD，HR"], {})
    assert request.location == "凤凰山 北坡"
    assert request.teams == ("SD", "HR")


def test_a_callout_with_an_unknown_option_names_the_allowed_ones() -> None:
    with pytest.raises(DomainError) as refused:
        parse_callout(["mountain", "3", "凤凰山", "colour=red"], {})
    assert refused.value.key == "options.unknown"
    assert "team" in refused.value.params["allowed"]


def test_a_callout_option_given_twice_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        parse_callout(["mountain", "3", "凤凰山", "team=SD", "teams=HR"], {})
    assert refused.value.key == "options.repeated"


def test_close_and_mission_add_read_the_same_options() -> None:
    assert parse_close(["rescued＝2", "all", "home"]) == (2, "all home")
    entry = parse_mission_add(
        ["mountain", "2026-05-01", "5", "SD", 'place="凤凰山', '北坡"', "people=张伟，李娜"]
    )
    assert entry.place == "凤凰山 北坡" and entry.people == ("张伟", "李娜")


def test_fitness_items_by_chinese_label_with_full_width_equals() -> None:
    query, day, values = parse_fitness_args(
        ["张伟", "1000米跑＝4:12", "pullups=5"], default_standards(), TODAY
    )
    assert (query, day) == ("张伟", TODAY)
    assert values == {"run1000": 252, "pullups": 5}


def test_a_fitness_item_given_twice_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        parse_fitness_args(["张伟", "pullups=5", "引体向上=6"], default_standards(), TODAY)
    assert refused.value.key == "options.repeated"
