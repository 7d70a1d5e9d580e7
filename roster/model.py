"""Volunteers, their skills and who may do what — plain Python, no storage, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    DEPUTY = "deputy"
    LEADER = "leader"


@dataclass(frozen=True)
class SkillHolding:
    code: str
    certified_on: date | None = None
    expires_on: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day


@dataclass
class Volunteer:
    id: int
    team_code: str
    name: str
    phone: str
    role: Role = Role.MEMBER
    telegram_id: int | None = None
    language: str | None = None
    active: bool = True
    away_until: date | None = None
    skills: list[SkillHolding] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return self.telegram_id is not None

    @property
    def leads_team(self) -> bool:
        """Leaders and deputies both run their team's callouts and records."""
        return self.role in (Role.LEADER, Role.DEPUTY)

    def away_on(self, day: date) -> bool:
        return self.away_until is not None and self.away_until >= day

    def skill(self, code: str) -> SkillHolding | None:
        return next((s for s in self.skills if s.code == code), None)


@dataclass(frozen=True)
class Actor:
    """Whoever sent an update: maybe a volunteer, maybe a coordinator, maybe both or neither."""

    telegram_id: int
    language: str
    volunteer: Volunteer | None = None
    coordinator: bool = False

    @property
    def known(self) -> bool:
        return self.coordinator or self.volunteer is not None

    @property
    def role_name(self) -> str:
        if self.coordinator:
            return "coordinator"
        if self.volunteer is not None:
            return self.volunteer.role.value
        return "unknown"

    @property
    def team_code(self) -> str | None:
        return self.volunteer.team_code if self.volunteer else None

    def leads(self, team_code: str) -> bool:
        """May manage this team: its leader/deputy, or any coordinator."""
        if self.coordinator:
            return True
        v = self.volunteer
        return v is not None and v.leads_team and v.team_code == team_code

    @property
    def is_leader_or_coordinator(self) -> bool:
        return self.coordinator or (self.volunteer is not None and self.volunteer.leads_team)

    def may_see_personal_data(self, team_code: str, private_chat: bool) -> bool:
        """Phones and personal data: only privately, only to the team's leaders or coordinators."""
        return private_chat and self.leads(team_code)


def looks_like_team_code(text: str) -> bool:
    """`SD`, `HR`, `330`: short and upper case, no option. A coordinator's `/fitness SD` asks
    for a team's status, where `/fitness 张伟 …` records a test."""
    return "=" not in text and len(text) <= 4 and text.upper() == text
