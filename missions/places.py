"""Who may take a place on a callout with per-team quotas and skill slots. Pure rules.

- A quota (`team=HR:3,QM:3`) caps how many of one team are confirmed; the headcount is the
  quotas' sum. Teams added later (widen) have no quota and share whatever is left.
- A slot (`need=water_rescue:2`) reserves places of the headcount for holders of a skill.
  A person fills at most one slot, and slots fill before the free places: a confirmed
  person is placed in a slot whenever some assignment allows it (maximum matching), so a
  person without the skill can only take one of the free places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from common.errors import DomainError
from common.numbers import plain_int

MAX_PARTS = 20  # teams or slots named in one option


@dataclass(frozen=True)
class Candidate:
    """A person as the filling rules see them: their team and the slot skills they hold."""

    volunteer_id: int
    team: str
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Places:
    needed: int
    quotas: Mapping[str, int] = field(default_factory=dict)  # team → places (empty: none)
    slots: Mapping[str, int] = field(default_factory=dict)  # skill → places within needed

    @property
    def free(self) -> int:
        """Places nobody needs a particular skill for."""
        return self.needed - sum(self.slots.values())

    @property
    def plain(self) -> bool:
        """No quotas and no slots: the plain headcount rule applies."""
        return not self.quotas and not self.slots

    def assign(self, people: Sequence[Candidate]) -> dict[int, str | None] | None:
        """Each person's place (a slot's skill, or None for a free place), slots first;
        None when these people cannot all be placed."""
        if len(people) > self.needed:
            return None
        teams: dict[str, int] = {}
        for person in people:
            teams[person.team] = teams.get(person.team, 0) + 1
        for team, count in teams.items():
            if team in self.quotas and count > self.quotas[team]:
                return None
        matched = self._match_slots(people)
        if len(people) - len(matched) > self.free:
            return None
        return {p.volunteer_id: matched.get(p.volunteer_id) for p in people}

    def fits(self, people: Sequence[Candidate]) -> bool:
        return self.assign(people) is not None

    def _match_slots(self, people: Sequence[Candidate]) -> dict[int, str]:
        """Maximum matching of people to slot places (Kuhn's augmenting paths): at most a
        few hundred people and places, so this stays well under a millisecond per tap."""
        places = [skill for skill, count in self.slots.items() for _ in range(count)]
        holder: list[int | None] = [None] * len(places)
        by_id = {p.volunteer_id: p for p in people}

        def augment(vid: int, seen: set[int]) -> bool:
            for index, skill in enumerate(places):
                if index in seen or skill not in by_id[vid].skills:
                    continue
                seen.add(index)
                current = holder[index]
                if current is None or augment(current, seen):
                    holder[index] = vid
                    return True
            return False

        for person in people:
            if person.skills & self.slots.keys():
                augment(person.volunteer_id, set())
        return {vid: places[i] for i, vid in enumerate(holder) if vid is not None}

    def tally(self, people: Sequence[Candidate]) -> tuple[dict[str, int], dict[str, int]]:
        """(confirmed per quota team, filled per slot) for the board's k/n lines."""
        teams = {team: 0 for team in self.quotas}
        for person in people:
            if person.team in teams:
                teams[person.team] += 1
        slots = {skill: 0 for skill in self.slots}
        for skill in self._match_slots(people).values():
            slots[skill] += 1
        return teams, slots


def first_that_fits(
    places: Places, confirmed: Sequence[Candidate], waiting: Iterable[Candidate]
) -> Candidate | None:
    """The first of `waiting` (already in promotion order) who can join `confirmed`."""
    for candidate in waiting:
        if places.fits([*confirmed, candidate]):
            return candidate
    return None


# --- parsing `team=HR:3,QM:3` and `need=water_rescue:2,boat:2` ---------------------------


def split_counted(value: str, error: str) -> list[tuple[str, int]]:
    """`a:2,b:3` (also `a：2`, `、` or `，` between parts) → [(a, 2), (b, 3)]; a part
    without a count gets None-checked by the caller through `error`."""
    for sep in ("、", ";", "，"):
        value = value.replace(sep, ",")
    parts: list[tuple[str, int]] = []
    for raw in (p.strip() for p in value.split(",")):
        if not raw:
            continue
        name, sep, count = raw.replace("：", ":").rpartition(":")
        count = count.strip()
        number = plain_int(count, 300)
        if not sep or not name.strip() or number is None or number < 1:
            raise DomainError(error, value=raw)
        parts.append((name.strip(), number))
    if not parts or len(parts) > MAX_PARTS:
        raise DomainError(error, value=value)
    return parts


def has_counts(value: str) -> bool:
    return ":" in value or "：" in value


def check_places(needed: int, quotas: Mapping[str, int], slots: Mapping[str, int]) -> None:
    """Quotas must add up to the headcount; slots must fit inside it."""
    if quotas and sum(quotas.values()) != needed:
        raise DomainError("multiteam.error.quota_sum", total=sum(quotas.values()), needed=needed)
    if sum(slots.values()) > needed:
        raise DomainError("multiteam.error.slot_sum", total=sum(slots.values()), needed=needed)
