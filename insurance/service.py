"""Insurance as the chat, the CLI and reports ask for it: each team's coverage on a day,
and one person's policies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from insurance.model import Policy, TeamCoverage, team_coverage
from insurance.repository import InsuranceRepository
from roster.service import RosterService
from roster.taxonomy import Team
from storage.db import Database


@dataclass(frozen=True)
class TeamInsurance:
    team: Team
    coverage: TeamCoverage
    # Phone numbers by name, for readers allowed to see them (the caller decides).
    phones: dict[str, str]


class InsuranceService:
    def __init__(self, db: Database, roster: RosterService | None = None) -> None:
        self.db = db
        self.roster = roster or RosterService(db)
        self.repository = InsuranceRepository(db)

    async def coverage(self, teams: list[Team], day: date) -> list[TeamInsurance]:
        """Each team's active members grouped by insurance state on `day`."""
        result = []
        for team in teams:
            members = await self.roster.team_members(team.code)
            policies = await self.repository.policies_by_volunteer(v.id for v in members)
            coverage = team_coverage(
                team.code, ((v.name, policies.get(v.id, [])) for v in members), day
            )
            result.append(TeamInsurance(team, coverage, {v.name: v.phone for v in members}))
        return result

    async def policies_of(self, volunteer_id: int) -> list[Policy]:
        return await self.repository.policies_of(volunteer_id)
