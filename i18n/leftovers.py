"""Texts of the small finishing items: the missions report's outcome column and the
dashboard's per-team and per-slot counts of a multi-team callout."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "report.col.outcome": {"zh": "结果", "en": "Outcome"},
    "dashboard.parts_teams": {"zh": "各队", "en": "Teams"},
    "dashboard.parts_slots": {"zh": "技能名额", "en": "Skill slots"},
}
