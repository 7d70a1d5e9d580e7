"""The responder state machine, the hours rule and the timing rules, with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from common.clock import FakeClock
from common.errors import DomainError
from missions.incident import (
    Mark,
    Phase,
    Responder,
    check_interval,
    check_stage_due,
    first_check_at,
    parse_check,
    parse_debrief_hours,
    parse_mark,
    return_stage_due,
)
from missions.model import State

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_responder_goes_from_confirmed_to_on_scene_to_home_safe_with_times() -> None:
    clock = FakeClock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    r = Responder(1, State.AVAILABLE, answered_at=clock.now(), confirmed_at=clock.now())
    assert r.phase is Phase.CONFIRMED and r.participant
    clock.advance(minutes=40)
    assert r.check_in(clock.now())
    assert r.phase is Phase.ON_SCENE and r.on_scene_at == clock.now()
    assert not r.check_in(clock.now())  # a second tap changes nothing
    clock.advance(hours=3)
    assert r.ask_for_help(clock.now()) and r.need_help_at == clock.now()
    clock.advance(hours=1)
    assert r.home(clock.now())
    assert r.phase is Phase.HOME_SAFE and r.need_help_at is None and not r.still_out


def test_a_standby_volunteer_who_checks_in_counts_as_a_participant() -> None:
    r = Responder(2, State.STANDBY)
    assert not r.participant
    r.check_in(datetime(2026, 6, 1, tzinfo=UTC))
    assert r.participant and r.phase is Phase.ON_SCENE


@pytest.mark.parametrize("state", [State.PAGED, State.UNAVAILABLE, State.NO_REPLY])
def test_only_confirmed_or_standby_people_can_be_on_scene(state: State) -> None:
    with pytest.raises(DomainError) as refused:
        Responder(3, state).check_in(datetime(2026, 6, 1, tzinfo=UTC))
    assert refused.value.key == "incident.error.not_going"


def test_someone_who_never_went_cannot_be_home_safe() -> None:
    with pytest.raises(DomainError):
        Responder(4, State.UNAVAILABLE).home(datetime(2026, 6, 1, tzinfo=UTC))


def test_a_leader_recording_an_answer_is_remembered_as_such() -> None:
    r = Responder(5, State.AVAILABLE)
    r.check_in(datetime(2026, 6, 1, tzinfo=UTC), by=7000)
    assert r.recorded_by == 7000


def test_hours_run_from_on_scene_to_home_safe() -> None:
    start = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    r = Responder(
        1,
        State.AVAILABLE,
        confirmed_at=start,
        on_scene_at=start + timedelta(minutes=30),
        home_safe_at=start + timedelta(hours=5, minutes=30),
    )
    assert r.counted_hours(closed_at=start + timedelta(hours=4)) == 5.0


def test_hours_run_from_available_to_the_close_when_nobody_checked_in_or_tapped_home() -> None:
    start = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    r = Responder(1, State.AVAILABLE, confirmed_at=start)
    assert r.counted_hours(closed_at=start + timedelta(hours=2, minutes=15)) == 2.2


def test_hours_across_midnight_and_the_year_boundary_count_the_whole_night() -> None:
    # 22:00 on New Year's Eve in Shanghai to 07:00 on 1 January.
    on_scene = datetime(2026, 12, 31, 22, 0, tzinfo=SHANGHAI)
    home = datetime(2027, 1, 1, 7, 0, tzinfo=SHANGHAI)
    r = Responder(1, State.AVAILABLE, confirmed_at=on_scene, on_scene_at=on_scene)
    r.home(home)
    assert r.counted_hours(closed_at=on_scene + timedelta(hours=8)) == 9.0


def test_a_quick_job_still_counts_a_tenth_of_an_hour() -> None:
    moment = datetime(2026, 6, 1, tzinfo=UTC)
    assert Responder(1, State.AVAILABLE, confirmed_at=moment).counted_hours(moment) == 0.1


def test_the_callouts_own_interval_wins_and_zero_means_off() -> None:
    assert check_interval(None, 60) == 60
    assert check_interval(0.05, 60) == 0.05
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert first_check_at(None, now, 0) is None
    assert first_check_at(None, now, 60) == now + timedelta(minutes=60)
    earlier = now - timedelta(minutes=5)
    assert first_check_at(earlier, now, 60) == earlier  # the first arrival set the round


def test_a_missed_check_goes_to_the_leader_after_the_grace_and_coordinators_after_twice() -> None:
    sent = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    assert check_stage_due(sent, 0, 10) == sent + timedelta(minutes=10)
    assert check_stage_due(sent, 1, 10) == sent + timedelta(minutes=20)
    assert check_stage_due(sent, 2, 10) is None


def test_the_return_is_flagged_after_the_interval_and_to_coordinators_after_twice() -> None:
    closed = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    assert return_stage_due(closed, 0, 120) == closed + timedelta(hours=2)
    assert return_stage_due(closed, 1, 120) == closed + timedelta(hours=4)
    assert return_stage_due(closed, 2, 120) is None


def test_mark_reads_the_callout_the_name_the_answer_and_an_eta() -> None:
    assert parse_mark(["#3", "王", "五", "available", "eta=30"]).name == "王 五"
    request = parse_mark(["3", "王五", "onscene"])
    assert (request.callout_id, request.mark, request.eta) == (3, Mark.ON_SCENE, None)
    assert parse_mark(["3", "王五", "已安全返回"]).mark is Mark.SAFE


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["3", "王五"], "mark.usage"),
        (["x", "王五", "safe"], "mark.usage"),
        (["3", "王五", "maybe"], "mark.error.answer"),
        (["3", "王五", "available", "eta=soon"], "mark.error.eta"),
        (["3", "王五", "safe", "eta=10"], "mark.error.eta_needs_available"),
        (["²", "王五", "safe"], "mark.usage"),
        (["9" * 30, "王五", "safe"], "mark.usage"),
        (["3", "王五", "available", "eta=²"], "mark.error.eta"),
    ],
)
def test_bad_mark_commands_say_what_would_be_right(args: list[str], key: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_mark(args)
    assert refused.value.key == key


def test_mark_reads_eta_with_a_full_width_equals_sign_and_a_quoted_name() -> None:
    request = parse_mark(["3", "“王", "五”", "available", "eta＝15"])
    assert (request.name, request.mark, request.eta) == ("王 五", Mark.AVAILABLE, 15)
    assert parse_mark(["3", "eta=20", "王五", "onscene"]).eta == 20


def test_mark_reads_an_eta_typed_in_full_width_digits_as_chinese_input_methods_type_it() -> None:
    assert parse_mark(["3", "王五", "available", "eta＝１５"]).eta == 15


@pytest.mark.parametrize("eta", ["eta=0", "eta=1441", "eta=1e3", "eta=١٥", "eta="])
def test_an_eta_that_is_not_plain_minutes_up_to_a_day_is_refused_as_elsewhere(eta: str) -> None:
    # Whole numbers are ASCII or full-width digits everywhere; no other digits, no exponent.
    with pytest.raises(DomainError) as refused:
        parse_mark(["3", "王五", "available", eta])
    assert refused.value.key == "mark.error.eta"


def test_an_unknown_mark_option_is_refused_naming_the_options_there_are() -> None:
    with pytest.raises(DomainError) as refused:
        parse_mark(["3", "王五", "available", "eta=10", "etaa＝5"])
    assert refused.value.key == "options.unknown"
    assert refused.value.params == {"option": "etaa", "allowed": "eta"}
    with pytest.raises(DomainError) as repeated:
        parse_mark(["3", "王五", "available", "eta=10", "ETA=5"])
    assert repeated.value.key == "options.repeated"


def test_check_minutes_may_be_typed_in_full_width_digits_but_not_as_float_would_read() -> None:
    assert parse_check(["3", "１５"]) == (3, 15.0)
    assert parse_check(["3", "０．５"]) == (3, 0.5)
    for bad in ("١٥", "1e3", "inf", "+5", "0.0"):
        with pytest.raises(DomainError) as refused:
            parse_check(["3", bad])
        assert refused.value.key == "check.error.minutes"


def test_check_takes_minutes_with_fractions_or_off() -> None:
    assert parse_check(["3", "0.05"]) == (3, 0.05)
    assert parse_check(["#3", "off"]) == (3, 0.0)
    for bad in (["3"], ["3", "soon"], ["3", "-5"], ["3", "99999"], ["3", "nan"], ["²", "5"]):
        with pytest.raises(DomainError):
            parse_check(bad)


@pytest.mark.parametrize(("text", "hours"), [("5", 5.0), ("5.5", 5.5), ("5,5", 5.5), ("6h", 6.0),
                                             ("7小时", 7.0), ("0", 0.0), ("48", 48.0)])  # fmt: skip
def test_a_corrected_figure_is_a_number_of_hours(text: str, hours: float) -> None:
    assert parse_debrief_hours(text) == hours


@pytest.mark.parametrize("text", ["49", "-1", "five", "", "nan"])
def test_a_corrected_figure_outside_0_to_48_is_refused_with_the_rule(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_debrief_hours(text)
    assert refused.value.key == "debrief.error.hours"
