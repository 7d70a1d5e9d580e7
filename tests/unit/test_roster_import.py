"""Roster files: all or nothing, every bad row by line, people upserted by phone."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bot.cli import main
from common import tabular
from common.errors import DomainError
from common.tabular import ImportReport, write_table
from common.tabular import read_rows as tabular_read_rows
from i18n.catalogue import t
from roster.importer import import_roster
from roster.repository import RosterRepository
from storage.db import Database
from tests.conftest import IMPORT_TRIPS, Trips
from tests.factories import add_volunteer

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ZH_HEADER = "队伍,姓名,手机,职务,技能,Telegram ID,保险公司,保单号,保险起期,保险止期"
EN_HEADER = "team,name,phone,role,skills,telegram_id,insurer,policy,insured_from,insured_to"


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode()


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def run(
    db: Database,
    content: bytes,
    filename: str = "roster.csv",
    *,
    actor: int | None = None,
    team_scope: str | None = None,
) -> ImportReport:
    return await import_roster(db, content, filename, actor=actor, team_scope=team_scope)


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def lines_and_keys(report: ImportReport) -> list[tuple[int, str]]:
    return [(e.line, e.key) for e in report.errors]


# --- reading the file ----------------------------------------------------------


async def test_a_csv_with_chinese_headers_and_a_bom_creates_everyone(db: Database) -> None:
    report = await run(
        db,
        csv_bytes(
            ZH_HEADER,
            "SD,张伟,138 0013 8001,队长,山地搜救、绳索救援、急救,,中国平安财产保险,P1,"
            "2026-01-01,2026-12-31",
            "山地公益救援中心,李娜,138 0013 8002,副队长,山地搜救；通信,,,,,",
            "hr,王强,138 0013 8003,,水域救援,,,,,",
            bom=True,
        ),
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    roster = RosterRepository(db)
    zhang = await roster.by_phone("+8613800138001")
    assert zhang is not None
    assert (zhang.team_code, zhang.name, zhang.role.value) == ("SD", "张伟", "leader")
    assert sorted(s.code for s in zhang.skills) == ["first_aid", "mountain_search", "rope"]
    li = await roster.by_phone("+8613800138002")
    assert li is not None and li.team_code == "SD" and li.role.value == "deputy"
    wang = await roster.by_phone("+8613800138003")
    assert wang is not None and wang.team_code == "HR" and wang.role.value == "member"
    policy = await db.fetchone(
        "SELECT insurer, policy_no, start_date, end_date FROM insurance_policies"
    )
    assert policy is not None
    assert tuple(policy) == ("中国平安财产保险", "P1", "2026-01-01", "2026-12-31")


async def test_english_headers_work_too(db: Database) -> None:
    report = await run(
        db,
        csv_bytes(
            EN_HEADER,
            "LT,Yang Fan,13800138021,leader,first_aid;comms,123456789,PICC,P7,2026/2/1,2027/1/31",
        ),
    )
    assert report.ok, report.errors
    yang = await RosterRepository(db).by_phone("+8613800138021")
    assert yang is not None
    assert (yang.role.value, yang.telegram_id) == ("leader", 123456789)
    assert sorted(s.code for s in yang.skills) == ["comms", "first_aid"]


async def test_only_team_name_and_phone_columns_are_needed(db: Database) -> None:
    report = await run(db, csv_bytes("队伍,姓名,手机", "MA,周杰,138 0013 8031"))
    assert report.ok and report.created == 1
    zhou = await RosterRepository(db).by_phone("+8613800138031")
    assert zhou is not None and zhou.role.value == "member" and zhou.skills == []


async def test_a_file_without_a_phone_column_is_refused_naming_the_column(db: Database) -> None:
    with pytest.raises(DomainError) as caught:
        await run(db, csv_bytes("队伍,姓名", "SD,张伟"))
    assert caught.value.key == "error.missing_column"
    assert "phone" in caught.value.params["column"]


async def test_an_xlsx_with_real_excel_dates_and_text_dates_imports(db: Database) -> None:
    content = xlsx_bytes(
        [
            ZH_HEADER.split(","),
            # Phones and ids typed into Excel become numbers; dates become real dates.
            ["HR", "陈刚", 13800138011, "队长", "水域救援、船艇驾驶", 555001, "人保", "X1",
             datetime(2026, 3, 1), datetime(2027, 2, 28)],
            [330, "孙静", "138 0013 8051", "队员", "急救", None, "大地", "X2",
             "2026年1月1日", "2026/12/31"],
            ["QM", "吴磊", 8613800138041.0, None, None, 555002.0, "中华联合", "X3",
             46023, 46387],
        ]
    )  # fmt: skip
    report = await run(db, content, "roster.xlsx")
    assert report.ok, report.errors
    assert report.created == 3
    rows = await db.fetchall(
        "SELECT v.team_code, v.phone, v.telegram_id, p.start_date, p.end_date "
        "FROM volunteers v JOIN insurance_policies p ON p.volunteer_id = v.id ORDER BY v.id"
    )
    assert [tuple(r) for r in rows] == [
        ("HR", "+8613800138011", 555001, "2026-03-01", "2027-02-28"),
        ("330", "+8613800138051", None, "2026-01-01", "2026-12-31"),
        ("QM", "+8613800138041", 555002, "2026-01-01", "2026-12-31"),
    ]


async def test_the_sample_roster_imports_cleanly(db: Database) -> None:
    report = await run(db, (SAMPLES / "roster.csv").read_bytes())
    assert report.ok, report.errors
    assert report.created == await count(db, "volunteers") >= 12
    teams = {r[0] for r in await db.fetchall("SELECT team_code FROM volunteers")}
    assert teams == {"HR", "LT", "MA", "QM", "330", "SD"}


# --- one person, however the phone is written --------------------------------


async def test_the_three_phone_formats_are_one_person(db: Database) -> None:
    first = await run(db, csv_bytes("队伍,姓名,手机", "SD,张伟,138 0013 8001"))
    second = await run(db, csv_bytes("队伍,姓名,手机", "SD,张伟,+86-138-0013-8001"))
    third = await run(db, csv_bytes("队伍,姓名,手机", "SD,张伟,8613800138001"))
    assert (first.created, second.unchanged, third.unchanged) == (1, 1, 1)
    assert await count(db, "volunteers") == 1


async def test_the_same_phone_twice_in_one_file_names_both_lines(db: Database) -> None:
    report = await run(
        db,
        csv_bytes("队伍,姓名,手机", "SD,张伟,138 0013 8001", "SD,李娜,138 0013 8002",
                  "SD,张伟伟,+8613800138001"),
    )  # fmt: skip
    assert lines_and_keys(report) == [(4, "roster_import.duplicate_phone")]
    assert report.errors[0].params["other_line"] == 2
    text = t(report.errors[0].key, "en", **report.errors[0].params)
    assert "138 0013 8001" in text and "line 2" in text
    assert await count(db, "volunteers") == 0


# --- importing again -----------------------------------------------------------


async def test_importing_again_updates_people_without_duplicating_them(db: Database) -> None:
    original = csv_bytes(
        ZH_HEADER,
        "SD,张伟,138 0013 8001,队员,山地搜救,,,,,",
        "SD,李娜,138 0013 8002,队员,急救,,,,,",
        "SD,王强,138 0013 8003,队员,,,,,,",
    )
    assert (await run(db, original)).created == 3
    changed = csv_bytes(
        ZH_HEADER,
        "SD,张伟,138 0013 8001,队长,山地搜救、绳索救援,,,,,",
        "LT,李娜,138 0013 8002,队员,急救,,,,,",
        "SD,王强,138 0013 8003,队员,,,,,,",
        "SD,赵敏,138 0013 8004,队员,,,,,,",
    )
    report = await run(db, changed)
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    assert await count(db, "volunteers") == 4
    roster = RosterRepository(db)
    zhang = await roster.by_phone("+8613800138001")
    assert zhang is not None and zhang.role.value == "leader"
    assert sorted(s.code for s in zhang.skills) == ["mountain_search", "rope"]
    li = await roster.by_phone("+8613800138002")
    assert li is not None and li.team_code == "LT"
    again = await run(db, changed)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


async def test_skills_kept_keep_their_certificate_dates_and_new_ones_have_none(
    db: Database,
) -> None:
    await add_volunteer(
        db,
        "张伟",
        phone="+8613800138001",
        skills={"first_aid": date(2027, 5, 1), "rope": date(2026, 9, 1)},
    )
    await db.execute(
        "UPDATE volunteer_skills SET certified_on = '2024-05-01' WHERE skill_code = 'first_aid'"
    )
    report = await run(db, csv_bytes("队伍,姓名,手机,技能", "SD,张伟,138 0013 8001,急救、无人机"))
    assert report.ok and report.updated == 1
    rows = await db.fetchall(
        "SELECT skill_code, certified_on, expires_on FROM volunteer_skills ORDER BY skill_code"
    )
    assert [tuple(r) for r in rows] == [
        ("drone", None, None),
        ("first_aid", "2024-05-01", "2027-05-01"),
    ]


async def test_a_file_without_role_or_skills_columns_keeps_what_people_have(
    db: Database,
) -> None:
    await add_volunteer(db, "张伟", phone="+8613800138001", role="leader", skills=["rope"])
    report = await run(db, csv_bytes("队伍,姓名,手机", "SD,张伟,138 0013 8001"))
    assert report.unchanged == 1
    zhang = await RosterRepository(db).by_phone("+8613800138001")
    assert zhang is not None and zhang.role.value == "leader"
    assert [s.code for s in zhang.skills] == ["rope"]


async def test_an_empty_skills_cell_clears_the_skills_and_an_empty_role_means_member(
    db: Database,
) -> None:
    await add_volunteer(db, "张伟", phone="+8613800138001", role="deputy", skills=["rope"])
    report = await run(db, csv_bytes("队伍,姓名,手机,职务,技能", "SD,张伟,138 0013 8001,,"))
    assert report.updated == 1
    zhang = await RosterRepository(db).by_phone("+8613800138001")
    assert zhang is not None and zhang.role.value == "member" and zhang.skills == []


async def test_an_empty_telegram_id_cell_never_unlinks_an_account(db: Database) -> None:
    await add_volunteer(db, "张伟", phone="+8613800138001", telegram_id=4242)
    report = await run(db, csv_bytes(EN_HEADER, "SD,张伟,138 0013 8001,member,,,,,,"))
    assert report.unchanged == 1
    zhang = await RosterRepository(db).by_phone("+8613800138001")
    assert zhang is not None and zhang.telegram_id == 4242


async def test_a_policy_is_added_once_and_its_end_date_corrected(db: Database) -> None:
    header = "队伍,姓名,手机,保险公司,保单号,保险起期,保险止期"
    await run(db, csv_bytes(header, "SD,张伟,138 0013 8001,平安,P1,2026-01-01,2026-06-30"))
    same = await run(db, csv_bytes(header, "SD,张伟,138 0013 8001,平安,P1,2026-01-01,2026-06-30"))
    fixed = await run(db, csv_bytes(header, "SD,张伟,138 0013 8001,平安,P1,2026-01-01,2026-12-31"))
    assert (same.unchanged, fixed.updated) == (1, 1)
    rows = await db.fetchall("SELECT policy_no, end_date FROM insurance_policies")
    assert [tuple(r) for r in rows] == [("P1", "2026-12-31")]


async def test_skills_match_codes_labels_and_aliases_in_any_case_including_a_team_skill(
    db: Database,
) -> None:
    await db.execute(
        "INSERT INTO skills (code, label_zh, label_en, validity_years) "
        "VALUES ('cave', '洞穴救援', 'cave rescue', NULL)"
    )
    report = await run(
        db,
        csv_bytes(
            "队伍,姓名,手机,技能",
            'SD,张伟,138 0013 8001,"ROPE, First Aid，卫星电话、洞穴救援; Cave Rescue"',
            "SD,李娜,138 0013 8002,急救/红十字救护员",
        ),
    )
    assert report.ok, report.errors
    zhang = await RosterRepository(db).by_phone("+8613800138001")
    assert zhang is not None
    assert sorted(s.code for s in zhang.skills) == ["cave", "comms", "first_aid", "rope"]
    li = await RosterRepository(db).by_phone("+8613800138002")
    assert li is not None and [s.code for s in li.skills] == ["first_aid"]


# --- bad rows: all or nothing ------------------------------------------------------


async def test_a_file_with_three_bad_rows_is_rejected_whole_with_every_line_number(
    db: Database,
) -> None:
    report = await run(db, (SAMPLES / "roster-bad.csv").read_bytes(), actor=99)
    assert not report.ok
    assert sorted({e.line for e in report.errors}) == [3, 5, 6]
    assert lines_and_keys(report) == [
        (3, "error.unknown_team"),
        (5, "error.bad_phone"),
        (6, "roster_import.duplicate_phone"),
    ]
    for table in ("volunteers", "volunteer_skills", "insurance_policies", "audit_log"):
        assert await count(db, table) == 0


async def test_every_kind_of_bad_row_is_reported_with_its_line(db: Database) -> None:
    await add_volunteer(db, "老队员", team="HR", phone="+8613800138099", telegram_id=777)
    report = await run(
        db,
        csv_bytes(
            ZH_HEADER,
            "XX,甲,138 0013 8001,,,,,,,",  # 2 unknown team
            "SD,乙,1234,,,,,,,",  # 3 bad phone
            "SD,,138 0013 8003,,,,,,,",  # 4 missing name
            "SD,丁,138 0013 8004,总指挥,,,,,,",  # 5 unknown role
            "SD,戊,138 0013 8005,,跳伞,,,,,",  # 6 unknown skill
            "SD,己,138 0013 8006,,,12ab,,,,",  # 7 telegram id not a number
            "SD,庚,138 0013 8007,,,777,,,,",  # 8 telegram id of another person
            "SD,辛,138 0013 8008,,,,平安,P1,2026-13-01,2026-12-31",  # 9 bad date
            "SD,壬,138 0013 8009,,,,平安,P1,2026-12-31,2026-01-01",  # 10 to before from
            "SD,癸,138 0013 8010,,,,平安,,2026-01-01,",  # 11 policy half filled
            "SD,子,138 0013 8011,,,,,,,",  # 12 fine
            "SD,丑,138 0013 8011,,,,,,,",  # 13 same phone as line 12
            ",寅,138 0013 8013,,,,,,,",  # 14 no team
            "SD,卯,,,,,,,,",  # 15 no phone
        ),
    )
    assert lines_and_keys(report) == [
        (2, "error.unknown_team"),
        (3, "error.bad_phone"),
        (4, "roster_import.missing_name"),
        (5, "roster_import.unknown_role"),
        (6, "roster_import.unknown_skill"),
        (7, "roster_import.bad_telegram_id"),
        (8, "roster_import.telegram_taken"),
        (9, "roster_import.bad_insured_from"),
        (10, "roster_import.insured_to_before_from"),
        (11, "roster_import.policy_incomplete"),
        (13, "roster_import.duplicate_phone"),
        (14, "roster_import.missing_team"),
        (15, "roster_import.missing_phone"),
    ]
    # Every message renders in both languages and names what would be right.
    for error in report.errors:
        for lang in ("zh", "en"):
            assert "{" not in t(error.key, lang, **error.params)
    incomplete = report.errors[9]
    assert "保单号" in t(incomplete.key, "zh", **incomplete.params)
    assert "insured_to" in t(incomplete.key, "en", **incomplete.params)
    assert await count(db, "volunteers") == 1


async def test_one_telegram_id_on_two_rows_is_refused(db: Database) -> None:
    report = await run(
        db, csv_bytes(EN_HEADER, "SD,甲,138 0013 8001,,,555,,,,", "SD,乙,138 0013 8002,,,555,,,,")
    )
    assert lines_and_keys(report) == [(3, "roster_import.duplicate_telegram_id")]


async def test_a_telegram_id_moves_when_its_holder_gets_another_in_the_same_file(
    db: Database,
) -> None:
    await add_volunteer(db, "甲", phone="+8613800138001", telegram_id=555)
    await add_volunteer(db, "乙", phone="+8613800138002", telegram_id=666)
    # The two accounts were entered the wrong way round; the file swaps them.
    report = await run(
        db, csv_bytes(EN_HEADER, "SD,甲,138 0013 8001,,,666,,,,", "SD,乙,138 0013 8002,,,555,,,,")
    )
    assert report.ok, report.errors
    rows = await db.fetchall("SELECT name, telegram_id FROM volunteers ORDER BY name")
    assert [tuple(r) for r in rows] == [("乙", 555), ("甲", 666)]


async def test_a_newcomer_may_take_an_account_its_holder_lets_go_of_in_the_same_file(
    db: Database,
) -> None:
    await add_volunteer(db, "甲", phone="+8613800138001", telegram_id=555)
    report = await run(
        db, csv_bytes(EN_HEADER, "SD,甲,138 0013 8001,,,777,,,,", "SD,乙,138 0013 8002,,,555,,,,")
    )
    assert (report.created, report.updated) == (1, 1), report.errors
    rows = await db.fetchall("SELECT name, telegram_id FROM volunteers ORDER BY name")
    assert [tuple(r) for r in rows] == [("乙", 555), ("甲", 777)]


# --- a leader imports only their own team --------------------------------------------


async def test_a_leader_cannot_import_rows_of_another_team(db: Database) -> None:
    report = await run(
        db,
        csv_bytes("队伍,姓名,手机", "SD,张伟,138 0013 8001", "HR,陈刚,138 0013 8011"),
        actor=1001,
        team_scope="SD",
    )
    assert lines_and_keys(report) == [(3, "roster_import.other_team")]
    assert report.errors[0].params == {"team": "HR", "scope": "SD"}
    assert await count(db, "volunteers") == 0


async def test_a_leader_cannot_pull_a_volunteer_of_another_team_into_theirs(
    db: Database,
) -> None:
    await add_volunteer(db, "陈刚", team="HR", phone="+8613800138011")
    report = await run(
        db, csv_bytes("队伍,姓名,手机", "SD,陈刚,138 0013 8011"), actor=1001, team_scope="SD"
    )
    assert lines_and_keys(report) == [(2, "roster_import.other_team_person")]
    chen = await RosterRepository(db).by_phone("+8613800138011")
    assert chen is not None and chen.team_code == "HR"


async def test_a_leader_imports_their_own_team_and_it_is_audited(db: Database) -> None:
    report = await run(
        db, csv_bytes("队伍,姓名,手机", "SD,张伟,138 0013 8001"), actor=1001, team_scope="SD"
    )
    assert report.ok and report.created == 1
    audit = await db.fetchone("SELECT actor, action, detail FROM audit_log")
    assert audit is not None
    assert (audit["actor"], audit["action"]) == (1001, "import_roster")
    detail = json.loads(audit["detail"])
    assert detail["created"] == 1 and detail["team_scope"] == "SD"
    assert "138" not in audit["detail"]  # no phone numbers in the log


# --- speed --------------------------------------------------------------------------


async def test_263_rows_are_read_off_the_event_loop_and_written_in_a_few_batches(
    db: Database, tmp_path: Path, database_trips: Trips, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What keeps an import fast, asserted without a clock (its time: benchmarks/imports.py):
    # the file is parsed in a worker thread, and the rows go to the database in a bounded
    # number of statements, however many rows the file has.
    readers: list[threading.Thread] = []

    def read_rows(*args: Any) -> Any:
        readers.append(threading.current_thread())
        return tabular_read_rows(*args)

    monkeypatch.setattr(tabular, "read_rows", read_rows)
    teams = ["HR", "LT", "MA", "QM", "330", "SD"]
    rows = [
        [teams[n % 6], f"队员{n}", f"139{n:08d}", "队员", "急救、通信", 9_000_000 + n,
         "平安", f"P{n % 6}", "2026-01-01", "2026-12-31"]
        for n in range(263)
    ]  # fmt: skip
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"roster{suffix}"
        write_table(path, ZH_HEADER.split(","), rows)
        database_trips.count = 0
        report = await run(db, path.read_bytes(), path.name)
        assert report.ok, report.errors[:3]
        assert report.created + report.unchanged == 263
        assert database_trips.count <= IMPORT_TRIPS, f"{suffix}: {database_trips.count}"
    assert readers and threading.main_thread() not in readers
    assert await count(db, "volunteers") == 263


# --- the command line -----------------------------------------------------------------


def test_the_command_line_imports_the_sample_roster_and_exits_0(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "roster", str(SAMPLES / "roster.csv")]) == 0
    assert "Imported roster: 12 new, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert main(["import", "roster", str(SAMPLES / "roster.csv")]) == 0
    assert "0 new, 0 updated, 12 unchanged" in capsys.readouterr().out


def test_the_command_line_rejects_the_bad_roster_with_exit_1_and_every_line(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "roster", str(SAMPLES / "roster-bad.csv")]) == 1
    out = capsys.readouterr().err
    assert "rejected; nothing was changed" in out
    assert "line 3: There is no team “SX”" in out
    assert "line 5:" in out and "138 0013 801" in out
    assert "line 6: phone 138 0013 8001 is also on line 2" in out
