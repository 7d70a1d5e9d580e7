"""What handlers, the CLI and the demo ask of the roster: the team a command is about, the
person it names (with the asker's right to act on them), a skill by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.errors import DomainError, NotAllowed
from roster.model import Actor, Volunteer
from roster.repository import PeopleRecords, RosterRepository
from roster.taxonomy import SKILL_ALIASES, SkillKind, Team
from storage.db import Database
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RosterView:
    """A team's list as its leaders and coordinators see it."""

    team: Team
    members: list[Volunteer]
    show_phones: bool


class RosterService:
    def __init__(self, db: Database, repository: RosterRepository | None = None) -> None:
        self.db = db
        self.repository = repository or RosterRepository(db)

    async def team_for(self, actor: Actor, text: str | None, usage_key: str) -> Team:
        """The team a command is about: the one named, or the asker's own (`usage_key` when
        they have none); only its leaders and coordinators may act on it."""
        if text:
            team = await self.repository.find_team(text)
        elif actor.team_code is None:
            raise NotAllowed(usage_key)  # as a refusal, like the permission checks
        else:
            team = await self.repository.find_team(actor.team_code)
        if not actor.leads(team.code):
            raise NotAllowed("records.team_only", team=team.code)
        return team

    async def person_for(self, actor: Actor, query: str) -> Volunteer:
        """The one person `query` names (phone or name), among those the asker may record for:
        a leader's own team, everyone for a coordinator."""
        scope = None if actor.coordinator else actor.team_code
        volunteer = await self.repository.find_one(query, scope)
        if not actor.leads(volunteer.team_code):
            raise NotAllowed("records.team_only", team=volunteer.team_code)
        return volunteer

    async def actor(self, telegram_id: int, telegram_language: str | None, default: str) -> Actor:
        """Who is asking, with their rights and language (their /lang choice, else
        Telegram's, else `default`)."""
        return await self.repository.actor(telegram_id, telegram_language, default)

    async def language_of(self, telegram_id: int) -> str | None:
        """The language this person chose with /lang, if any."""
        return await self.repository.language_of(telegram_id)

    async def is_known(self, telegram_id: int) -> bool:
        """On the roster or a coordinator (whose refusals are worth auditing)."""
        repo = self.repository
        return await repo.by_telegram(telegram_id) is not None or await repo.is_coordinator(
            telegram_id
        )

    async def link_by_contact(self, telegram_id: int, phone_e164: str) -> Volunteer:
        """`/start` with a shared contact: the roster entry with this phone, linked to the
        account; refused when nobody has the phone or another account holds the entry."""
        volunteer = await self.repository.by_phone(phone_e164)
        if volunteer is None:
            raise DomainError("start.phone_unknown")
        if volunteer.telegram_id not in (None, telegram_id):
            # Someone else already holds this roster entry: a leader must sort it out.
            raise DomainError("start.already_linked")
        await self.repository.link_telegram(volunteer.id, telegram_id, via="contact")
        return volunteer

    async def invite(self, actor: Actor, query: str) -> tuple[Volunteer, str]:
        """`/invite NAME`: a one-time code linking the account that uses it to that person
        (a leader's own team; anyone for a coordinator)."""
        scope = None if actor.coordinator else actor.team_code
        person = await self.repository.find_one(query, scope)
        return person, await self.repository.create_invite(person.id, actor.telegram_id)

    async def set_language(self, telegram_id: int, language: str) -> None:
        """`/lang`: this person's own choice, which wins over Telegram's and the default."""
        await self.repository.set_language(telegram_id, language)

    async def consume_invite(self, code: str, telegram_id: int) -> Volunteer:
        """Link the account to the invite's roster entry; a code works once."""
        return await self.repository.consume_invite(code, telegram_id)

    async def set_away(self, volunteer_id: int, until: date | None, actor: int) -> None:
        """`/away` and `/back`: not paged until `until` (None: back now); audited."""
        await self.repository.set_away(volunteer_id, until, actor)

    async def teams(self) -> list[Team]:
        return await self.repository.teams()

    async def skill_kinds(self) -> list[SkillKind]:
        return await self.repository.skill_kinds()

    async def find_team(self, text: str) -> Team:
        """A team by code or name, whoever asks (the command line)."""
        return await self.repository.find_team(text)

    async def seed_reference_data(self) -> None:
        """The teams and default skills every database starts with; safe to run again."""
        await self.repository.seed_reference_data()

    async def grant_coordinator(self, telegram_id: int, name: str) -> None:
        await self.repository.grant_coordinator(telegram_id, name)

    async def revoke_coordinator(self, telegram_id: int) -> bool:
        """False when `telegram_id` was no coordinator."""
        return await self.repository.revoke_coordinator(telegram_id)

    async def roster_view(self, actor: Actor, text: str | None, private_chat: bool) -> RosterView:
        """`/roster [team]`: everyone of the team, active or not; phone numbers only for
        whoever may see them there (a private chat with a leader of it or a coordinator)."""
        if text:
            team = await self.repository.find_team(text)
        elif actor.team_code is None:
            raise NotAllowed("roster.usage")
        else:
            team = await self.repository.find_team(actor.team_code)
        if not actor.leads(team.code):
            raise NotAllowed("roster.other_team", team=team.code)
        members = await self.repository.team_members(team.code)
        return RosterView(team, members, actor.may_see_personal_data(team.code, private_chat))

    async def team_members(self, team_code: str) -> list[Volunteer]:
        """A team's active members (what coverage, training and fitness views list)."""
        return await self.repository.team_members(team_code, active_only=True)

    async def all_volunteers(self) -> list[Volunteer]:
        """Everyone on the roster, active or not (exports, the reminder plan)."""
        return await self.repository.all_volunteers()

    async def skill_kind(self, text: str) -> SkillKind:
        """A skill by code, alias or either label, or a refusal listing the known codes."""
        kinds = await self.repository.skill_kinds()
        wanted = SKILL_ALIASES.get(text.lower(), text.lower())
        for kind in kinds:
            if wanted in (kind.code, kind.label_zh, kind.label_en.lower()):
                return kind
        raise DomainError(
            "error.unknown_skill", value=text, skills=", ".join(k.code for k in kinds)
        )


async def birth_date(uow: UnitOfWork, volunteer_id: int) -> date | None:
    """A person's birth date, read inside the caller's unit of work."""
    return await uow.repo(PeopleRecords).birth_date(volunteer_id)


async def birth_dates(uow: UnitOfWork) -> dict[int, date | None]:
    return await uow.repo(PeopleRecords).birth_dates()


async def set_certificate(
    uow: UnitOfWork,
    volunteer_id: int,
    skill_code: str,
    certified_on: date | None,
    expires_on: date | None,
) -> None:
    """Record a certificate inside the caller's unit of work (its audit is the caller's)."""
    await uow.repo(PeopleRecords).set_certificate(
        volunteer_id, skill_code, certified_on, expires_on
    )
