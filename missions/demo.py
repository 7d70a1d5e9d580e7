"""A year of demo missions (59 in the last year) over the six teams, with participants.

Types follow each team's focus; a few long mountain jobs echo the bureau's real ones
(a 5-hour grouped search, a 9-hour relay carry). Reproducible from `rng` and `today`.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from common.clock import iso
from storage.db import Database, audit_in

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


async def seed_missions(db: Database, rng: random.Random, today: date) -> None:
    """Add MISSIONS_PER_YEAR missions in the year before `today`, in one transaction."""
    rows = await db.fetchall("SELECT id, team_code FROM volunteers WHERE active = 1")
    members: dict[str, list[int]] = {}
    for row in rows:
        members.setdefault(row[1], []).append(int(row[0]))
    teams = [code for code in TEAM_WEIGHTS if members.get(code)]
    if not teams:
        return  # no roster, no missions
    days = sorted(today - timedelta(days=rng.randint(1, 365)) for _ in range(MISSIONS_PER_YEAR))
    async with db.transaction() as conn:
        for day in days:
            lead = rng.choices(teams, weights=[TEAM_WEIGHTS[c] for c in teams])[0]
            kind = _pick(rng, TEAM_TYPES[lead])
            involved = [lead]
            if rng.random() < 0.25:  # now and then two teams go together
                other = rng.choice([c for c in teams if c != lead] or [lead])
                if other not in involved:
                    involved.append(other)
            hours = round(rng.choice([1.5, 2, 3, 4, 5, 6, 9]) * rng.uniform(0.8, 1.2), 1)
            start = datetime.combine(day, time(rng.randint(6, 22), rng.choice([0, 15, 30, 45])), TZ)
            end = start + timedelta(hours=hours)
            people: set[int] = set()
            for code in involved:
                pool = members[code]
                people.update(rng.sample(pool, min(len(pool), rng.randint(3, 12))))
            cur = await conn.execute(
                "INSERT INTO missions (type, teams, started_at, ended_at, location, rescued, "
                "outcome, notes) VALUES (?,?,?,?,?,?,?,?)",
                (
                    kind,
                    json.dumps(involved),
                    iso(start),
                    iso(end),
                    rng.choice(PLACES),
                    rng.choice([0, 0, 1, 1, 1, 2, 3]) if kind not in ("event", "drill") else 0,
                    "",
                    rng.choice(NOTES[kind]),
                ),
            )
            mission_id = int(cur.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO mission_participants (mission_id, volunteer_id, hours) VALUES (?,?,?)",
                [
                    (mission_id, vid, round(hours * rng.uniform(0.7, 1.0), 1))
                    for vid in sorted(people)
                ],
            )
        await audit_in(conn, None, "demo_missions", count=len(days))
