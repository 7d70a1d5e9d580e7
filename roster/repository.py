"""Roster storage: teams, volunteers, skills, coordinators, languages, invites."""

from __future__ import annotations

import secrets
from datetime import date

from common.dates import parse_optional_date
from common.errors import DomainError
from roster.model import Actor, Role, SkillHolding, Volunteer
from roster.taxonomy import SKILLS, TEAMS, SkillKind, Team
from storage.db import Database, Row, utcnow_iso
from storage.unit_of_work import Transaction, UnitOfWork


def volunteer_from_row(row: Row, skills: list[SkillHolding] | None = None) -> Volunteer:
    return Volunteer(
        id=row["id"],
        team_code=row["team_code"],
        name=row["name"],
        phone=row["phone"],
        role=Role(row["role"]),
        telegram_id=row["telegram_id"],
        language=row["language"],
        active=bool(row["active"]),
        away_until=parse_optional_date(row["away_until"]),
        skills=skills or [],
    )


class RosterRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._telegram_languages: dict[int, str] = {}  # written only when one changes

    # --- reference data -------------------------------------------------
    async def seed_reference_data(self) -> None:
        """The six teams and the default skills; safe to run again."""
        async with UnitOfWork(self.db) as uow:
            for team in TEAMS:
                await uow.tx.execute(
                    "INSERT INTO teams (code, name, focus) VALUES (?,?,?) "
                    "ON CONFLICT(code) DO NOTHING",
                    (team.code, team.name, team.focus),
                )
            for skill in SKILLS:
                await uow.tx.execute(
                    "INSERT INTO skills (code, label_zh, label_en, validity_years) "
                    "VALUES (?,?,?,?) ON CONFLICT(code) DO NOTHING",
                    (skill.code, skill.label_zh, skill.label_en, skill.validity_years),
                )

    async def teams(self) -> list[Team]:
        rows = await self.db.fetchall("SELECT code, name, focus FROM teams ORDER BY rowid")
        return [Team(r["code"], r["name"], r["focus"]) for r in rows]

    async def skill_kinds(self) -> list[SkillKind]:
        rows = await self.db.fetchall(
            "SELECT code, label_zh, label_en, validity_years FROM skills ORDER BY rowid"
        )
        return [SkillKind(r[0], r[1], r[2], r[3]) for r in rows]

    async def find_team(self, text: str) -> Team:
        """A team by code (any case) or by its full name."""
        wanted = text.strip()
        for team in await self.teams():
            if wanted.upper() == team.code.upper() or wanted == team.name:
                return team
        raise DomainError(
            "error.unknown_team", value=wanted, teams=", ".join(t.code for t in await self.teams())
        )

    # --- volunteers -----------------------------------------------------
    async def _skills_for(self, ids: list[int]) -> dict[int, list[SkillHolding]]:
        if not ids:
            return {}
        result: dict[int, list[SkillHolding]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(
            f"SELECT volunteer_id, skill_code, certified_on, expires_on FROM volunteer_skills "
            f"WHERE volunteer_id IN ({marks}) ORDER BY skill_code",
            ids,
        )
        for r in rows:
            result[r[0]].append(
                SkillHolding(r[1], parse_optional_date(r[2]), parse_optional_date(r[3]))
            )
        return result

    async def _load(self, where: str, params: tuple[object, ...]) -> list[Volunteer]:
        rows = await self.db.fetchall(f"SELECT * FROM volunteers WHERE {where} ORDER BY id", params)
        skills = await self._skills_for([r["id"] for r in rows])
        return [volunteer_from_row(r, skills.get(r["id"])) for r in rows]

    async def by_id(self, volunteer_id: int) -> Volunteer | None:
        found = await self._load("id = ?", (volunteer_id,))
        return found[0] if found else None

    async def by_telegram(self, telegram_id: int) -> Volunteer | None:
        found = await self._load("telegram_id = ?", (telegram_id,))
        return found[0] if found else None

    async def by_phone(self, phone_e164: str) -> Volunteer | None:
        found = await self._load("phone = ?", (phone_e164,))
        return found[0] if found else None

    async def team_members(self, team_code: str, *, active_only: bool = False) -> list[Volunteer]:
        where = "team_code = ?" + (" AND active = 1" if active_only else "")
        return await self._load(where, (team_code,))

    async def all_volunteers(self) -> list[Volunteer]:
        return await self._load("1 = 1", ())

    async def search(self, text: str, team_code: str | None = None) -> list[Volunteer]:
        """By exact phone (any format) or by name (exact first, then substring)."""
        from roster.phones import normalise_phone

        scope = " AND team_code = ?" if team_code else ""
        extra: tuple[object, ...] = (team_code,) if team_code else ()
        try:
            phone = normalise_phone(text)
        except DomainError:
            phone = None
        if phone:
            found = await self._load("phone = ?" + scope, (phone, *extra))
            if found:
                return found
        exact = await self._load("name = ?" + scope, (text.strip(), *extra))
        if exact:
            return exact
        return await self._load("name LIKE ?" + scope, (f"%{text.strip()}%", *extra))

    async def find_one(self, query: str, team_code: str | None = None) -> Volunteer:
        """Exactly one person by phone or name (within a team if given), or a clear refusal."""
        found = await self.search(query, team_code)
        if not found:
            raise DomainError("person.not_found", query=query)
        if len(found) > 1:
            names = ", ".join(f"{v.name} ({v.team_code})" for v in found[:10])
            raise DomainError("person.ambiguous", query=query, names=names)
        return found[0]

    async def leaders_of(self, team_code: str) -> list[Volunteer]:
        return await self._load(
            "team_code = ? AND role IN ('leader','deputy') AND active = 1", (team_code,)
        )

    async def link_telegram(self, volunteer_id: int, telegram_id: int, *, via: str) -> None:
        async with UnitOfWork(self.db) as uow:
            # One Telegram account is one person: unlink it from any earlier entry.
            await uow.tx.execute(
                "UPDATE volunteers SET telegram_id = NULL, updated_at = ? WHERE telegram_id = ?",
                (utcnow_iso(), telegram_id),
            )
            await uow.tx.execute(
                "UPDATE volunteers SET telegram_id = ?, updated_at = ? WHERE id = ?",
                (telegram_id, utcnow_iso(), volunteer_id),
            )
            await uow.audit(telegram_id, "link", volunteer_id=volunteer_id, via=via)

    async def set_away(self, volunteer_id: int, until: date | None, actor: int) -> None:
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "UPDATE volunteers SET away_until = ?, updated_at = ? WHERE id = ?",
                (until.isoformat() if until else None, utcnow_iso(), volunteer_id),
            )
            await uow.audit(actor, "away", volunteer_id=volunteer_id, until=str(until))

    # --- coordinators and languages -----------------------------------------
    async def is_coordinator(self, telegram_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM coordinators WHERE telegram_id = ?", (telegram_id,)
        )
        return row is not None

    async def coordinator_ids(self) -> list[int]:
        rows = await self.db.fetchall("SELECT telegram_id FROM coordinators ORDER BY telegram_id")
        return [int(r[0]) for r in rows]

    async def grant_coordinator(self, telegram_id: int, name: str = "") -> None:
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT INTO coordinators (telegram_id, name, granted_at) VALUES (?,?,?) "
                "ON CONFLICT(telegram_id) DO UPDATE SET name = excluded.name",
                (telegram_id, name, utcnow_iso()),
            )
            await uow.audit(None, "grant_coordinator", telegram_id=telegram_id)

    async def revoke_coordinator(self, telegram_id: int) -> bool:
        async with UnitOfWork(self.db) as uow:
            written = await uow.tx.execute(
                "DELETE FROM coordinators WHERE telegram_id = ?", (telegram_id,)
            )
            await uow.audit(None, "revoke_coordinator", telegram_id=telegram_id)
            return written.rowcount > 0

    async def language_of(self, telegram_id: int) -> str | None:
        row = await self.db.fetchone(
            "SELECT language FROM user_languages WHERE telegram_id = ?", (telegram_id,)
        )
        return str(row[0]) if row else None

    async def set_language(self, telegram_id: int, language: str) -> None:
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT INTO user_languages (telegram_id, language) VALUES (?,?) "
                "ON CONFLICT(telegram_id) DO UPDATE SET language = excluded.language",
                (telegram_id, language),
            )
            await uow.tx.execute(
                "UPDATE volunteers SET language = ? WHERE telegram_id = ?", (language, telegram_id)
            )

    async def actor(self, telegram_id: int, telegram_language: str | None, default: str) -> Actor:
        """Who is this? Language: the person's /lang choice, else Telegram's, else the default."""
        from i18n.catalogue import normalise_lang

        volunteer = await self.by_telegram(telegram_id)
        chosen = await self.language_of(telegram_id)
        seen = await self._telegram_language(telegram_id, telegram_language)
        language = chosen or seen or normalise_lang(None, default=default)  # type: ignore[arg-type]
        return Actor(
            telegram_id=telegram_id,
            language=language,
            volunteer=volunteer,
            coordinator=await self.is_coordinator(telegram_id),
        )

    async def _telegram_language(self, telegram_id: int, code: str | None) -> str | None:
        """Telegram's language for this person: from this update if it says, else as
        remembered from an earlier one (messages the bot starts carry no language)."""
        low = (code or "").lower()
        language = "zh" if low.startswith("zh") else "en" if low.startswith("en") else None
        if language is not None:
            if self._telegram_languages.get(telegram_id) != language:
                await self.db.execute(
                    "INSERT INTO telegram_languages (telegram_id, language) VALUES (?,?) "
                    "ON CONFLICT(telegram_id) DO UPDATE SET language = excluded.language",
                    (telegram_id, language),
                )
                self._telegram_languages[telegram_id] = language
            return language
        if code:  # a language we do not speak: the default, not an older guess
            return None
        row = await self.db.fetchone(
            "SELECT language FROM telegram_languages WHERE telegram_id = ?", (telegram_id,)
        )
        return str(row[0]) if row else None

    # --- invites ------------------------------------------------------------
    async def create_invite(self, volunteer_id: int, created_by: int) -> str:
        code = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
        async with UnitOfWork(self.db) as uow:
            await uow.tx.execute(
                "INSERT INTO invites (code, volunteer_id, created_by, created_at) VALUES (?,?,?,?)",
                (code, volunteer_id, created_by, utcnow_iso()),
            )
            await uow.audit(created_by, "invite", volunteer_id=volunteer_id)
        return code

    async def consume_invite(self, code: str, telegram_id: int) -> Volunteer:
        """Link the account to the invite's roster entry; a code works once."""
        async with UnitOfWork(self.db) as uow:
            row = await uow.tx.fetchone(
                "SELECT volunteer_id, used_by FROM invites WHERE code = ?", (code,)
            )
            if row is None:
                raise DomainError("error.invite_unknown")
            if row[1] is not None:
                raise DomainError("error.invite_used")
            await uow.tx.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ?",
                (telegram_id, utcnow_iso(), code),
            )
            await uow.tx.execute(
                "UPDATE volunteers SET telegram_id = NULL WHERE telegram_id = ?", (telegram_id,)
            )
            await uow.tx.execute(
                "UPDATE volunteers SET telegram_id = ?, updated_at = ? WHERE id = ?",
                (telegram_id, utcnow_iso(), row[0]),
            )
            await uow.audit(telegram_id, "link", volunteer_id=row[0], via="invite")
        volunteer = await self.by_id(int(row[0]))
        assert volunteer is not None
        return volunteer


