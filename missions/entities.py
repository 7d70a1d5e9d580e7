"""The callouts' entities: a callout, a paged person, someone left out, a mission, a dialog
draft. Plain data the rules, the renderers and the repositories share; the repositories
(missions/repository.py and its neighbours) read and write them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from common.clock import parse_iso
from missions.model import CalloutRequest, Exclusion, GeoPoint, State, Status
from missions.places import Candidate, Places
from roster.model import Volunteer


class RowLike(Protocol):
    """A database row as `Callout.from_row` reads it (by column name)."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> list[str]: ...


def _when(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


@dataclass
class Callout:
    id: int
    type: str
    teams: tuple[str, ...]
    skills: tuple[str, ...]
    needed: int
    location: str
    description: str
    point: GeoPoint | None
    require_fitness: bool
    called_by: int
    board_chat_id: int | None
    board_message_id: int | None
    status: Status
    created_at: datetime
    filled_at: datetime | None
    ended_at: datetime | None
    escalation_stage: int
    escalate_at: datetime | None
    cancel_reason: str | None
    # Incident operations: the callout's own safety-check interval (None: the setting),
    # the next round, and the return phase after /close.
    check_minutes: float | None = None
    next_check_at: datetime | None = None
    return_started_at: datetime | None = None
    return_stage: int = 0
    return_done_at: datetime | None = None
    # Several teams (missions/places.py): places per team and per skill; empty: one headcount.
    quotas: dict[str, int] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)
    # Teams that joined through the duplicate guard: team → {"by", "place", "needed"}.
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_update_at: datetime | None = None  # the last /update to the responders
    escalation_muted: bool = False  # coordinators muted the repeated alerts

    @property
    def original_teams(self) -> tuple[str, ...]:
        """The caller's own teams (those not added as a joined part)."""
        return tuple(c for c in self.teams if c not in self.parts)

    @property
    def places(self) -> Places:
        return Places(self.needed, self.quotas, self.slots)

    @property
    def returning(self) -> bool:
        """Closed, and not everyone is home safe yet."""
        return self.return_started_at is not None and self.return_done_at is None

    @classmethod
    def from_row(cls, row: RowLike) -> Callout:
        point = None
        if row["latitude"] is not None and row["longitude"] is not None:
            point = GeoPoint(float(row["latitude"]), float(row["longitude"]))
        return cls(
            id=row["id"],
            type=row["type"],
            teams=tuple(json.loads(row["teams"])),
            skills=tuple(json.loads(row["skills"])),
            needed=row["needed"],
            location=row["location"],
            description=row["description"],
            point=point,
            require_fitness=bool(row["require_fitness"]),
            called_by=row["called_by"],
            board_chat_id=row["board_chat_id"],
            board_message_id=row["board_message_id"],
            status=Status(row["status"]),
            created_at=parse_iso(row["created_at"]),
            filled_at=_when(row["filled_at"]),
            ended_at=_when(row["ended_at"]),
            escalation_stage=row["escalation_stage"],
            escalate_at=_when(row["escalate_at"]),
            cancel_reason=row["cancel_reason"],
            check_minutes=row["check_minutes"],
            next_check_at=_when(row["next_check_at"]),
            return_started_at=_when(row["return_started_at"]),
            return_stage=row["return_stage"],
            return_done_at=_when(row["return_done_at"]),
            quotas=json.loads(row["quotas"]),
            slots=json.loads(row["slots"]),
            parts=json.loads(row["parts"]),
            last_update_at=_when(row["last_update_at"]),
            escalation_muted=bool(row["escalation_muted"]),
        )


@dataclass
class PagedPerson:
    """A response row with what the board and the notices need about the person."""

    volunteer_id: int
    name: str
    phone: str
    team_code: str
    telegram_id: int | None
    language: str | None
    state: State
    eta_minutes: int | None
    reason: str | None
    chat_id: int | None
    message_id: int | None
    answered_at: datetime | None
    confirmed_at: datetime | None
    on_scene_at: datetime | None = None
    home_safe_at: datetime | None = None
    need_help_at: datetime | None = None
    recorded_by: int | None = None
    position: GeoPoint | None = None
    position_at: datetime | None = None
    slot_skills: frozenset[str] = frozenset()

    @classmethod
    def from_row(cls, row: RowLike) -> PagedPerson:
        """A response row joined with its volunteer (`slot_skills` only if selected)."""
        return cls(
            volunteer_id=row["volunteer_id"],
            name=row["name"],
            phone=row["phone"],
            team_code=row["team_code"],
            telegram_id=row["telegram_id"],
            language=row["language"],
            state=State(row["state"]),
            eta_minutes=row["eta_minutes"],
            reason=row["reason"],
            chat_id=row["chat_id"],
            message_id=row["message_id"],
            answered_at=_when(row["answered_at"]),
            confirmed_at=_when(row["confirmed_at"]),
            on_scene_at=_when(row["on_scene_at"]),
            home_safe_at=_when(row["home_safe_at"]),
            need_help_at=_when(row["need_help_at"]),
            recorded_by=row["recorded_by"],
            position=(
                GeoPoint(float(row["pos_lat"]), float(row["pos_lon"]))
                if row["pos_lat"] is not None and row["pos_lon"] is not None
                else None
            ),
            position_at=_when(row["position_at"]),
            slot_skills=(
                frozenset(json.loads(row["slot_skills"]))
                if "slot_skills" in row.keys()  # noqa: SIM118 (`in` on a Row looks at values)
                else frozenset()
            ),
        )

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.volunteer_id, self.team_code, self.slot_skills)

    @property
    def participant(self) -> bool:
        """Confirmed, or on scene (a standby volunteer who turned up anyway)."""
        return self.state is State.AVAILABLE or self.on_scene_at is not None


@dataclass
class LeftOut:
    volunteer_id: int
    name: str
    phone: str
    team_code: str
    reason: str
    detail: str


@dataclass
class Mission:
    id: int
    callout_id: int | None
    type: str
    teams: tuple[str, ...]
    started_at: datetime
    ended_at: datetime
    location: str
    rescued: int
    notes: str
    participants: dict[int, float]
    outcome: str = ""


@dataclass
class Draft:
    id: int
    telegram_id: int
    step: str
    data: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class NewCallout:
    """A callout as `/callout` records it, before anyone is paged."""

    request: CalloutRequest
    teams: tuple[str, ...]
    require_fitness: bool
    point: GeoPoint | None
    called_by: int
    now: datetime
    escalate_at: datetime | None
    quotas: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Pages:
    """Who is paged (each one's language, the skill slot they fill) and who was left out."""

    paged: list[Volunteer]
    languages: dict[int, str]
    left_out: list[Exclusion]
    slot_skills: dict[int, list[str]] = field(default_factory=dict)
