"""A redraw reads only the first names of each waiting group, and draws the same board as
one that reads every response."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.board import LEADER, seed
from common.clock import FakeClock, iso
from missions import render
from missions.board_repository import BoardRepository
from missions.busy_repository import BusyRepository
from missions.incident_repository import IncidentRepository
from missions.model import State
from missions.service import CalloutConfig, CalloutService
from roster.repository import RosterRepository
from storage.db import Database
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def board_from_every_row(service: CalloutService, callout_id: int, lang: str) -> str:
    """The board as drawn before: every response and every left-out person read."""
    repo = service.repo
    callout = await repo.get(callout_id)
    assert callout is not None
    people = await repo.people(callout_id)
    waiting = [
        p.volunteer_id
        for p in people
        if p.state in (State.PAGED, State.NO_REPLY, State.STANDBY) and p.on_scene_at is None
    ]
    return render.board_text(
        callout,
        people,
        await repo.left_out(callout_id),
        lang,
        labels=await service.skill_labels(lang),
        show_phone=lambda _team: True,
        tz=service.config.tz,
        overdue=await IncidentRepository(service.db).overdue_ids(callout_id),
        busy=await BusyRepository(service.db).elsewhere(callout_id, waiting),
    )


async def a_busy_night(db: Database, responses: int) -> None:
    """The benchmark's callout, plus what makes boards tricky: people confirmed on another
    open callout, a standby volunteer on scene, unreachable for several reasons, no-replies."""
    await seed(db, responses, NOW, random.Random(7))
    async with UnitOfWork(db) as uow:
        await uow.tx.execute(
            "INSERT INTO callouts (id, type, teams, skills, needed, location, description, "
            "require_fitness, called_by, status, created_at) VALUES (2, 'flood', '[\"SD\"]', "
            "'[]', 5, '城东', '', 0, ?, 'open', ?)",
            (LEADER, iso(NOW)),
        )
        waiting = await uow.tx.fetchall(
            "SELECT volunteer_id FROM responses WHERE callout_id = 1 AND state IN "
            "('paged','standby') ORDER BY volunteer_id DESC LIMIT 7"
        )
        for (vid,) in waiting:
            await uow.tx.execute(
                "INSERT INTO responses (callout_id, volunteer_id, state, paged_at) "
                "VALUES (2, ?, 'available', ?)",
                (vid, iso(NOW)),
            )
        await uow.tx.execute(
            "UPDATE responses SET on_scene_at = ? WHERE callout_id = 1 AND volunteer_id IN "
            "(SELECT volunteer_id FROM responses WHERE callout_id = 1 AND state = 'standby' "
            "ORDER BY volunteer_id LIMIT 2)",
            (iso(NOW - timedelta(minutes=5)),),
        )
        await uow.tx.execute(
            "UPDATE responses SET state = 'undeliverable', reason = 'chat_not_found' "
            "WHERE callout_id = 1 AND volunteer_id % 97 = 0 AND state = 'paged'"
        )
        await uow.tx.execute(
            "UPDATE responses SET state = 'no_reply' WHERE callout_id = 1 AND "
            "volunteer_id % 5 = 0 AND state = 'paged'"
        )


@pytest.mark.parametrize(("responses", "lang"), [(40, "zh"), (400, "en"), (1500, "zh")])
async def test_a_redraw_from_the_first_names_draws_the_same_board_as_from_every_row(
    db: Database, responses: int, lang: str
) -> None:
    await a_busy_night(db, responses)
    config = CalloutConfig(language="zh", escalate_minutes=10, tz=NOW.tzinfo, mission_target=59)  # type: ignore[arg-type]
    service = CalloutService(db, RosterRepository(db), None, FakeClock(NOW), config)  # type: ignore[arg-type]
    viewer = await service.actor(LEADER)
    viewer = type(viewer)(**{**viewer.__dict__, "language": lang})  # type: ignore[arg-type]
    drawn = await service.board_text(1, viewer)
    assert drawn == await board_from_every_row(service, 1, lang)
    assert "#2" in drawn  # the people confirmed elsewhere are shown as such


async def test_a_redraw_reads_a_few_rows_of_each_waiting_group_with_their_counts(
    db: Database,
) -> None:
    await a_busy_night(db, 1500)
    rows = await BoardRepository(db).rows(1, 25)
    waiting = [p for p in rows.people if p.state is State.PAGED]
    assert len(waiting) <= 25 + 7  # the first 25, and those busy elsewhere in full
    assert rows.totals["no_reply"] > 500
    assert len(rows.busy) == 7
    assert len(rows.left_out) == 50  # 10 of each of 5 reasons, all under the cap
