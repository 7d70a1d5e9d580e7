"""The default data set: the six teams and the skill taxonomy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    focus: str


@dataclass(frozen=True)
class SkillKind:
    code: str
    label_zh: str
    label_en: str
    validity_years: int | None


TEAMS: tuple[Team, ...] = (
    Team("HR", "宏瑞水上应急救援中心", "water"),
    Team("LT", "蓝天公益救援中心", "general,mountain,water"),
    Team("MA", "民安公益救援中心", "general"),
    Team("QM", "汽车摩托车游艇运动协会", "vehicles,boats"),
    Team("330", "叁叁零公益救援中心", "general"),
    Team("SD", "山地公益救援中心", "mountain"),
)

SKILLS: tuple[SkillKind, ...] = (
    SkillKind("mountain_search", "山地搜救", "mountain search", None),
    SkillKind("water_rescue", "水域救援", "water rescue", None),
    SkillKind("swiftwater", "激流救援", "swiftwater rescue", 3),
    SkillKind("rope", "绳索救援", "rope rescue", 3),
    SkillKind("diving", "潜水", "diving", None),
    SkillKind("first_aid", "急救", "first aid", 3),
    SkillKind("medical", "医疗", "medical", None),
    SkillKind("drone", "无人机", "drone", 2),
    SkillKind("boat", "船艇驾驶", "boat handling", 5),
    SkillKind("comms", "通信", "communications", None),
    SkillKind("usar", "建筑物倒塌搜救", "USAR", None),
    SkillKind("hazmat", "危化品", "hazmat", None),
    SkillKind("logistics", "后勤", "logistics", None),
)

# Other names people type for a skill ("急救/红十字救护员", "通信/卫星电话").
SKILL_ALIASES: dict[str, str] = {
    "红十字救护员": "first_aid",
    "卫星电话": "comms",
    "first aid": "first_aid",
}

ROLES: tuple[str, ...] = ("member", "deputy", "leader")
ROLE_ALIASES: dict[str, str] = {
    "member": "member",
    "队员": "member",
    "deputy": "deputy",
    "副队长": "deputy",
    "leader": "leader",
    "队长": "leader",
}
