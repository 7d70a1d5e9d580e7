"""A callout's responders as a generic list: (name, team, state, times, flags, position).

Built from whatever the responses table holds, so a state or column another
feature adds shows up without a change here: every `*_at` column becomes a
time, every other 0/1 column a flag, any `…lat`/`…lon` pair a map position.
States and flags take their label from the catalogue (`dashboard.state.<s>`,
`dashboard.flag.<f>`) and fall back to their own name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What the responses row and its join already mean; everything else is read generically.
_KNOWN = frozenset(
    {
        "callout_id",
        "volunteer_id",
        "state",
        "eta_minutes",
        "reason",
        "chat_id",
        "message_id",
        "language",
        "name",
        "phone",
        "team_code",
        "telegram_id",
    }
)
# Board order; states nobody listed here yet follow, by name.
STATE_ORDER: tuple[str, ...] = (
    "on_scene",
    "available",
    "standby",
    "paged",
    "no_reply",
    "undeliverable",
    "unavailable",
    "home_safe",
)
# States that count towards the headcount (confirmed/needed).
COUNTED_STATES = frozenset({"available", "on_scene"})
_NOT_FLAGS = ("_id", "_minutes", "_count", "_no")
_LAT = ("latitude", "lat")
_LON = ("longitude", "lon", "lng")


@dataclass(frozen=True)
class Responder:
    volunteer_id: int
    name: str
    team: str
    state: str
    phone: str
    eta_minutes: int | None = None
    reason: str | None = None
    times: tuple[tuple[str, str], ...] = ()  # (what, UTC ISO instant), in column order
    flags: tuple[str, ...] = ()
    position: tuple[float, float] | None = None


def _position(row: Mapping[str, Any]) -> tuple[float, float] | None:
    for key, value in row.items():
        for lat in _LAT:
            if key.endswith(lat) and value is not None:
                prefix = key[: -len(lat)]
                for lon in _LON:
                    other = row.get(prefix + lon)
                    if other is not None:
                        return float(value), float(other)
    return None


def responder_from_row(row: Mapping[str, Any]) -> Responder:
    times: list[tuple[str, str]] = []
    flags: list[str] = []
    for key, value in row.items():
        if key in _KNOWN or value is None:
            continue
        if key.endswith("_at"):
            times.append((key[: -len("_at")], str(value)))
        elif (
            isinstance(value, int)
            and value in (0, 1)
            and not key.endswith(_NOT_FLAGS)
            and not any(key.endswith(s) for s in (*_LAT, *_LON))
            and value
        ):
            flags.append(key)
    return Responder(
        volunteer_id=int(row["volunteer_id"]),
        name=str(row["name"]),
        team=str(row["team_code"]),
        state=str(row["state"]),
        phone=str(row["phone"]),
        eta_minutes=row.get("eta_minutes"),
        reason=row.get("reason"),
        times=tuple(times),
        flags=tuple(flags),
        position=_position(row),
    )


def state_rank(state: str) -> tuple[int, str]:
    return (STATE_ORDER.index(state), "") if state in STATE_ORDER else (len(STATE_ORDER), state)


def grouped(people: list[Responder]) -> list[tuple[str, list[Responder]]]:
    """Responders by state in board order; within one, flagged people first, then by time."""
    groups: dict[str, list[Responder]] = {}
    for person in people:
        groups.setdefault(person.state, []).append(person)
    ordered = sorted(groups.items(), key=lambda item: state_rank(item[0]))
    for _, members in ordered:
        members.sort(key=lambda p: (not p.flags, p.times[-1][1] if p.times else "~", p.name))
    return ordered
