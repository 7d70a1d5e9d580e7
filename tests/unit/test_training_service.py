"""The training service: fitness results, sessions and certificates as every front end
records them (find the person, check the asker's right, refuse future dates, one unit of
work with its audit entry)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from common.errors import DomainError, NotAllowed
from roster.model import Actor
from roster.repository import RosterRepository
from storage.db import Database
from tests.factories import add_volunteer
from training.fitness_import import import_fitness
from training.importer import import_training
from training.repository import FitnessRepository, TrainingRepository
from training.service import TrainingService

TODAY = date(2026, 6, 1)
LEADER = 500


async def leader(db: Database, team: str = "SD") -> Actor:
    await add_volunteer(db, "队长", team=team, role="leader", telegram_id=LEADER)
    return await RosterRepository(db).actor(LEADER, "zh", "zh")


async def test_two_fitness_messages_of_one_day_at_once_make_one_test_with_both_items(
    db: Database,
) -> None:
    fit = await add_volunteer(db, "张伟")
    actor = await leader(db)
    service = TrainingService(db)
    day = date(2026, 5, 30)
    await asyncio.gather(
        service.record_fitness(actor, "张伟", day, {"run1000": 252, "pullups": 5}, TODAY),
        service.record_fitness(actor, "张伟", day, {"longjump": 2.1, "hike5k20": 3300}, TODAY),
    )
    assert await FitnessRepository(db).last_pass(fit) == day
    rows = await db.fetchall("SELECT action FROM audit_log WHERE action = 'fitness'")
    assert len(rows) == 2


async def test_a_fitness_result_dated_tomorrow_is_refused_and_nothing_is_written(
    db: Database,
) -> None:
    await add_volunteer(db, "张伟")
    actor = await leader(db)
    with pytest.raises(DomainError) as refused:
        await TrainingService(db).record_fitness(
            actor,
            "张伟",
            date(2026, 6, 2),
            {"pullups": 5},
            TODAY,
        )
    assert refused.value.key == "future.fitness"
    assert refused.value.params == {"date": "2026-06-02", "today": "2026-06-01"}
    assert await db.fetchall("SELECT * FROM fitness_tests") == []


async def test_a_leader_cannot_record_fitness_for_another_teams_volunteer(db: Database) -> None:
    await add_volunteer(db, "王芳", team="HR", phone="+8613900000009")
    actor = await leader(db)
    with pytest.raises((NotAllowed, DomainError)):
        await TrainingService(db).record_fitness(
            actor,
            "13900000009",
            date(2026, 5, 30),
            {"pullups": 5},
            TODAY,
        )
    assert await db.fetchall("SELECT * FROM fitness_tests") == []


async def test_a_certificate_dated_after_today_is_refused(db: Database) -> None:
    await add_volunteer(db, "张伟")
    actor = await leader(db)
    with pytest.raises(DomainError) as refused:
        await TrainingService(db).record_certificate(
            actor,
            "张伟",
            "first_aid",
            date(2026, 7, 1),
            None,
            TODAY,
        )
    assert refused.value.key == "future.certificate"
    assert await db.fetchall("SELECT * FROM audit_log WHERE action = 'certificate'") == []


async def test_a_certificate_gets_its_skills_validity_and_an_audit_entry(db: Database) -> None:
    await add_volunteer(db, "张伟")
    actor = await leader(db)
    recorded = await TrainingService(db).record_certificate(
        actor,
        "张伟",
        "first_aid",
        date(2026, 3, 5),
        None,
        TODAY,
    )
    assert recorded.skill.code == "first_aid"
    assert recorded.expires_on is not None and recorded.expires_on > date(2026, 3, 5)
    row = await db.fetchone("SELECT actor FROM audit_log WHERE action = 'certificate'")
    assert row is not None and row[0] == LEADER


async def test_a_training_session_dated_after_today_is_refused(db: Database) -> None:
    actor = await leader(db)
    team = await RosterRepository(db).find_team("SD")
    with pytest.raises(DomainError) as refused:
        await TrainingService(db).record_session(
            actor,
            team,
            date(2026, 6, 2),
            2,
            "绳索",
            TODAY,
        )
    assert refused.value.key == "training.future"
    assert await TrainingRepository(db).sessions("SD", 2026) == []


async def test_a_training_title_longer_than_100_characters_is_refused_with_the_limit(
    db: Database,
) -> None:
    actor = await leader(db)
    team = await RosterRepository(db).find_team("SD")
    service = TrainingService(db)
    with pytest.raises(DomainError) as refused:
        await service.record_session(actor, team, TODAY, 2, "绳" * 101, TODAY)
    assert (refused.value.key, refused.value.params) == (
        "training.title_too_long",
        {"length": 101, "max": 100},
    )
    assert await service.record_session(actor, team, TODAY, 2, "绳" * 100, TODAY) > 0


async def test_a_fitness_file_with_a_future_date_names_the_line_and_writes_nothing(
    db: Database,
) -> None:
    await add_volunteer(db, "张伟", phone="+8613900000001")
    csv = "date,phone,pullups\n2026-05-30,13900000001,5\n2026-06-02,13900000001,6\n"
    report = await import_fitness(
        db, csv.encode(), "f.csv", actor=None, team_scope=None, today=TODAY
    )
    assert [(e.line, e.key) for e in report.errors] == [(3, "future.fitness")]
    assert await db.fetchall("SELECT * FROM fitness_tests") == []


async def test_a_training_file_with_a_future_date_names_the_line_and_writes_nothing(
    db: Database,
) -> None:
    csv = "date,team,title,hours\n2026-05-30,SD,绳索,2\n2026-06-03,SD,水域,3\n"
    report = await import_training(
        db, csv.encode(), "t.csv", actor=None, team_scope=None, today=TODAY
    )
    assert [(e.line, e.key) for e in report.errors] == [(3, "training.future")]
    assert await TrainingRepository(db).sessions("SD", 2026) == []
