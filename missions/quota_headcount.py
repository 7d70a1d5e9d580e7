"""The headcount of a callout with quotas or slots: `Headcount`'s taps, `Places`' rules.

Everyone confirmed and on standby is loaded (a tap on such a callout needs to know who
holds which place); plain callouts keep the cheaper `Headcount`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from missions.model import Headcount, State
from missions.places import Candidate, Places, first_that_fits


@dataclass
class QuotaHeadcount(Headcount):
    places: Places = field(default_factory=lambda: Places(0))
    people: dict[int, Candidate] = field(default_factory=dict)  # everyone in `responses`

    def placed(self) -> list[Candidate]:
        """The confirmed, first confirmed first."""
        ordered = sorted(
            self.confirmed(), key=lambda r: (r.confirmed_at or datetime.max, r.volunteer_id)
        )
        return [self.people[r.volunteer_id] for r in ordered]

    def has_place(self, volunteer_id: int) -> bool:
        """Only if everyone confirmed can still be placed with this person too (their
        team's quota, a slot they hold or a free place)."""
        return self.places.fits([*self.placed(), self.people[volunteer_id]])

    def promote(self, now: datetime) -> int | None:
        """The first standby person who fits the freed place moves up; someone who does
        not fit (wrong team, no missing skill) keeps waiting."""
        waiting = [self.people[r.volunteer_id] for r in self.standby()]
        chosen = first_that_fits(self.places, self.placed(), waiting)
        if chosen is None:
            return None
        response = self.responses[chosen.volunteer_id]
        response.state = State.AVAILABLE
        response.confirmed_at = now
        return chosen.volunteer_id

    def promote_all(self, now: datetime) -> list[int]:
        # A slot holder moving up into a slot can leave the freed free place still open:
        # keep promoting while someone fits.
        moved: list[int] = []
        while (promoted := self.promote(now)) is not None:
            moved.append(promoted)
        return moved
