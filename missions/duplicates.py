"""Is a new callout the same incident as an open one? Pure rules.

The same incident means the same type, called recently, and the same area: map points a
few kilometres apart at most, or the same place name once written the same way (case,
spaces and punctuation, full-width and half-width forms, traditional and simplified Chinese
characters do not count).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from missions.place_chars import simplified

SAME_AREA_KM = 3.0
RECENT = timedelta(hours=6)
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Sighting:
    """What the guard compares: one callout (or one joined part of it), or the new request."""

    type: str
    places: tuple[str, ...]  # the callout's place and the places of its joined parts
    point: tuple[float, float] | None
    at: datetime


def normalise_place(text: str) -> str:
    """`Jiangxin Island`, `ＪＩＡＮＧＸＩＮ　island` and `jiangxin-island` read the same;
    so do `江心洲` and `江心洲 `, and `鳳凰山` and `凤凰山` (NFKC folds full-width forms, the
    characters of place names are folded to simplified; only letters and digits stay)."""
    folded = simplified(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in ("L", "N"))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def same_incident(new: Sighting, open_one: Sighting) -> bool:
    if new.type != open_one.type or new.at - open_one.at > RECENT:
        return False
    near = (
        new.point is not None
        and open_one.point is not None
        and distance_km(new.point, open_one.point) <= SAME_AREA_KM
    )
    if near:
        return True
    names = {normalise_place(p) for p in open_one.places} - {""}
    return any(normalise_place(p) in names for p in new.places)
