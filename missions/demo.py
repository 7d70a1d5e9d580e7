"""A year of demo missions (59 in the last year) over the six teams, with participants.

Types follow each team's focus; a few long mountain jobs echo the bureau's real ones
(a 5-hour grouped search, a 9-hour relay carry). Reproducible from `rng` and `today`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from missions.mission_repository import DemoMission, MissionRecords
from roster.service import RosterService
from storage.db import Database
from storage.unit_of_work import UnitOfWork

MISSIONS_PER_YEAR = 59
TZ = ZoneInfo("Asia/Shanghai")  # the demo bureau's calendar

# Per team: (mission type, weight) by focus.
TEAM_TYPES: dict[str, list[tuple[str, int]]] = {
    "SD": [("mountain", 8), ("drill", 1), ("event", 1)],
    "LT": [("mountain", 3), ("flood", 2), ("water", 2), ("urban", 1), ("typhoon", 1), ("event", 1)],
    "HR": [("water", 4), ("drowning", 3), ("flood", 2), ("typhoon", 1)],
    "MA": [("urban", 2), ("medical", 2), ("event", 2), ("traffic", 1), ("earthquake", 1)],
    "QM": [("traffic", 3), ("flood", 2), ("water", 1), ("event", 1)],
    "330": [("urban", 2), ("event", 2), ("medical", 1), ("typhoon", 1), ("drill", 1)],
}
TEAM_WEIGHTS = {"LT": 14, "SD": 13, "HR": 11, "MA": 8, "330": 7, "QM": 6}
PLACES = [
    "凤凰山西坡",
    "九溪十八涧",
    "钱塘江南岸",
    "西湖区留下镇",
    "龙井村",
    "北高峰",
    "运河拱宸桥",
    "城东立交",
    "湘湖",
    "富春江大坝",
    "梅家坞",
    "天目山路隧道",
    "下沙大学城",
    "超山",
]
NOTES = {
    "mountain": [
        "徒步者迷路，分组搜索5小时后找到",
        "伤者脚踝骨折，接力担架转运9小时",
        "夜间搜寻失联驴友",
    ],
    "flood": ["转移被困群众", "地下车库排涝"],
    "water": ["落水者救起", "皮划艇翻覆救援"],
    "drowning": ["溺水者打捞", "协助公安打捞"],
    "traffic": ["高速连环追尾救援", "车辆落水"],
    "typhoon": ["台风期间备勤", "倒伏树木清障"],
    "earthquake": ["山体滑坡排查", "地质灾害点巡查"],
    "urban": ["电梯困人", "高空坠物排险"],
    "medical": ["马拉松医疗保障", "社区急救培训保障"],
    "event": ["大型活动安保", "演唱会现场保障"],
    "drill": ["联合演练"],
    "other": ["其他任务"],
}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _mission(
    rng: random.Random, day: date, teams: list[str], members: dict[str, list[int]]
) -> DemoMission:
    """One mission on `day` (the draws in a fixed order: one seed, one year of missions)."""
    lead = rng.choices(teams, weights=[TEAM_WEIGHTS[c] for c in teams])[0]
    kind = _pick(rng, TEAM_TYPES[lead])
    involved = [lead]
    if rng.random() < 0.25:  # now and then two teams go together
        other = rng.choice([c for c in teams if c != lead] or [lead])
        if other not in involved:
            involved.append(other)
    hours = round(rng.choice([1.5, 2, 3, 4, 5, 6, 9]) * rng.uniform(0.8, 1.2), 1)
    start = datetime.combine(day, time(rng.randint(6, 22), rng.choice([0, 15, 30, 45])), TZ)
    people: set[int] = set()
    for code in involved:
        pool = members[code]
        people.update(rng.sample(pool, min(len(pool), rng.randint(3, 12))))
    location = rng.choice(PLACES)
    rescued = rng.choice([0, 0, 1, 1, 1, 2, 3]) if kind not in ("event", "drill") else 0
    notes = rng.choice(NOTES[kind])
    return DemoMission(
        type=kind,
        teams=involved,
        started_at=start,
        ended_at=start + timedelta(hours=hours),
        location=location,
        rescued=rescued,
        notes=notes,
        hours={vid: round(hours * rng.uniform(0.7, 1.0), 1) for vid in sorted(people)},
    )


async def seed_missions(db: Database, rng: random.Random, today: date) -> None:
    """Add MISSIONS_PER_YEAR missions in the year before `today`, in one transaction."""
    members: dict[str, list[int]] = {}
    for volunteer in await RosterService(db).all_volunteers():
        if volunteer.active:
            members.setdefault(volunteer.team_code, []).append(volunteer.id)
    teams = [code for code in TEAM_WEIGHTS if members.get(code)]
    if not teams:
        return  # no roster, no missions
    days = sorted(today - timedelta(days=rng.randint(1, 365)) for _ in range(MISSIONS_PER_YEAR))
    async with UnitOfWork(db) as uow:
        records = uow.repo(MissionRecords)
        for day in days:
            await records.add_demo(_mission(rng, day, teams, members))
        await uow.audit(None, "demo_missions", count=len(days))
