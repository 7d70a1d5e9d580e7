"""A team board's redraw reads only its team's first names of each waiting group, and draws
the same board as one that reads every response of the callout."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.board import LEADER, seed
from common.clock import FakeClock, iso
from i18n.catalogue import t
from missions import render
from missions.board_repository import BoardRepository
from missions.busy_repository import BusyRepository
from missions.incident_repository import IncidentRepository
from missions.model import State
from missions.parts_text import part_skills
from missions.service import CalloutConfig, CalloutService
from roster.model import Actor
from roster.repository import RosterRepository
from storage.db import Database
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def team_board_from_every_row(
    service: CalloutService, callout_id: int, viewer: Actor, team: str
) -> str:
    """The team board as drawn before: every response and every left-out person read."""
    callout = await service.callout(callout_id)
    people = await service.repo.people(callout_id)
    lang = viewer.language
    labels = await service.skill_labels(lang)
    part = dataclasses.replace(
        callout,
        needed=callout.quotas.get(team, callout.needed),
        skills=part_skills(callout, team),
        quotas={},
        slots={},
        parts={k: v for k, v in callout.parts.items() if k == team},
    )
    waiting = [
        p.volunteer_id
        for p in people
        if p.state in (State.PAGED, State.NO_REPLY, State.STANDBY) and p.on_scene_at is None
    ]
    text = render.board_text(
        part,
        [p for p in people if p.team_code == team],
        [x for x in await service.repo.left_out(callout_id) if x.team_code == team],
        lang,
        labels=labels,
        show_phone=lambda code: viewer.may_see_personal_data(code, True),
        tz=service.config.tz,
        overdue=await IncidentRepository(service.db).overdue_ids(callout_id),
        busy=await BusyRepository(service.db).elsewhere(callout_id, waiting),
    )
    confirmed = [p for p in people if p.state is State.AVAILABLE]
    overall = [
        t(
            "multiteam.board.team_part",
            lang,
            team=team,
            confirmed=len(confirmed),
            needed=callout.needed,
        ),
        *render.places_lines(callout, [p.candidate for p in confirmed], labels, lang),
    ]
    title, _, rest = text.partition("\n")
    return "\n".join([title, *overall, rest]) if rest else "\n".join([title, *overall])


async def two_teams_on_a_busy_night(db: Database, responses: int) -> None:
    """The benchmark's two-team callout, plus what makes boards tricky: people of both teams
    confirmed on another open callout, standby volunteers on scene, unreachable for several
    reasons, no-replies."""
    await seed(db, responses, NOW, random.Random(11), ("SD", "HR"))
    async with UnitOfWork(db) as uow:
        await uow.tx.execute(
            "INSERT INTO callouts (id, type, teams, skills, needed, location, description, "
            "require_fitness, called_by, status, created_at) VALUES (2, 'flood', "
            "'[\"SD\",\"HR\"]', '[]', 9, '城东', '', 0, ?, 'open', ?)",
            (LEADER, iso(NOW)),
        )
        await uow.tx.execute(
            "INSERT INTO responses (callout_id, volunteer_id, state, paged_at) "
            "SELECT 2, volunteer_id, 'available', ? FROM responses WHERE callout_id = 1 AND "
            "state IN ('paged','standby') ORDER BY volunteer_id DESC LIMIT 9",
            (iso(NOW),),
        )
        await uow.tx.execute(
            "UPDATE responses SET on_scene_at = ? WHERE callout_id = 1 AND volunteer_id IN "
            "(SELECT volunteer_id FROM responses WHERE callout_id = 1 AND state = 'standby' "
            "ORDER BY volunteer_id LIMIT 3)",
            (iso(NOW - timedelta(minutes=5)),),
        )
        await uow.tx.execute(
            "UPDATE responses SET state = 'undeliverable', reason = 'chat_not_found' "
            "WHERE callout_id = 1 AND volunteer_id % 89 = 0 AND state = 'paged'"
        )
        await uow.tx.execute(
            "UPDATE responses SET state = 'no_reply' WHERE callout_id = 1 AND "
            "volunteer_id % 7 = 0 AND state = 'paged'"
        )


def _service(db: Database) -> CalloutService:
    config = CalloutConfig(language="zh", escalate_minutes=10, tz=NOW.tzinfo, mission_target=59)  # type: ignore[arg-type]
    return CalloutService(db, RosterRepository(db), None, FakeClock(NOW), config)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("responses", "team", "lang"),
    [(40, "SD", "zh"), (400, "HR", "en"), (1500, "SD", "en"), (1500, "HR", "zh")],
)
async def test_a_team_board_from_the_first_names_is_the_same_as_from_every_row(
    db: Database, responses: int, team: str, lang: str
) -> None:
    await two_teams_on_a_busy_night(db, responses)
    service = _service(db)
    viewer = dataclasses.replace(await service.actor(LEADER), language=lang)
    drawn = await service.team_boards.text(1, viewer, team)
    assert drawn == await team_board_from_every_row(service, 1, viewer, team)
    assert "#2" in drawn  # the team's people confirmed elsewhere are shown as such
    if responses >= 1500:  # long groups: their first names and a count read by SQL
        more = re.escape(t("board.more", lang, count=0)).replace("0", r"\d+")
        assert re.search(more, drawn)


async def test_a_team_boards_reads_are_of_its_team_only_with_its_counts(db: Database) -> None:
    await two_teams_on_a_busy_night(db, 1500)
    rows = await BoardRepository(db).rows(1, 25, team="HR")
    assert {p.team_code for p in rows.people} == {"HR"}
    assert {x.team_code for x in rows.left_out} == {"HR"}
    assert len([p for p in rows.people if p.state is State.PAGED]) <= 25 + 9
    every = await BoardRepository(db).rows(1, 25)
    assert 0 < rows.totals["no_reply"] < every.totals["no_reply"]
    assert set(rows.busy) <= set(every.busy)
    confirmed = await BoardRepository(db).confirmed(1)
    assert {p.team_code for p in confirmed} == {"SD", "HR"}
