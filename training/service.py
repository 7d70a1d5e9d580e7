"""Training records as handlers, the CLI and imports ask for them: a fitness result, a
training session, a certificate. Each finds the person, checks the asker may record for
them, refuses dates after today, and writes with its audit entry in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.errors import DomainError
from common.past_dates import not_in_future
from roster import service as roster_service
from roster.model import Actor, Volunteer
from roster.service import RosterService
from roster.taxonomy import SkillKind, Team
from storage.db import Database
from storage.unit_of_work import UnitOfWork
from training.certificates import certificate_expiry
from training.fitness import FitnessResult, Standards, age_on, default_standards, evaluate
from training.model import TrainingSession, parse_title
from training.repository import (
    FitnessRecords,
    FitnessRepository,
    SessionRecords,
    TrainingRepository,
)


@dataclass(frozen=True)
class FitnessRecorded:
    volunteer: Volunteer
    day: date
    result: FitnessResult
    age: int | None


@dataclass(frozen=True)
class TeamYear:
    """A team's training year: its sessions, and hours per active member (any team's
    sessions count)."""

    team: Team
    sessions: list[TrainingSession]
    members: list[Volunteer]
    hours: dict[int, float]


@dataclass(frozen=True)
class TeamYearSummary:
    team: Team
    sessions: list[TrainingSession]
    people: int  # how many of the team's members trained (at any team's sessions)


@dataclass(frozen=True)
class FitnessStanding:
    """A person's fitness record as /me tells it: the last pass, and the latest test."""

    last_pass: date | None
    latest: date | None
    latest_passed: bool

    @property
    def failed_since_last_pass(self) -> bool:
        """The latest test failed and came after the last pass (or there was none)."""
        return (
            self.latest is not None
            and not self.latest_passed
            and self.latest > (self.last_pass or date.min)
        )


@dataclass(frozen=True)
class CertificateRecorded:
    volunteer: Volunteer
    skill: SkillKind
    certified_on: date
    expires_on: date | None


async def merge_fitness(
    uow: UnitOfWork,
    standards: Standards,
    volunteer_id: int,
    day: date,
    values: dict[str, float],
    birth: date | None,
) -> tuple[FitnessResult, str]:
    """Add `values` to what that person's test of `day` already holds, evaluate the whole
    and save it: several messages or sheets of one test day make one test. Read and written
    in the caller's unit of work, so two entries at once cannot lose each other's items.
    Returns the result and 'created', 'updated' or 'unchanged'."""
    fitness = uow.repo(FitnessRecords)
    merged = {**await fitness.results_on(volunteer_id, day), **values}
    result = evaluate(standards, merged, age_on(birth, day))
    return result, await fitness.save(volunteer_id, day, result)


class TrainingService:
    def __init__(
        self, db: Database, roster: RosterService | None = None, standards: Standards | None = None
    ) -> None:
        self.db = db
        self.roster = roster or RosterService(db)
        self.standards = standards or default_standards()

    async def team_year(self, team: Team, year: int) -> TeamYear:
        repository = TrainingRepository(self.db)
        return TeamYear(
            team,
            await repository.sessions(team.code, year),
            await self.roster.team_members(team.code),
            await repository.hours_by_volunteer(team.code, year),
        )

    async def overview(self, year: int) -> list[TeamYearSummary]:
        repository = TrainingRepository(self.db)
        return [
            TeamYearSummary(
                team,
                await repository.sessions(team.code, year),
                len(await repository.hours_by_volunteer(team.code, year)),
            )
            for team in await self.roster.teams()
        ]

    async def hours_of(self, volunteer_id: int, year: int) -> tuple[float, int]:
        """A person's training hours and sessions in `year`."""
        return await TrainingRepository(self.db).hours_of(volunteer_id, year)

    async def session(self, session_id: int) -> TrainingSession | None:
        return await TrainingRepository(self.db).session(session_id)

    async def attendees(self, session_id: int) -> set[int]:
        return await TrainingRepository(self.db).attendees(session_id)

    async def toggle_attendee(self, session_id: int, volunteer_id: int, actor: int) -> bool:
        """Flip one attendee (audited); returns whether they are now marked present."""
        return await TrainingRepository(self.db).toggle(session_id, volunteer_id, actor)

    async def fitness_standing(self, volunteer_id: int) -> FitnessStanding:
        repository = FitnessRepository(self.db)
        latest = await repository.latest(volunteer_id)
        return FitnessStanding(
            await repository.last_pass(volunteer_id),
            latest[0] if latest else None,
            bool(latest and latest[1]),
        )

    async def last_passes(self) -> dict[int, date]:
        """Each person's latest passed fitness test (for reminders and readiness)."""
        return await FitnessRepository(self.db).last_passes()

    async def record_fitness(
        self, actor: Actor, query: str, day: date, values: dict[str, float], today: date
    ) -> FitnessRecorded:
        not_in_future(day, today, "future.fitness")
        volunteer = await self.roster.person_for(actor, query)
        async with UnitOfWork(self.db) as uow:
            birth = await roster_service.birth_date(uow, volunteer.id)
            result, _ = await merge_fitness(uow, self.standards, volunteer.id, day, values, birth)
            await uow.audit(
                actor.telegram_id,
                "fitness",
                volunteer_id=volunteer.id,
                date=day.isoformat(),
                passed=result.passed,
            )
        return FitnessRecorded(volunteer, day, result, age_on(birth, day))

    async def record_session(
        self, actor: Actor, team: Team, day: date, hours: float, title: str, today: date
    ) -> int:
        """A session of `team` (which the caller resolved with its permission check)."""
        not_in_future(day, today, "training.future")
        title = parse_title(title)
        async with UnitOfWork(self.db) as uow:
            return await uow.repo(SessionRecords).add(
                team.code, day, title, "other", hours, actor.telegram_id
            )

    async def record_certificate(
        self,
        actor: Actor,
        query: str,
        skill_text: str,
        certified: date,
        expires: date | None,
        today: date,
    ) -> CertificateRecorded:
        """Without an expiry a certificate gets the skill's default validity, which callout
        targeting reads."""
        not_in_future(certified, today, "future.certificate")
        kind = await self.roster.skill_kind(skill_text)
        volunteer = await self.roster.person_for(actor, query)
        expires = expires or certificate_expiry(certified, kind.validity_years)
        if expires is not None and expires < certified:
            raise DomainError(
                "records.end_before_start", start=certified.isoformat(), end=expires.isoformat()
            )
        async with UnitOfWork(self.db) as uow:
            await roster_service.set_certificate(uow, volunteer.id, kind.code, certified, expires)
            await uow.audit(
                actor.telegram_id,
                "certificate",
                volunteer_id=volunteer.id,
                skill=kind.code,
                certified_on=certified.isoformat(),
                expires_on=str(expires),
            )
        return CertificateRecorded(volunteer, kind, certified, expires)
