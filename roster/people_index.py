"""Finding the roster entry an import row means: by phone, else by name (and team).

Shared by the training, fitness and insurance imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from common.errors import DomainError
from common.tabular import Row
from roster.model import Volunteer
from roster.phones import normalise_phone
from roster.taxonomy import Team


class RosterReads(Protocol):
    """What the index reads: `RosterService` or `RosterRepository` (no storage here)."""

    async def all_volunteers(self) -> list[Volunteer]: ...

    async def teams(self) -> list[Team]: ...


@dataclass
class PeopleIndex:
    by_phone: dict[str, Volunteer]
    by_name: dict[str, list[Volunteer]]
    teams: list[Team]

    @classmethod
    async def load(cls, roster: RosterReads) -> PeopleIndex:
        people = await roster.all_volunteers()
        by_name: dict[str, list[Volunteer]] = {}
        for v in people:
            by_name.setdefault(v.name, []).append(v)
        return cls({v.phone: v for v in people}, by_name, await roster.teams())

    def team(self, text: str) -> Team:
        wanted = text.strip()
        for team in self.teams:
            if wanted.upper() == team.code.upper() or wanted == team.name:
                return team
        raise DomainError(
            "error.unknown_team", value=wanted, teams=", ".join(t.code for t in self.teams)
        )

    def find(self, row: Row) -> Volunteer:
        """The person of a row: its phone wins; otherwise its name, narrowed by its team."""
        phone_text = row.text("phone")
        if phone_text:
            phone = normalise_phone(row.values.get("phone"))
            found = self.by_phone.get(phone)
            if found is None:
                raise DomainError("records.unknown_phone", phone=phone_text)
            return found
        name = row.text("name")
        if not name:
            raise DomainError("records.no_person")
        candidates = self.by_name.get(name, [])
        team_text = row.text("team")
        if team_text:
            team = self.team(team_text)
            candidates = [v for v in candidates if v.team_code == team.code]
        if not candidates:
            raise DomainError("records.unknown_name", name=name)
        if len(candidates) > 1:
            raise DomainError("records.ambiguous_name", name=name)
        return candidates[0]
