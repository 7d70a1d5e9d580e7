"""A joined part as every view shows it: its own headcount, skills and place note.

A team that joined an open callout was paged for its own request (missions/parts_repository.py
keeps it in `Callout.parts`); the board, the team board, the pages of its volunteers, `/status`
and the dashboard show that request, not the first caller's skills. The joining caller's
reply says what the join added and what it did not (missions/parts_plan.py).
"""

from __future__ import annotations

from typing import Any

from i18n.catalogue import t
from i18n.labels import join
from missions.entities import Callout
from missions.parts_plan import AlreadyOn, JoinOutcome


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
    line = t(
        "multiteam2.board.part" if skills is not None else "multiteam.board.part",
        lang,
        team=team,
        needed=needed if needed is not None else "-",
        place=part.get("place", ""),
        skills=names,
    )
    shared = part.get("shared")
    if shared:
        # One headcount asked of several teams: each line says how it was shared out.
        teams = join((str(code) for code in shared["teams"]), lang)
        line += t("multiteam2.board.split", lang, needed=shared["needed"], teams=teams)
    return line


def part_view(team: str, part: dict[str, Any]) -> dict[str, Any]:
    """A joined part as data (the dashboard)."""
    return {
        "team": team,
        "needed": part.get("needed"),
        "place": part.get("place", ""),
        "skills": list(part.get("skills", [])),
    }


def _places(places: dict[str, int], lang: str) -> str:
    return join(
        (t("multiteam.join.places", lang, team=k, count=n) for k, n in places.items()),
        lang,
    )


def _on_callout(team: AlreadyOn, callout_needed: int, lang: str) -> str:
    if team.quota is None:
        return t("multiteam.join.team_shared", lang, team=team.team, needed=callout_needed)
    return t("multiteam.join.team_quota", lang, team=team.team, quota=team.quota)


def join_reply(outcome: JoinOutcome, lang: str) -> str:
    """The joining caller's reply: how many were paged, how a shared headcount was split,
    and which of their teams were on the callout already (with what was not added)."""
    plan = outcome.plan
    already = join((_on_callout(a, outcome.callout_needed, lang) for a in plan.already), lang)
    lines = [t("callout.joined", lang, id=outcome.callout_id, count=outcome.paged)]
    if not plan.teams:
        lines.append(
            t(
                "multiteam.join.already_all",
                lang,
                id=outcome.callout_id,
                teams=already,
                needed=outcome.needed,
            )
        )
        return "\n".join(lines)
    if plan.split:
        lines.append(
            t("multiteam.join.split", lang, needed=plan.needed, shares=_places(plan.quotas, lang))
        )
    if plan.already:
        lines.append(t("multiteam.join.some_on", lang, teams=already))
        asked = {a.team: a.asked for a in plan.already if a.asked is not None}
        if asked:
            lines.append(t("multiteam.join.not_added", lang, asked=_places(asked, lang)))
    return "\n".join(lines)
