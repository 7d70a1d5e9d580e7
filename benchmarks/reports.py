"""Reports on ten years of data: each must answer in under a second.

    python -m benchmarks.reports [--years 10] [--lang zh]

Seeds a temporary database (263 volunteers, ≈600 missions with participants,
≈3000 training sessions with attendance, yearly policies and fitness tests)
with executemany, then times every report: text + XLSX, and the chart apart.
Exit status 1 if any report takes a second or more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.reporting import build_report
from common.clock import FakeClock
from common.settings import Settings
from missions.model import MISSION_TYPES
from reports.chart import render_png
from reports.model import KINDS
from reports.render import workbook_bytes
from roster.repository import RosterRepository
from roster.taxonomy import SKILLS, TEAMS
from storage.db import Database, open_database

TEAM_SIZES = {"LT": 70, "SD": 50, "HR": 45, "MA": 35, "330": 33, "QM": 30}  # 263 in all
MISSIONS_PER_YEAR = 60
SESSIONS_PER_YEAR = 300
LIMIT_SECONDS = 1.0


async def seed_history(
    db: Database,
    *,
    today: date,
    years: int = 10,
    rng: random.Random | None = None,
    missions_per_year: int = MISSIONS_PER_YEAR,
    sessions_per_year: int = SESSIONS_PER_YEAR,
) -> None:
    """Fill a migrated database with `years` of history up to `today`, in one transaction."""
    rng = rng or random.Random(59)
    await RosterRepository(db).seed_reference_data()
    first_year = today.year - years + 1
    now = datetime.now(UTC).isoformat(timespec="seconds")
    volunteers: list[tuple[object, ...]] = []
    members: dict[str, list[int]] = {}
    number = 0
    for team, size in TEAM_SIZES.items():
        for i in range(size):
            number += 1
            role = "leader" if i == 0 else "deputy" if i == 1 else "member"
            linked = rng.random() < 0.85
            away = today + timedelta(days=5) if rng.random() < 0.03 else None
            volunteers.append(
                (
                    number,
                    team,
                    f"队员{number:03d}",
                    f"+86139{number:08d}",
                    role,
                    7_000_000 + number if linked else None,
                    int(rng.random() > 0.02),
                    away.isoformat() if away else None,
                    now,
                    now,
                )
            )
            members.setdefault(team, []).append(number)
    skills = [
        (vid, skill.code, None, (today + timedelta(days=rng.randint(-400, 900))).isoformat())
        for vid in range(1, number + 1)
        for skill in rng.sample(SKILLS, 3)
    ]
    policies = [
        (vid, "平安保险", f"P{vid}-{y}", 500000, f"{y}-01-01", f"{y}-12-31")
        for vid in range(1, number + 1)
        for y in range(first_year, today.year + 1)
        if rng.random() > 0.03
    ]
    fitness = [
        (vid, f"{y}-{rng.randint(3, 10):02d}-15", "{}", int(rng.random() < 0.75))
        for vid in range(1, number + 1)
        for y in range(first_year, today.year + 1)
    ]
    sessions: list[tuple[object, ...]] = []
    attendance: list[tuple[int, int]] = []
    missions: list[tuple[object, ...]] = []
    participants: list[tuple[int, int, float]] = []
    codes = [t.code for t in TEAMS]
    types = list(MISSION_TYPES)
    session_id = mission_id = 0
    for year in range(first_year, today.year + 1):
        last_day = today if year == today.year else date(year, 12, 31)
        span = (last_day - date(year, 1, 1)).days
        for k in range(sessions_per_year):
            session_id += 1
            team = codes[k % len(codes)]
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
            sessions.append(
                (session_id, team, day.isoformat(), f"训练 {session_id}", "drill", 4.0, None)
            )
            for vid in rng.sample(members[team], min(len(members[team]), rng.randint(8, 20))):
                attendance.append((session_id, vid))
        for _ in range(missions_per_year):
            mission_id += 1
            chosen = rng.sample(codes, rng.choice((1, 1, 2)))
            start = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, span * 1440)
            )
            hours = rng.choice((2.0, 4.0, 5.0, 9.0))
            missions.append(
                (
                    mission_id,
                    rng.choice(types),
                    json.dumps(chosen),
                    start.isoformat(timespec="seconds"),
                    (start + timedelta(hours=hours)).isoformat(timespec="seconds"),
                    rng.randint(0, 3),
                )
            )
            crew = [v for c in chosen for v in members[c]]
            for vid in rng.sample(crew, min(len(crew), rng.randint(5, 15))):
                participants.append((mission_id, vid, hours))
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO volunteers (id, team_code, name, phone, role, telegram_id, active, "
            "away_until, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            volunteers,
        )
        await conn.executemany(
            "INSERT INTO volunteer_skills (volunteer_id, skill_code, certified_on, expires_on) "
            "VALUES (?,?,?,?)",
            skills,
        )
        await conn.executemany(
            "INSERT INTO insurance_policies (volunteer_id, insurer, policy_no, coverage, "
            "start_date, end_date) VALUES (?,?,?,?,?,?)",
            policies,
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO fitness_tests (volunteer_id, date, results, passed) "
            "VALUES (?,?,?,?)",
            fitness,
        )
        await conn.executemany(
            "INSERT INTO training_sessions (id, team_code, date, title, kind, hours, created_by) "
            "VALUES (?,?,?,?,?,?,?)",
            sessions,
        )
        await conn.executemany(
            "INSERT INTO training_attendance (session_id, volunteer_id) VALUES (?,?)", attendance
        )
        await conn.executemany(
            "INSERT INTO missions (id, type, teams, started_at, ended_at, rescued) "
            "VALUES (?,?,?,?,?,?)",
            missions,
        )
        await conn.executemany(
            "INSERT INTO mission_participants (mission_id, volunteer_id, hours) VALUES (?,?,?)",
            participants,
        )
    await db.execute("ANALYZE")


async def _run(years: int, lang: str) -> int:
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, RESCUEBOT_DB=str(path), RESCUEBOT_TIMEZONE="Asia/Shanghai"
        )
        db = await open_database(path)
        try:
            started = time.perf_counter()
            await seed_history(db, today=today, years=years)
            seeded = time.perf_counter() - started
            counts = {
                table: (await db.fetchone(f"SELECT COUNT(*) FROM {table}") or (0,))[0]
                for table in (
                    "volunteers",
                    "missions",
                    "mission_participants",
                    "training_sessions",
                    "training_attendance",
                    "insurance_policies",
                    "fitness_tests",
                )
            }
            print(f"seeded {years} years in {seeded:.2f} s: {counts}")
            clock = FakeClock(datetime.now(UTC))
            slow = False
            print(f"{'report':<10} {'scope':<6} {'text+xlsx':>10} {'chart':>8}")
            for kind in KINDS:
                for team in (None, "SD"):
                    started = time.perf_counter()
                    rendered = await build_report(
                        db, settings, kind, today.year - 1, lang, team=team, clock=clock
                    )
                    workbook_bytes(rendered.sheets)
                    text_xlsx = time.perf_counter() - started
                    chart = 0.0
                    if rendered.chart is not None:
                        started = time.perf_counter()
                        render_png(rendered.chart)
                        chart = time.perf_counter() - started
                    slow |= text_xlsx >= LIMIT_SECONDS or chart >= LIMIT_SECONDS
                    chart_text = f"{chart:7.3f}s" if rendered.chart is not None else "       -"
                    print(f"{kind:<10} {team or 'all':<6} {text_xlsx:9.3f}s {chart_text}")
        finally:
            await db.close()
    print("FAIL: a report took a second or more" if slow else f"all under {LIMIT_SECONDS:g} s")
    return 1 if slow else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args()
    return asyncio.run(_run(args.years, args.lang))


if __name__ == "__main__":
    sys.exit(main())
