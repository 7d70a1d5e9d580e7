"""The default data set: the six teams and the skill taxonomy."""

from __future__ import annotations

from dataclasses import dataclass

from i18n.labels import bilingual, has_label, label


@dataclass(frozen=True)
class Team:
    code: str
    name: str  # as stored: the Chinese name
    focus: str

    def label(self, lang: str) -> str:
        """The reader's name of the team (i18n/labels.py); a team unknown there, its own."""
        return label("team", self.code, lang) if has_label("team", self.code) else self.name


@dataclass(frozen=True)
class SkillKind:
    code: str
    label_zh: str
    label_en: str
    validity_years: int | None

    def label(self, lang: str) -> str:
        return bilingual(self.label_zh, self.label_en, lang)


def _team(code: str, focus: str) -> Team:
    # A team's name as stored and shown is its Chinese name; i18n/labels.py holds both.
    return Team(code, label("team", code, "zh"), focus)


def _skill(code: str, validity_years: int | None) -> SkillKind:
    return SkillKind(code, label("skill", code, "zh"), label("skill", code, "en"), validity_years)


TEAMS: tuple[Team, ...] = (
    _team("HR", "water"),
    _team("LT", "general,mountain,water"),
    _team("MA", "general"),
    _team("QM", "vehicles,boats"),
    _team("330", "general"),
    _team("SD", "mountain"),
)

# Names are in i18n/labels.py; here: which skills exist and how many years a certificate lasts.
SKILLS: tuple[SkillKind, ...] = (
    _skill("mountain_search", None),
    _skill("water_rescue", None),
    _skill("swiftwater", 3),
    _skill("rope", 3),
    _skill("diving", None),
    _skill("first_aid", 3),
    _skill("medical", None),
    _skill("drone", 2),
    _skill("boat", 5),
    _skill("comms", None),
    _skill("usar", None),
    _skill("hazmat", None),
    _skill("logistics", None),
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
