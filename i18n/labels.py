"""Names of the fixed vocabularies, in one place: teams, skills, mission types, fitness items, roles.

`label(kind, code, lang)` is how code shows a code to a reader; `join(items, lang)` lists
names with the reader's separator (“、” in Chinese, “, ” in English). The domain's data
(roster/taxonomy.py, missions/model.py, training/fitness.py) takes its names from here, so
a name is changed once. Codes unknown here (a skill added to one database) show as the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from i18n.catalogue import has, t

LabelKind = Literal["skill", "team", "mission_type", "fitness", "role"]
KINDS: tuple[LabelKind, ...] = ("skill", "team", "mission_type", "fitness", "role")

# Roles had their keys before this module; the others are `label.<kind>.<code>`.
_PREFIX: dict[str, str] = {"role": "role"}


def label_key(kind: str, code: str) -> str:
    return f"{_PREFIX.get(kind, f'label.{kind}')}.{code}"


def label(kind: LabelKind, code: str, lang: str) -> str:
    """The reader's name for `code` of `kind`; the code itself if we have no name for it."""
    key = label_key(kind, code)
    return t(key, lang) if has(key) else code


def has_label(kind: LabelKind, code: str) -> bool:
    return has(label_key(kind, code))


def bilingual(zh: str, en: str, lang: str) -> str:
    """Of a name held as data in both languages (a database row, a config file), the reader's."""
    return en if lang == "en" else zh


def join(items: Iterable[str], lang: str) -> str:
    return t("list.separator", lang).join(items)


_TEAMS = {
    "HR": ("宏瑞水上应急救援中心", "Hongrui Water Emergency Rescue Centre"),
    "LT": ("蓝天公益救援中心", "Blue Sky Rescue Centre"),
    "MA": ("民安公益救援中心", "Min'an Rescue Centre"),
    "QM": ("汽车摩托车游艇运动协会", "Car, Motorcycle and Yacht Sports Association"),
    "330": ("叁叁零公益救援中心", "330 Rescue Centre"),
    "SD": ("山地公益救援中心", "Mountain Rescue Centre"),
}
_SKILLS = {
    "mountain_search": ("山地搜救", "mountain search"),
    "water_rescue": ("水域救援", "water rescue"),
    "swiftwater": ("激流救援", "swiftwater rescue"),
    "rope": ("绳索救援", "rope rescue"),
    "diving": ("潜水", "diving"),
    "first_aid": ("急救", "first aid"),
    "medical": ("医疗", "medical"),
    "drone": ("无人机", "drone"),
    "boat": ("船艇驾驶", "boat handling"),
    "comms": ("通信", "communications"),
    "usar": ("建筑物倒塌搜救", "USAR"),
    "hazmat": ("危化品", "hazmat"),
    "logistics": ("后勤", "logistics"),
}
# Menu order of the callout dialog.
_MISSION_TYPES = {
    "mountain": ("山地搜救", "mountain search"),
    "flood": ("防汛", "flood rescue"),
    "water": ("水域救援", "water rescue"),
    "drowning": ("溺水打捞", "drowning recovery"),
    "traffic": ("交通事故", "traffic accident"),
    "typhoon": ("防台", "typhoon duty"),
    "earthquake": ("地震", "earthquake"),
    "urban": ("城市救援", "urban rescue"),
    "medical": ("医疗保障", "medical cover"),
    "event": ("大型活动保障", "event cover"),
    "drill": ("演练", "drill"),
    "other": ("其他", "other"),
}
# The shipped fitness items (training/data/fitness_standards.json may name others itself).
_FITNESS = {
    "run1000": ("1000米跑", "1000 m run"),
    "pullups": ("引体向上", "pull-ups"),
    "longjump": ("立定跳远", "standing long jump"),
    "hike5k20": ("5公里负重20公斤徒步", "5 km hike with 20 kg"),
}

MESSAGES: dict[str, dict[str, str]] = {
    "list.separator": {"zh": "、", "en": ", "},
    **{
        label_key(kind, code): {"zh": zh, "en": en}
        for kind, table in (
            ("team", _TEAMS),
            ("skill", _SKILLS),
            ("mission_type", _MISSION_TYPES),
            ("fitness", _FITNESS),
        )
        for code, (zh, en) in table.items()
    },
}
