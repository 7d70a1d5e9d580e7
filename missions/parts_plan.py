"""What joining adds to an open callout, decided before anything is written. Pure rules.

- A joining team not yet on the callout becomes its own part with its own quota: the
  places asked for it (`team=HR:3,QM:2`), or, when one headcount was asked of several
  teams (`team=HR,QM`), that headcount split as evenly as it goes, the first teams taking
  one more each, so every place of the part belongs to a team and shows on the board.
  A headcount smaller than the number of joining teams cannot be split (a team without a
  place would be paged for nothing): the join is refused and nothing changes.
- A team already on the callout is not paged twice and its places stay as they are (a team
  has one part, with one place note and one set of skills, so a second request cannot be
  merged into it); the joining caller is told so, with what was not added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from common.errors import DomainError


@dataclass(frozen=True)
class AlreadyOn:
    """A team of the joining request that is on the callout already."""

    team: str
    quota: int | None  # its places on the callout; None: it has no quota of its own
    asked: int | None  # the places the joining caller asked of it; None: one shared headcount


@dataclass(frozen=True)
class JoinPlan:
    quotas: dict[str, int]  # each joining team's places, in the order asked
    already: tuple[AlreadyOn, ...] = ()
    split: bool = False  # one headcount split among several teams (the board says so)

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(self.quotas)

    @property
    def needed(self) -> int:
        """The part's headcount: its teams' places."""
        return sum(self.quotas.values())


@dataclass(frozen=True)
class JoinOutcome:
    """What a join did, for the joining caller's reply (missions/parts_text.py)."""

    callout_id: int
    plan: JoinPlan
    paged: int  # people newly paged
    needed: int  # the headcount the joining caller asked for
    callout_needed: int  # the callout's headcount, for teams without a quota of their own


def split_evenly(needed: int, teams: Sequence[str]) -> dict[str, int]:
    """`needed` places among `teams`, as evenly as it goes, the first teams one more each
    (7 among HR, QM, SD: 3, 2, 2); each team at least one place."""
    if needed < len(teams):
        raise DomainError(
            "multiteam.error.join_split",
            needed=needed,
            count=len(teams),
            teams=", ".join(teams),
            example=",".join(f"{team}:1" for team in teams),
        )
    share, rest = divmod(needed, len(teams))
    return {team: share + (1 if index < rest else 0) for index, team in enumerate(teams)}


def plan_join(
    on_callout: Mapping[str, int | None],
    teams: Sequence[str],
    quotas: Sequence[int],
    needed: int,
) -> JoinPlan:
    """The join of a request (`teams`, their `quotas` if any, its headcount `needed`) to a
    callout whose teams are `on_callout` (team → its quota, None when it has none)."""
    asked = dict(zip(teams, quotas, strict=True)) if quotas else {}
    already = tuple(
        AlreadyOn(team, on_callout[team], asked.get(team)) for team in teams if team in on_callout
    )
    joining = [team for team in teams if team not in on_callout]
    if not joining:
        return JoinPlan({}, already)
    if asked:
        return JoinPlan({team: asked[team] for team in joining}, already)
    # One headcount for the joining teams: the teams already on keep theirs, so all of it
    # goes to the teams that join.
    return JoinPlan(split_evenly(needed, joining), already, split=len(joining) > 1)
