"""What one redraw of the caller's board reads, the same few rows at 263 responses or 26,300.

The board names at most the first few people of each waiting group; loading every response
row to show 25 names of each made a redraw cost grow with the callout (0.75 s at 26,300).
Here everyone taking part (confirmed, on scene: bounded by the headcount) and everyone
confirmed on another callout come in full; of each waiting group — standby, unavailable,
no reply, undeliverable by reason, left out by reason — SQL gives the count and the first
`first` rows in the board's own order. The *Full list* button still reads everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from missions.repository import _PERSON_SQL, LeftOut, PagedPerson, _person
from storage.db import Database

# Who of this callout's waiting people (no reply, standby) is confirmed on another open
# callout, and the first such callout: driven (CROSS JOIN keeps this order) by the few
# confirmed on the other open callouts, not by this callout's thousands.
_BUSY = (
    "SELECT o.volunteer_id, MIN(o.callout_id) FROM callouts c "
    "CROSS JOIN responses o ON o.callout_id = c.id AND o.state = 'available' "
    "CROSS JOIN responses r ON r.callout_id = ? AND r.volunteer_id = o.volunteer_id "
    "WHERE c.status IN ('open','filled') AND c.id != ? "
    "AND r.state IN ('paged','no_reply','standby') AND r.on_scene_at IS NULL "
    "GROUP BY o.volunteer_id"
)
# The board's waiting groups (an undeliverable one per reason).
_GROUP = (
    "CASE WHEN r.state = 'standby' AND r.on_scene_at IS NULL THEN 'standby' "
    "WHEN r.state = 'unavailable' THEN 'unavailable' "
    "WHEN r.state IN ('paged','no_reply') THEN 'no_reply' "
    "WHEN r.state = 'undeliverable' THEN 'undeliverable:' || COALESCE(r.reason, 'failed') END"
)
# Each group's first rows in the board's order (after the group's own, team and id).
_FIRST = {
    "standby": (
        "r.state = 'standby' AND r.on_scene_at IS NULL",
        "r.answered_at IS NULL, r.answered_at, ",
    ),
    "unavailable": ("r.state = 'unavailable'", ""),
    "no_reply": ("r.state IN ('paged','no_reply')", "r.state = 'no_reply', "),
}
_LEFT_OUT = (
    "SELECT * FROM (SELECT e.volunteer_id, v.name, v.phone, v.team_code, e.reason, e.detail, "
    "ROW_NUMBER() OVER (PARTITION BY e.reason ORDER BY v.team_code, v.id) AS nth, "
    "COUNT(*) OVER (PARTITION BY e.reason) AS total "
    "FROM callout_exclusions e JOIN volunteers v ON v.id = e.volunteer_id "
    "WHERE e.callout_id = ?) WHERE nth <= ? ORDER BY team_code, volunteer_id"
)


@dataclass
class BoardRows:
    people: list[PagedPerson]  # taking part and busy elsewhere in full; the first of the rest
    left_out: list[LeftOut]  # the first of each reason
    busy: dict[int, int]  # volunteer id → the other open callout they are confirmed on
    # "standby", "unavailable", "no_reply", "undeliverable:<reason>", "left_out:<reason>"
    totals: dict[str, int] = field(default_factory=dict)


class BoardRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rows(self, callout_id: int, first: int) -> BoardRows:
        busy = {
            int(r[0]): int(r[1]) for r in await self.db.fetchall(_BUSY, (callout_id, callout_id))
        }
        not_busy = f" AND r.volunteer_id NOT IN ({','.join('?' * len(busy))})"
        totals = {
            str(r[0]): int(r[1])
            for r in await self.db.fetchall(
                f"SELECT {_GROUP} AS grp, COUNT(*) FROM responses r WHERE r.callout_id = ?"
                + not_busy
                + " GROUP BY grp HAVING grp IS NOT NULL",
                (callout_id, *busy),
            )
        }
        wanted = set(busy)
        for group, (where, order) in _FIRST.items():
            if totals.get(group):
                wanted.update(
                    int(r[0])
                    for r in await self.db.fetchall(
                        "SELECT r.volunteer_id FROM responses r JOIN volunteers v ON "
                        f"v.id = r.volunteer_id WHERE r.callout_id = ? AND {where}{not_busy} "
                        f"ORDER BY {order}v.team_code, v.id LIMIT ?",
                        (callout_id, *busy, first),
                    )
                )
        if any(group.startswith("undeliverable:") for group in totals):
            wanted.update(
                int(r[0])
                for r in await self.db.fetchall(
                    "SELECT volunteer_id FROM (SELECT r.volunteer_id, ROW_NUMBER() OVER "
                    "(PARTITION BY r.reason ORDER BY v.team_code, v.id) AS nth FROM responses r "
                    "JOIN volunteers v ON v.id = r.volunteer_id WHERE r.callout_id = ? AND "
                    "r.state = 'undeliverable') WHERE nth <= ?",
                    (callout_id, first),
                )
            )
        people: dict[int, PagedPerson] = {}
        for where, params in (
            # Everyone taking part, in full: bounded by the headcount, not by the callout.
            (" AND r.state = 'available'", ()),
            (" AND r.on_scene_at IS NOT NULL", ()),
            (f" AND r.volunteer_id IN ({','.join('?' * len(wanted))})", tuple(wanted)),
        ):
            for r in await self.db.fetchall(_PERSON_SQL + where, (callout_id, *params)):
                people.setdefault(r["volunteer_id"], _person(r))
        left_out = []
        for r in await self.db.fetchall(_LEFT_OUT, (callout_id, first)):
            totals[f"left_out:{r['reason']}"] = int(r["total"])
            left_out.append(LeftOut(r[0], r[1], r[2], r[3], r[4], r[5]))
        ordered = sorted(people.values(), key=lambda p: (p.team_code, p.volunteer_id))
        return BoardRows(ordered, left_out, busy, totals)
