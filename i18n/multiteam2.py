"""Texts of the second round of the several-teams work: joined parts' skills, the
step-by-step quota and slot steps of `/callout`."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "multiteam2.list_sep": {"zh": "、", "en": ", "},
    "multiteam2.board.part": {
        "zh": "  加入的队伍 {team}：{needed} 人 · 技能：{skills} · {place}",
        "en": "  Joined: {team}, {needed} · skills: {skills} · {place}",
    },
}
