"""A callout's responders as a generic list: (name, team, state, times, flags, position).

Built from whatever the responses table holds, so a state or column another
feature adds shows up without a change here: every `*_at` column becomes a
time, every other 0/1 column a flag, any `…lat`/`…lon` pair a map position.
States and flags take their label from the catalogue (`dashboard.state.<s>`,
`dashboard.flag.<f>`) and fall back to their own name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
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


class ResponderReader:
    """Reads rows of one query: which columns are times, flags or a position is decided
    once from the column names, not again for each of a thousand rows."""

    def __init__(self, columns: Iterable[str]) -> None:
        names = [c for c in columns if c not in _KNOWN]
        self.times = [(c, c[: -len("_at")]) for c in names if c.endswith("_at")]
        self.positions: list[tuple[str, str]] = []
        for c in names:
            for lat in _LAT:
                if c.endswith(lat):
                    lon = next(
                        (c[: -len(lat)] + x for x in _LON if c[: -len(lat)] + x in names), None
                    )
                    if lon is not None:
                        self.positions.append((c, lon))
        placed = {c for pair in self.positions for c in pair}
        self.flags = [
            c
            for c in names
            if not c.endswith("_at") and not c.endswith(_NOT_FLAGS) and c not in placed
        ]

    def read(self, row: Mapping[str, Any] | sqlite3.Row) -> Responder:
        position = None
        for lat, lon in self.positions:
            if row[lat] is not None and row[lon] is not None:
                position = (float(row[lat]), float(row[lon]))
                break
        return Responder(
            volunteer_id=int(row["volunteer_id"]),
            name=str(row["name"]),
            team=str(row["team_code"]),
            state=str(row["state"]),
            phone=str(row["phone"]),
            eta_minutes=row["eta_minutes"],
            reason=row["reason"],
            times=tuple((label, str(row[c])) for c, label in self.times if row[c] is not None),
            # A flag is a 0/1 column that is set (text and counts are not flags).
            flags=tuple(
                c for c in self.flags if row[c] is True or (row[c] == 1 and type(row[c]) is int)
            ),
            position=position,
        )


def responder_from_row(row: Mapping[str, Any]) -> Responder:
    return ResponderReader(row.keys()).read(row)


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
