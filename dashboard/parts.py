"""A multi-team callout's parts as the page shows them: per team and per skill slot,
confirmed k/n, counted by the same rule as the chat board (`Places.tally`: confirmed
people only, each in one slot at most, slots by maximum matching). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n.labels import label
from missions.incident import ResponderView
from missions.model import State
from missions.places import Candidate
from missions.repository import Callout


def has_parts(callout: Callout) -> bool:
    """Quotas, skill slots or a joined team's part: the chat board has k/n lines for it."""
    return not callout.places.plain or bool(callout.parts)


def callout_parts(
    callout: Callout,
    views: list[ResponderView],
    slot_skills: Mapping[int, frozenset[str]],
    lang: str,
) -> dict[str, Any] | None:
    """`teams`: every team of the callout, confirmed and its places (a quota, a joined
    team's own count, else null: that team shares the free places); `slots`: each `need=`
    skill, filled and needed. None for a plain callout (the headcount says it all)."""
    if not has_parts(callout):
        return None
    confirmed = [
        Candidate(v.volunteer_id, v.team_code, slot_skills.get(v.volunteer_id, frozenset()))
        for v in views
        if v.state is State.AVAILABLE
    ]
    _, filled = callout.places.tally(confirmed)
    teams = [
        {
            "team": team,
            "confirmed": sum(1 for c in confirmed if c.team == team),
            "needed": callout.quotas.get(team, callout.parts.get(team, {}).get("needed")),
        }
        for team in callout.teams
    ]
    slots = [
        {
            "skill": code,
            "label": label("skill", code, lang),
            "filled": filled.get(code, 0),
            "needed": needed,
        }
        for code, needed in callout.slots.items()
    ]
    return {"teams": teams, "slots": slots}
