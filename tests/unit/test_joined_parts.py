"""A team that joins an open callout keeps its own request everywhere: its headcount,
skills and place note on the board, its team board, its volunteers' pages, `/status` and
the dashboard's board data."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

import pytest

from common.errors import DomainError
from dashboard.page import PageConfig, build_page
from dashboard.view import Viewer
from missions.actions import JoinOpen, PageAnyway
from missions.model import parse_callout
from missions.parts_plan import AlreadyOn, JoinPlan
from missions.service import CalloutService
from storage.db import Database
from tests.factories import add_coordinator, add_volunteer
from tests.unit import test_callout_service as callout_tests
from tests.unit.test_callout_service import LEADER, FakeNotifier

# The callout service's fixtures: a fake notifier and clock, and the service on them.
notifier, clock, service = callout_tests.notifier, callout_tests.clock, callout_tests.service

HR_LEADER, COORD = 200, 900
CONFIG = PageConfig(ZoneInfo("Asia/Shanghai"), 59, "http://127.0.0.1:9/{z}/{x}/{y}.png")


async def joined(db: Database, service: CalloutService) -> int:
    """SD's flood callout on 江心洲; HR's leader joins it asking for 1 boat handler at 北岸."""
    await add_volunteer(db, "SD队长", role="leader", telegram_id=LEADER)
    await add_volunteer(db, "SD一", telegram_id=1)
    await add_volunteer(db, "HR队长", team="HR", role="leader", telegram_id=HR_LEADER)
    await add_volunteer(db, "HR船", team="HR", telegram_id=201, skills=["boat"])
    await add_volunteer(db, "HR无船", team="HR", telegram_id=202)
    sd = await service.roster.actor(LEADER, "zh", "zh")
    first = await service.start(sd, parse_callout(["flood", "1", "江心洲"], {}))
    assert first.callout_id is not None
    hr = await service.roster.actor(HR_LEADER, "zh", "zh")
    aliases = await service.skill_aliases()
    request = parse_callout(["flood", "1", "江心洲", "北岸集合", "skills=boat"], aliases)
    held = await service.start(hr, request)
    assert held.duplicate_of == first.callout_id and held.draft_id is not None
    draft = await service.repo.draft(held.draft_id)
    assert draft is not None
    paged = await service.join(hr, first.callout_id, held.draft_id, str(draft.data["token"]))
    assert paged == 1  # only HR's boat handler: the part's own skill
    await service.drain()
    return first.callout_id


async def test_the_board_and_status_show_a_joined_parts_own_headcount_skills_and_place(
    db: Database,
    service: CalloutService,
) -> None:
    callout_id = await joined(db, service)
    sd = await service.roster.actor(LEADER, "zh", "zh")
    board = await service.board_text(callout_id, sd)
    assert "加入的队伍 HR：1 人 · 技能：船艇驾驶 · 江心洲" in board
    assert "技能：不限\n" in board  # the first caller's request is still their own
    (status,) = await service.status(sd, callout_id)
    assert "技能：船艇驾驶" in status


async def test_a_joined_teams_board_and_pages_name_the_skills_it_was_paged_for(
    db: Database,
    service: CalloutService,
    notifier: FakeNotifier,
) -> None:
    callout_id = await joined(db, service)
    hr = await service.roster.actor(HR_LEADER, "zh", "zh")
    team_board = await service.team_boards.text(callout_id, hr, "HR")
    assert "技能：船艇驾驶" in team_board
    (page,) = [s.text for s in notifier.to(201) if s.buttons]
    assert "技能要求：船艇驾驶" in page and "本队集合地点：江心洲" in page
    (sd_page,) = [s.text for s in notifier.to(1) if s.buttons]
    assert "技能要求" not in sd_page


async def test_the_dashboard_data_carries_each_joined_part(
    db: Database,
    service: CalloutService,
) -> None:
    await joined(db, service)
    page = await build_page(db, Viewer("en", coordinator=True), CONFIG, service.clock.now())
    (callout,) = page["callouts"]
    assert callout["quotas"] == {"SD": 1, "HR": 1}
    assert callout["joined_parts"] == [
        {"team": "HR", "needed": 1, "place": "江心洲", "skills": ["boat"]}
    ]


async def test_the_duplicate_warning_offers_actions_not_callback_data(
    db: Database, service: CalloutService, notifier: FakeNotifier
) -> None:
    await joined(db, service)
    (warning,) = [s for s in notifier.to(HR_LEADER) if s.buttons and "同类召集" in s.text]
    assert warning.buttons is not None
    join, anyway = warning.buttons[0]
    assert isinstance(join[1], JoinOpen) and join[1].callout_id == 1
    assert anyway[1] == PageAnyway(join[1].draft_id)


async def test_a_leader_whose_team_is_already_on_changes_nothing_and_may_still_page_anyway(
    db: Database,
    service: CalloutService,
) -> None:
    await add_volunteer(db, "SD队长", role="leader", telegram_id=LEADER)
    await add_volunteer(db, "SD副队长", role="deputy", telegram_id=LEADER + 1)
    await add_volunteer(db, "SD一", telegram_id=1)
    sd = await service.roster.actor(LEADER, "zh", "zh")
    first = await service.start(sd, parse_callout(["flood", "2", "江心洲"], {}))
    assert first.callout_id is not None
    deputy = await service.roster.actor(LEADER + 1, "zh", "zh")
    held = await service.start(deputy, parse_callout(["flood", "3", "江心洲", "北岸集合"], {}))
    assert held.draft_id is not None
    draft = await service.repo.draft(held.draft_id)
    assert draft is not None
    outcome = await service.join_request(
        deputy, first.callout_id, held.draft_id, str(draft.data["token"])
    )
    assert outcome.paged == 0 and outcome.plan == JoinPlan({}, (AlreadyOn("SD", None, None),))
    callout = await service.callout(first.callout_id)
    assert (callout.needed, callout.quotas, callout.parts) == (2, {}, {})
    again = await service.page_anyway(deputy, held.draft_id)
    assert again.callout_id == first.callout_id + 1


async def test_a_headcount_too_small_to_split_among_the_joining_teams_changes_nothing(
    db: Database,
    service: CalloutService,
) -> None:
    await add_volunteer(db, "SD队长", role="leader", telegram_id=LEADER)
    await add_coordinator(db, COORD)
    sd = await service.roster.actor(LEADER, "zh", "zh")
    first = await service.start(sd, parse_callout(["flood", "2", "江心洲"], {}))
    assert first.callout_id is not None
    coordinator = await service.roster.actor(COORD, "zh", "zh")
    request = parse_callout(["flood", "1", "江心洲", "team=HR,QM"], {})
    held = await service.start(coordinator, request)
    assert held.draft_id is not None
    draft = await service.repo.draft(held.draft_id)
    assert draft is not None
    with pytest.raises(DomainError) as refused:
        await service.join(coordinator, first.callout_id, held.draft_id, str(draft.data["token"]))
    assert refused.value.key == "multiteam.error.join_split"
    callout = await service.callout(first.callout_id)
    assert (callout.teams, callout.needed, callout.parts) == (("SD",), 2, {})
    assert await service.repo.draft(held.draft_id) is not None


async def test_a_join_adds_the_teams_not_yet_on_and_names_those_already_on(
    db: Database,
    service: CalloutService,
) -> None:
    await add_coordinator(db, COORD)
    for uid, team in ((11, "HR"), (12, "QM"), (13, "SD")):
        await add_volunteer(db, f"{team}一", team=team, telegram_id=uid)
    coordinator = await service.roster.actor(COORD, "zh", "zh")
    first = await service.start(
        coordinator, parse_callout(["flood", "3", "江心洲", "team=HR:2,QM:1"], {})
    )
    assert first.callout_id is not None
    request = parse_callout(["flood", "5", "江心洲", "team=HR:3,SD:2"], {})
    held = await service.start(coordinator, request)
    assert held.draft_id is not None
    draft = await service.repo.draft(held.draft_id)
    assert draft is not None
    outcome = await service.join_request(
        coordinator, first.callout_id, held.draft_id, str(draft.data["token"])
    )
    assert outcome.plan == JoinPlan({"SD": 2}, (AlreadyOn("HR", 2, 3),))
    assert outcome.paged == 1  # SD's one volunteer; HR's is not paged twice
    callout = await service.callout(first.callout_id)
    assert (callout.needed, callout.quotas) == (5, {"HR": 2, "QM": 1, "SD": 2})
    assert await service.repo.draft(held.draft_id) is None


async def test_join_and_page_anyway_pressed_at_the_same_moment_count_only_once(
    db: Database, service: CalloutService
) -> None:
    await add_volunteer(db, "SD队长", role="leader", telegram_id=LEADER)
    await add_volunteer(db, "SD一", telegram_id=1)
    await add_volunteer(db, "HR队长", team="HR", role="leader", telegram_id=HR_LEADER)
    await add_volunteer(db, "HR一", team="HR", telegram_id=201)
    sd = await service.roster.actor(LEADER, "zh", "zh")
    first = await service.start(sd, parse_callout(["flood", "1", "江心洲"], {}))
    assert first.callout_id is not None
    hr = await service.roster.actor(HR_LEADER, "zh", "zh")
    held = await service.start(hr, parse_callout(["flood", "1", "江心洲"], {}))
    assert held.draft_id is not None
    draft = await service.repo.draft(held.draft_id)
    assert draft is not None
    token = str(draft.data["token"])
    results = await asyncio.gather(
        service.join(hr, first.callout_id, held.draft_id, token),
        service.join(hr, first.callout_id, held.draft_id, token),
        service.page_anyway(hr, held.draft_id),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 2 and all(r.key == "callout.error.draft_gone" for r in refused)
    await service.drain()
    callouts = await db.fetchall("SELECT id FROM callouts")
    people = await db.fetchall("SELECT callout_id, volunteer_id FROM responses")
    assert len(people) == len(set(people))  # nobody paged twice
    assert len(callouts) in (1, 2)  # joined once, or paged once as its own callout
