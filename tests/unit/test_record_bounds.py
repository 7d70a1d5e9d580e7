"""Records a leader may not write, and values no record should hold."""

from __future__ import annotations

import pytest

from common.errors import DomainError
from insurance.model import parse_coverage
from storage.db import Database
from tests.factories import add_volunteer
from training.importer import import_training

HEADER = "日期,队伍,培训内容,类别,学时,姓名,手机\n"


async def test_a_leaders_training_file_cannot_credit_another_teams_volunteer(
    db: Database,
) -> None:
    await add_volunteer(db, "红队员", team="HR", phone="+8613900000077")
    csv = HEADER + "2026-03-05,SD,绳索技术复训,绳索,4,,139 0000 0077\n"
    report = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope="SD")
    assert not report.ok
    assert [(e.line, e.key) for e in report.errors] == [(2, "records.other_team")]
    assert (await db.fetchone("SELECT COUNT(*) FROM training_attendance"))[0] == 0  # type: ignore[index]
    coordinator = await import_training(db, csv.encode(), "t.csv", actor=None, team_scope=None)
    assert coordinator.ok, coordinator.errors  # a joint session, recorded by a coordinator


@pytest.mark.parametrize("text", ["1e400", "inf", "-inf", "nan", "NaN", "1e11", "-5"])
def test_a_sum_insured_must_be_a_finite_plausible_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_coverage(text)


@pytest.mark.parametrize(("text", "value"), [("500000", 500000.0), ("50万", 500000.0)])
def test_ordinary_sums_insured_still_read(text: str, value: float) -> None:
    assert parse_coverage(text) == value


async def test_a_name_with_control_characters_is_refused_and_quoted_visibly(db: Database) -> None:
    from roster.importer import import_roster

    # A NUL byte anywhere refuses the whole file at the reader, naming line and column.
    with pytest.raises(DomainError) as refused:
        await import_roster(
            db,
            "team,name,phone\nSD,张\x00伟,13800138001\n".encode(),
            "r.csv",
            actor=None,
            team_scope=None,
        )
    assert refused.value.key == "files.control_character"
    assert refused.value.params["line"] == 2
    # Invisible direction overrides are refused row by row, quoted so they can be seen.
    csv = "team,name,phone\nSD,\u202e伟张,13800138002\nSD,李娜,13800138003\n"
    report = await import_roster(db, csv.encode(), "r.csv", actor=None, team_scope=None)
    assert [(e.line, e.key) for e in report.errors] == [(2, "error.control_characters")]
    assert report.errors[0].params["value"].startswith("\\u202e")
    assert (await db.fetchone("SELECT COUNT(*) FROM volunteers"))[0] == 0  # type: ignore[index]
