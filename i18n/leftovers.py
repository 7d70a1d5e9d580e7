"""Texts of the small finishing items: the missions report's outcome column."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "report.col.outcome": {"zh": "结果", "en": "Outcome"},
}
