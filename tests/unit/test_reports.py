"""Reports: the aggregations over plain data, the queries, the files and the speed."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.reporting import build_report, text_report
from common.clock import FakeClock
from common.errors import DomainError
from insurance.model import InsuranceState, Policy
from missions.model import Readiness, Reason, split_eligible
from reports.chart import render_png
from reports.model import (
    FitnessRecord,
    MissionRecord,
    SessionRecord,
    check_year,
    insurance_report,
    missions_report,
    parse_kind,
    readiness_report,
    roster_report,
    training_report,
    year_range_utc,
)
from reports.render import workbook_bytes
from roster.model import Role, SkillHolding, Volunteer
from roster.taxonomy import TEAMS
from storage.db import Database, open_database
from tests.conftest import Trips, make_settings
from tests.factories import add_volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 1)
NOON_TODAY_UTC = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def _person(vid: int, team: str = "SD", **kw: object) -> Volunteer:
    values: dict[str, object] = {
        "id": vid,
        "team_code": team,
        "name": f"P{vid}",
        "phone": f"+8613900000{vid:03d}",
        "telegram_id": 1000 + vid,
    }
    values.update(kw)
    return Volunteer(**values)  # type: ignore[arg-type]


def _mission(
    mid: int, when: datetime, kind: str = "mountain", teams: tuple[str, ...] = ("SD",), **kw: object
) -> MissionRecord:
    participants: dict[int, float] = kw.pop("participants", {})  # type: ignore[assignment]
    rescued = int(kw.pop("rescued", 0))  # type: ignore[call-overload]
    return MissionRecord(mid, kind, teams, when, rescued, participants)


# --- the year boundary ----------------------------------------------------------------------


def test_the_local_year_starts_at_16h_utc_on_new_years_eve_in_shanghai() -> None:
    assert year_range_utc(2027, SHANGHAI) == (
        "2026-12-31T16:00:00+00:00",
        "2027-12-31T16:00:00+00:00",
    )


def test_a_mission_at_20h_utc_on_new_years_eve_counts_for_the_next_local_year() -> None:
    late = _mission(1, datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    earlier = _mission(2, datetime(2026, 12, 31, 15, 0, tzinfo=UTC))
    report_2027 = missions_report(
        [late, earlier], {}, list(TEAMS), year=2027, tz=SHANGHAI, target=59
    )
    report_2026 = missions_report(
        [late, earlier], {}, list(TEAMS), year=2026, tz=SHANGHAI, target=59
    )
    assert report_2027.count == 1 and report_2027.by_month[0] == 1
    assert report_2026.count == 1 and report_2026.by_month[11] == 1


async def test_the_missions_query_uses_the_local_year_boundary(db: Database) -> None:
    for started in ("2026-12-31T20:00:00+00:00", "2026-12-31T15:59:59+00:00"):
        await db.execute(
            "INSERT INTO missions (type, teams, started_at, ended_at) VALUES (?,?,?,?)",
            ("flood", '["HR"]', started, started),
        )
    settings = make_settings(Path(db.path))
    text_2027 = await text_report(db, settings, "missions", 2027, "en")
    text_2026 = await text_report(db, settings, "missions", 2026, "en")
    assert "Missions: 1 / 59" in text_2027 and "Jan 1" in text_2027
    assert "Missions: 1 / 59" in text_2026 and "Dec 1" in text_2026


# --- missions -------------------------------------------------------------------------------


def test_the_missions_report_counts_against_the_target_by_type_team_and_month() -> None:
    people = {1: _person(1, "SD"), 2: _person(2, "HR"), 3: _person(3, "SD")}
    missions = [
        _mission(
            1,
            datetime(2026, 3, 5, 2, tzinfo=UTC),
            "mountain",
            ("SD",),
            participants={1: 5.0, 3: 9.0},
            rescued=1,
        ),
        _mission(
            2,
            datetime(2026, 7, 1, 2, tzinfo=UTC),
            "flood",
            ("HR", "SD"),
            participants={2: 4.0, 1: 4.0},
            rescued=3,
        ),
        _mission(3, datetime(2026, 7, 9, 2, tzinfo=UTC), "flood", ("HR",), participants={2: 2.5}),
    ]
    report = missions_report(missions, people, list(TEAMS), year=2026, tz=SHANGHAI, target=59)
    assert (report.count, report.target, report.rescued) == (3, 59, 4)
    assert report.by_type == {"mountain": 1, "flood": 2}
    assert report.by_team == {"HR": (2, 6.5), "SD": (2, 18.0)}
    assert report.by_month[2] == 1 and report.by_month[6] == 2
    assert report.by_month_type["flood"][6] == 2
    assert report.volunteer_hours == 24.5 and report.turnouts == 5
    assert [(p.name, p.hours, p.missions) for p in report.top] == [
        ("P1", 9.0, 2),
        ("P3", 9.0, 1),
        ("P2", 6.5, 2),
    ]


def test_a_team_view_counts_only_missions_the_team_joined_and_its_own_hours() -> None:
    people = {1: _person(1, "SD"), 2: _person(2, "HR")}
    missions = [
        _mission(1, datetime(2026, 7, 1, 2, tzinfo=UTC), "flood", ("HR", "SD"),
                 participants={1: 4.0, 2: 4.0}),
        _mission(2, datetime(2026, 7, 2, 2, tzinfo=UTC), "flood", ("HR",), participants={2: 3.0}),
    ]  # fmt: skip
    report = missions_report(
        missions, people, list(TEAMS), year=2026, tz=SHANGHAI, target=59, team="SD"
    )
    assert (report.count, report.bureau_count) == (1, 2)
    assert report.volunteer_hours == 4.0
    assert [p.name for p in report.top] == ["P1"]
    assert list(report.by_team) == ["SD"]


# --- training -------------------------------------------------------------------------------


def test_training_lists_volunteers_without_training_and_the_fitness_pass_rate() -> None:
    people = [_person(1), _person(2), _person(3), _person(4, active=False), _person(5, "HR")]
    sessions = [
        SessionRecord(1, "SD", date(2026, 2, 1), 4.0, frozenset({1, 2})),
        SessionRecord(2, "SD", date(2025, 12, 31), 8.0, frozenset({3})),  # last year
        SessionRecord(3, "HR", date(2026, 5, 1), 3.0, frozenset({5, 3})),  # P3 at HR's session
    ]
    fitness = [
        FitnessRecord(1, date(2026, 4, 1), False),
        FitnessRecord(1, date(2026, 5, 1), True),
        FitnessRecord(2, date(2026, 4, 1), False),
        FitnessRecord(3, date(2025, 4, 1), True),  # last year
    ]
    report = training_report(sessions, fitness, people, list(TEAMS), year=2026)
    sd = next(r for r in report.teams if r.team.code == "SD")
    assert (sd.sessions, sd.hours, sd.attendances, sd.person_hours) == (1, 4.0, 2, 8.0)
    assert (sd.members, sd.trained, sd.untrained) == (3, 3, [])
    assert (sd.fitness_tested, sd.fitness_passed, sd.pass_rate) == (2, 1, 0.5)
    assert report.hours_by_month_team["HR"][4] == 3.0
    only_sd = training_report(sessions[:1], [], people, list(TEAMS), year=2026, team="SD")
    assert [r.team.code for r in only_sd.teams] == ["SD"]
    assert only_sd.teams[0].untrained == ["P3"]


# --- insurance ------------------------------------------------------------------------------


def test_insurance_counts_each_state_and_names_those_not_valid() -> None:
    people = [_person(1), _person(2), _person(3), _person(4), _person(5, active=False)]

    def policy(vid: int, end: date) -> Policy:
        return Policy(vid, vid, "PICC", f"P{vid}", None, date(2025, 1, 1), end)

    policies = {
        1: [policy(1, date(2026, 12, 31))],
        2: [policy(2, TODAY + timedelta(days=10))],
        3: [policy(3, TODAY - timedelta(days=1))],
        5: [policy(5, TODAY - timedelta(days=1))],
    }
    report = insurance_report(people, policies, list(TEAMS), day=TODAY, team="SD")
    ((team, coverage),) = report.teams
    assert team.code == "SD"
    assert [coverage.count(s) for s in InsuranceState] == [1, 1, 1, 1]
    assert coverage.by_state[InsuranceState.NONE][0][0] == "P4"


# --- roster ---------------------------------------------------------------------------------


def test_the_roster_counts_leaders_linked_active_away_and_skills() -> None:
    people = [
        _person(1, role=Role.LEADER, skills=[SkillHolding("rope", None, date(2020, 1, 1))]),
        _person(2, role=Role.DEPUTY, telegram_id=None, skills=[SkillHolding("rope")]),
        _person(3, away_until=TODAY),
        _person(4, active=False, skills=[SkillHolding("rope")]),
    ]
    report = roster_report(people, list(TEAMS), ["rope", "drone"], day=TODAY, team="SD")
    (sd,) = report.teams
    assert (sd.headcount, sd.active, sd.linked, sd.not_linked, sd.away) == (4, 3, 2, 1, 1)
    assert (sd.leaders, sd.deputies) == (["P1"], ["P2"])
    assert sd.skills == {"rope": (2, 1)}


# --- readiness ------------------------------------------------------------------------------


def _readiness_people() -> tuple[list[Volunteer], dict[int, Readiness]]:
    people = [
        _person(1, skills=[SkillHolding("rope")]),
        _person(2, telegram_id=None),
        _person(3, active=False),
        _person(4, away_until=TODAY + timedelta(days=3)),
        _person(5),  # uninsured
        _person(6, skills=[SkillHolding("rope", None, TODAY - timedelta(days=1))]),
        _person(7, "HR"),
    ]
    fit = Readiness(insured=True, last_fitness_pass=TODAY - timedelta(days=30))
    readiness = {p.id: fit for p in people}
    readiness[5] = Readiness(insured=False)
    readiness[6] = Readiness(insured=True)  # never passed fitness
    return people, readiness


def test_readiness_counts_why_the_others_could_not_be_paged() -> None:
    people, readiness = _readiness_people()
    report = readiness_report(people, readiness, list(TEAMS), ["rope"], day=TODAY, team="SD")
    (sd,) = report.teams
    assert (sd.general.total, sd.general.ready, sd.fitness.ready) == (6, 2, 1)
    assert sd.fitness.reasons == {
        Reason.NOT_LINKED: 1,
        Reason.INACTIVE: 1,
        Reason.AWAY: 1,
        Reason.UNINSURED: 1,
        Reason.NO_FITNESS: 1,
    }
    rope = sd.skills["rope"]
    assert (rope.total, rope.ready, rope.reasons[Reason.SKILL_EXPIRED]) == (2, 1, 1)


def test_readiness_agrees_with_the_callout_rules() -> None:
    people, readiness = _readiness_people()
    report = readiness_report(people, readiness, list(TEAMS), ["rope"], day=TODAY)
    for row in report.teams:
        team_people = [p for p in people if p.team_code == row.team.code]
        for fitness, part in ((False, row.general), (True, row.fitness)):
            paged, _ = split_eligible(
                team_people, readiness, skills=(), require_fitness=fitness, day=TODAY
            )
            assert part.ready == len(paged)


async def test_readiness_from_the_database_uses_insurance_and_fitness_records(
    db: Database,
) -> None:
    await add_volunteer(db, "能去", telegram_id=1, fitness_passed_on=TODAY - timedelta(days=10))
    await add_volunteer(db, "没保险", telegram_id=2, insured_until=TODAY - timedelta(days=1))
    await add_volunteer(db, "没体测", telegram_id=3)
    settings = make_settings(Path(db.path))
    rendered = await build_report(
        db, settings, "readiness", None, "en", team="SD", clock=FakeClock(NOON_TODAY_UTC)
    )
    assert "SD 山地公益救援中心: 2/3 could be paged (1 for a mountain search" in rendered.text
    assert "uninsured 1, no fitness pass 1" in rendered.text


# --- input ----------------------------------------------------------------------------------


def test_an_unknown_report_kind_names_the_right_ones() -> None:
    with pytest.raises(DomainError) as caught:
        parse_kind("budget")
    assert caught.value.key == "report.error.kind"
    assert "missions|training|insurance|roster|readiness" in caught.value.params["kinds"]
    assert parse_kind("Missions") == "missions"


@pytest.mark.parametrize("bad", ["26", "20x6", "99999", "1066"])
def test_a_bad_year_is_refused(bad: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_year(bad)
    assert caught.value.key == "error.bad_year"


# --- files ----------------------------------------------------------------------------------


async def test_the_workbook_and_chart_of_a_missions_report(db: Database) -> None:
    vid = await add_volunteer(db, "张伟")
    mission = await db.execute(
        "INSERT INTO missions (type, teams, started_at, ended_at, rescued) VALUES (?,?,?,?,?)",
        (
            "mountain",
            json.dumps(["SD"]),
            "2026-03-05T02:00:00+00:00",
            "2026-03-05T07:00:00+00:00",
            2,
        ),
    )
    await db.execute(
        "INSERT INTO mission_participants (mission_id, volunteer_id, hours) VALUES (?,?,?)",
        (mission, vid, 5.0),
    )
    rendered = await build_report(db, make_settings(Path(db.path)), "missions", 2026, "zh")
    assert "任务：1 / 59" in rendered.text and "张伟（SD）5 小时" in rendered.text
    workbook = load_workbook(io.BytesIO(workbook_bytes(rendered.sheets)))
    assert workbook.sheetnames[0] == "概况"
    summary = {row[0]: row[1] for row in workbook["概况"].iter_rows(values_only=True)}
    assert summary["任务数"] == 1 and summary["获救人数"] == 2
    assert workbook["任务清单"]["C2"].value == "山地搜救"
    assert rendered.chart is not None
    assert render_png(rendered.chart).startswith(b"\x89PNG")


# --- speed ----------------------------------------------------------------------------------


async def test_a_years_report_reads_that_year_not_the_whole_history(
    db: Database, tmp_path: Path, database_trips: Trips
) -> None:
    # What keeps a report fast on ten years of data, asserted without a clock (its time:
    # benchmarks/reports.py): eight more years of history add almost nothing to what is read.
    from benchmarks.reports import seed_history

    short = await open_database(tmp_path / "two-years.db")
    read: dict[tuple[str, int], int] = {}
    try:
        for years, database in ((10, db), (2, short)):
            await seed_history(database, today=TODAY, years=years, sessions_per_year=30)
            settings = make_settings(Path(database.path))
            for kind in ("missions", "readiness"):
                database_trips.rows = 0
                rendered = await build_report(
                    database, settings, kind, 2025, "zh", clock=FakeClock(NOON_TODAY_UTC)
                )
                assert rendered.sheets
                read[kind, years] = database_trips.rows
        count = await db.fetchone("SELECT COUNT(*) FROM missions")
        assert count is not None and count[0] == 600
        ten_years = make_settings(Path(db.path))
        assert "任务：60 / 59" in (await build_report(db, ten_years, "missions", 2025, "zh")).text
    finally:
        await short.close()
    for kind in ("missions", "readiness"):
        assert read[kind, 10] <= 1.1 * read[kind, 2], (kind, read)


def test_charts_fall_back_to_english_when_no_cjk_font_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reports import chart

    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    assert chart.chart_language("zh") == "en"
    monkeypatch.setattr(chart, "cjk_font", lambda: "Noto Sans CJK SC")
    assert chart.chart_language("zh") == "zh"
    assert chart.chart_language("en") == "en"
