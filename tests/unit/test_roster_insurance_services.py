"""The roster and insurance services: whom a command is about, the /roster view, coverage."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import DomainError, NotAllowed
from insurance.model import InsuranceState
from insurance.service import InsuranceService
from roster.model import looks_like_team_code
from roster.repository import RosterRepository
from roster.service import RosterService
from storage.db import Database
from tests.factories import add_coordinator, add_volunteer

LEADER, COORDINATOR = 600, 601


async def test_a_leader_finds_their_own_teams_person_but_not_another_teams(db: Database) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
    await add_volunteer(db, "张伟")
    await add_volunteer(db, "王芳", team="HR", phone="+8613900000009")
    actor = await RosterRepository(db).actor(LEADER, "zh", "zh")
    service = RosterService(db)
    assert (await service.person_for(actor, "张伟")).name == "张伟"
    with pytest.raises(DomainError) as refused:  # not even found: a leader looks in their team
        await service.person_for(actor, "13900000009")
    assert refused.value.key == "person.not_found"


async def test_the_roster_view_hides_phones_outside_a_private_chat(db: Database) -> None:
    await add_volunteer(db, "队长", role="leader", telegram_id=LEADER)
    actor = await RosterRepository(db).actor(LEADER, "zh", "zh")
    service = RosterService(db)
    private = await service.roster_view(actor, None, private_chat=True)
    group = await service.roster_view(actor, None, private_chat=False)
    assert private.team.code == "SD" and private.show_phones and not group.show_phones
    with pytest.raises(NotAllowed):
        await service.roster_view(actor, "HR", private_chat=True)


async def test_a_coordinator_without_a_team_must_name_one(db: Database) -> None:
    await add_coordinator(db, COORDINATOR)
    actor = await RosterRepository(db).actor(COORDINATOR, "zh", "zh")
    with pytest.raises(NotAllowed) as refused:
        await RosterService(db).team_for(actor, None, "insurance.usage")
    assert refused.value.key == "insurance.usage"
    team = await RosterService(db).team_for(actor, "hr", "insurance.usage")
    assert team.code == "HR" and team.label("en") == "Hongrui Water Emergency Rescue Centre"


async def test_coverage_groups_each_teams_active_members_by_insurance_state(db: Database) -> None:
    await add_volunteer(db, "有保险", insured_until=date(2026, 12, 31))
    await add_volunteer(db, "没保险", insured_until=None)
    await add_volunteer(db, "离队", insured_until=None, active=False)
    team = await RosterRepository(db).find_team("SD")
    (entry,) = await InsuranceService(db).coverage([team], date(2026, 6, 1))
    assert [n for n, _ in entry.coverage.by_state[InsuranceState.VALID]] == ["有保险"]
    assert [n for n, _ in entry.coverage.by_state[InsuranceState.NONE]] == ["没保险"]
    assert set(entry.phones) == {"有保险", "没保险"}


def test_short_upper_case_words_look_like_team_codes_and_mixed_case_names_do_not() -> None:
    assert looks_like_team_code("SD") and looks_like_team_code("330")
    assert not looks_like_team_code("Zhang") and not looks_like_team_code("sd")
    assert not looks_like_team_code("HR=1")
