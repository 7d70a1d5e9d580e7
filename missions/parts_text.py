"""A joined part as every view shows it: its own headcount, skills and place note.

A team that joined an open callout was paged for its own request (missions/parts_repository.py
keeps it in `Callout.parts`); the board, the team board, the pages of its volunteers, `/status`
and the dashboard show that request, not the first caller's skills.
"""

from __future__ import annotations

from typing import Any

from i18n.catalogue import t
from i18n.labels import join
from missions.entities import Callout


def part_skills(callout: Callout, team: str | None) -> tuple[str, ...]:
    """The skills `team` was paged for: its joined part's own, else the callout's."""
    part = callout.parts.get(team or "")
    if part is not None and "skills" in part:
        return tuple(str(code) for code in part["skills"])
    return callout.skills


def part_line(team: str, part: dict[str, Any], labels: dict[str, str], lang: str) -> str:
    """`Joined: HR, 2 · skills: boat · north bank` (a part joined before skills were kept
    shows no skills line part)."""
    needed = part.get("needed")
    skills = part.get("skills")
    names = (
        join((labels.get(str(c), str(c)) for c in skills), lang)
        if skills
        else t("board.no_skills", lang)
    )
    return t(
        "multiteam2.board.part" if skills is not None else "multiteam.board.part",
        lang,
        team=team,
        needed=needed if needed is not None else "-",
        place=part.get("place", ""),
        skills=names,
    )


def part_view(team: str, part: dict[str, Any]) -> dict[str, Any]:
    """A joined part as data (the dashboard)."""
    return {
        "team": team,
        "needed": part.get("needed"),
        "place": part.get("place", ""),
        "skills": list(part.get("skills", [])),
    }
