"""Demo training and fitness for `rescuebot init --demo`: a year of sessions per
team with attendance, and fitness tests with a realistic pass rate (~75%).

Runs after the roster seed; reproducible from `rng` and `today`.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from roster.service import RosterService
from storage.db import Database
from storage.unit_of_work import UnitOfWork
from training.fitness import FitnessItem, Standards, default_standards, evaluate
from training.repository import FitnessRecords, SessionRecords

# (title, kind, hours) a team of that focus typically runs.
COURSES: dict[str, list[tuple[str, str, float]]] = {
    "mountain": [
        ("山地搜救拉练", "mountain", 8),
        ("夜间搜索训练", "mountain", 4),
        ("绳索技术复训", "rope", 4),
        ("GPS 与地图判读", "theory", 2),
        ("负重徒步", "fitness", 5),
    ],
    "water": [
        ("激流救援训练", "water", 6),
        ("船艇驾驶训练", "water", 4),
        ("抛绳包与岸基救援", "water", 3),
        ("潜水搜寻训练", "water", 5),
    ],
    "general": [
        ("城市搜救演练", "drill", 6),
        ("应急通信演练", "drill", 3),
        ("后勤保障培训", "theory", 2),
        ("体能训练", "fitness", 2),
    ],
    "vehicles": [
        ("越野车辆救援", "drill", 5),
        ("船艇驾驶训练", "water", 4),
        ("车辆破拆培训", "other", 4),
    ],
}
COMMON: list[tuple[str, str, float]] = [
    ("红十字救护员复训", "first_aid", 8),
    ("心肺复苏与 AED", "first_aid", 3),
    ("安全与装备讲座", "theory", 2),
]
ITEM_PASS_ODDS = 0.93  # per item; four items → about 75% pass overall


def _result_value(rng: random.Random, item: FitnessItem, passing: bool) -> float:
    limit = item.threshold
    if item.unit == "count":
        return float(rng.randint(int(limit), int(limit) + 12) if passing else rng.randint(0, 1))
    spread = limit * (0.25 if passing else 0.2)
    if item.direction == "max":
        value = (
            rng.uniform(limit - spread, limit)
            if passing
            else rng.uniform(limit + 1, limit + spread)
        )
    else:
        value = (
            rng.uniform(limit, limit + spread)
            if passing
            else rng.uniform(limit - spread, limit - 0.01)
        )
    return round(value) if item.unit == "time" else round(value, 2)


def _values(rng: random.Random, standards: Standards) -> dict[str, float]:
    return {i.code: _result_value(rng, i, rng.random() < ITEM_PASS_ODDS) for i in standards.items}


async def seed_training(db: Database, rng: random.Random, today: date) -> None:
    roster = RosterService(db)
    teams = await roster.teams()
    standards = default_standards()
    sessions: list[tuple[str, str, str, str, float]] = []
    attendance: dict[tuple[str, str, str], list[int]] = {}
    tests: list[tuple[int, str, str, int]] = []
    for team in teams:
        members = await roster.team_members(team.code)
        focuses = [f for f in team.focus.split(",") if f in COURSES] or ["general"]
        courses = [c for f in focuses for c in COURSES[f]] + COMMON
        used: set[tuple[str, str]] = set()
        for _ in range(rng.randint(18, 30)):
            title, kind, hours = rng.choice(courses)
            day = today - timedelta(days=rng.randint(0, 364))
            if (day.isoformat(), title) in used:
                continue
            used.add((day.isoformat(), title))
            sessions.append((team.code, day.isoformat(), title, kind, hours))
            share = rng.uniform(0.3, 0.7)
            attendance[(team.code, day.isoformat(), title)] = [
                v.id for v in members if rng.random() < share
            ]
        for v in members:
            if rng.random() < 0.15:
                continue  # never tested: shows up in the leaders' monthly reminder
            day = today - timedelta(days=rng.randint(0, 420))
            result = evaluate(standards, _values(rng, standards))
            tests.append((v.id, day.isoformat(), result.to_json(), int(result.passed)))
            if not result.passed and rng.random() < 0.5:
                # Many who fail retake the test a few weeks later.
                retake = min(today, day + timedelta(days=rng.randint(14, 60)))
                if retake != day:
                    again = evaluate(standards, _values(rng, standards))
                    tests.append((v.id, retake.isoformat(), again.to_json(), int(again.passed)))
    async with UnitOfWork(db) as uow:
        records = uow.repo(SessionRecords)
        for team_code, day_text, title, kind, hours in sessions:
            await records.add_demo(
                team_code, day_text, title, kind, hours, attendance[(team_code, day_text, title)]
            )
        await uow.repo(FitnessRecords).add_demo(tests)
