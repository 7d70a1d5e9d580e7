"""Traditional and simplified Chinese spellings of one place are one place to the
duplicate guard; different places stay different."""

from __future__ import annotations

from datetime import UTC, datetime

from missions.duplicates import Sighting, normalise_place, same_incident
from missions.place_chars import TRADITIONAL_TO_SIMPLIFIED, simplified

T0 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_traditional_place_names_read_as_their_simplified_forms() -> None:
    assert simplified("鳳凰山") == "凤凰山"
    assert simplified("長江大橋") == "长江大桥"
    assert simplified("香港島北角") == "香港岛北角"
    assert simplified("臺灣") == "台湾"


def test_simplified_text_and_latin_are_left_as_they_are() -> None:
    assert simplified("江心洲 Jiangxin 3号") == "江心洲 Jiangxin 3号"


def test_the_table_maps_each_traditional_character_to_one_that_is_not_mapped_again() -> None:
    targets = set(TRADITIONAL_TO_SIMPLIFIED.values())
    assert all(len(v) == 1 for v in targets)
    assert not {ord(v) for v in targets} & TRADITIONAL_TO_SIMPLIFIED.keys()


def test_a_place_written_in_traditional_characters_matches_the_same_place_in_simplified() -> None:
    assert normalise_place("鳳凰山 西坡") == normalise_place("凤凰山西坡")
    assert normalise_place("ＸＩ　長江大橋") == normalise_place("xi 长江大桥")
    new = Sighting("flood", ("長江大橋",), None, T0)
    assert same_incident(new, Sighting("flood", ("长江大桥",), None, T0))


def test_different_places_stay_different_in_either_script() -> None:
    assert normalise_place("鳳凰山") != normalise_place("凤凰岭")
    new = Sighting("flood", ("長江大橋",), None, T0)
    assert not same_incident(new, Sighting("flood", ("黄河大桥",), None, T0))
