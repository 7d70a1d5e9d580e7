"""The duplicate guard's rule: same type, recent, same area."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from missions.duplicates import Sighting, distance_km, normalise_place, same_incident

T0 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
PIER = (31.2304, 121.4737)


def sighting(
    place: str = "江心洲",
    point: tuple[float, float] | None = None,
    at: datetime = T0,
    kind: str = "flood",
) -> Sighting:
    return Sighting(kind, (place,), point, at)


def test_place_names_match_whatever_the_case_spaces_and_width() -> None:
    assert normalise_place("ＪＩＡＮＧＸＩＮ　island") == normalise_place("Jiangxin-Island")
    assert normalise_place(" 江心洲 ") == normalise_place("江心洲")
    assert normalise_place("江心洲") != normalise_place("江北")


def test_the_same_place_named_twice_is_the_same_incident() -> None:
    assert same_incident(sighting("Jiangxin Island"), sighting("jiangxin island"))


def test_map_points_a_few_km_apart_are_one_incident_and_far_ones_are_not() -> None:
    near = (PIER[0] + 0.01, PIER[1])  # about 1.1 km north
    far = (PIER[0] + 0.5, PIER[1])  # about 55 km
    assert 1.0 < distance_km(PIER, near) < 1.2
    assert same_incident(sighting("北岸", near), sighting("南岸", PIER))
    assert not same_incident(sighting("北岸", far), sighting("南岸", PIER))


def test_another_type_or_an_old_callout_is_not_a_duplicate() -> None:
    assert not same_incident(sighting(kind="water"), sighting())
    assert not same_incident(sighting(at=T0 + timedelta(hours=7)), sighting())


def test_different_places_without_points_are_different_incidents() -> None:
    assert not same_incident(sighting("凤凰山西坡"), sighting("别处"))