class PeopleRecords:
    """The roster's rows that a unit of work reads and writes (bound to its transaction)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add_demo_person(
        self,
        person: tuple[object, ...],
        skills: list[tuple[str, str, str | None]],
        policies: list[tuple[str, str, float, str, str]],
    ) -> int:
        """A demo person: (team, name, phone, role, telegram id, active, away until, birth
        date, created, updated), their (skill, certified, expires) and (insurer, number,
        coverage, start, end). No audit entry: demo data is nobody's act."""
        written = await self.tx.execute(
            "INSERT INTO volunteers (team_code, name, phone, role, telegram_id, active, "
            "away_until, birth_date, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            person,
        )
        volunteer_id = written.lastrowid
        await self.tx.executemany(
            "INSERT INTO volunteer_skills (volunteer_id, skill_code, certified_on, expires_on) "
            "VALUES (?,?,?,?)",
            [(volunteer_id, *skill) for skill in skills],
        )
        await self.tx.executemany(
            "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, "
            "start_date, end_date) VALUES (?,?,?,?,?,?)",
            [(volunteer_id, *policy) for policy in policies],
        )
        return volunteer_id

    async def birth_date(self, volunteer_id: int) -> date | None:
        row = await self.tx.fetchone(
            "SELECT birth_date FROM volunteers WHERE id = ?", (volunteer_id,)
        )
        return parse_optional_date(row[0]) if row else None

    async def birth_dates(self) -> dict[int, date | None]:
        rows = await self.tx.fetchall("SELECT id, birth_date FROM volunteers")
        return {int(r[0]): parse_optional_date(r[1]) for r in rows}

    async def skill_validity(self, skill_code: str) -> int | None:
        row = await self.tx.fetchone(
            "SELECT validity_years FROM skills WHERE code = ?", (skill_code,)
        )
        return int(row[0]) if row and row[0] is not None else None

    async def set_certificate(
        self, volunteer_id: int, skill_code: str, certified_on: date | None, expires_on: date | None
    ) -> None:
        """A skill certificate, replacing the person's earlier one of that skill."""
        await self.tx.execute(
            "INSERT INTO volunteer_skills (volunteer_id, skill_code, certified_on, expires_on) "
            "VALUES (?,?,?,?) ON CONFLICT(volunteer_id, skill_code) DO UPDATE SET "
            "certified_on = excluded.certified_on, expires_on = excluded.expires_on",
            (
                volunteer_id,
                skill_code,
                certified_on.isoformat() if certified_on else None,
                expires_on.isoformat() if expires_on else None,
            ),
        )
