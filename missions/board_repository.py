"""What one redraw of the caller's board reads, the same few rows at 263 responses or 26,300.

The board names at most the first few people of each waiting group; loading every response
row to show 25 names of each made a redraw cost grow with the callout (0.75 s at 26,300).
Here everyone taking part (confirmed, on scene: bounded by the headcount) and everyone
confirmed on another callout come in full; of each waiting group — standby, unavailable,
no reply, undeliverable by reason, left out by reason — SQL gives the count and the first
`first` rows in the board's own order. The *Full list* button still reads everything.
A team board (missions/team_boards.py) reads the same for one team's people (`team=`),
and the callout's confirmed (`confirmed`, bounded by the headcount) for its overall line.
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
    "CROSS JOIN volunteers v ON v.id = r.volunteer_id "
    "WHERE c.status IN ('open','filled') AND c.id != ? "
    "AND r.state IN ('paged','no_reply','standby') AND r.on_scene_at IS NULL{team} "
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
    "WHERE e.callout_id = ?{team}) WHERE nth <= ? ORDER BY team_code, volunteer_id"
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

    async def rows(self, callout_id: int, first: int, team: str | None = None) -> BoardRows:
        """The board's rows; of `team`'s people only when given (a team board)."""
        # Every read below joins the volunteer as `v`: one filter narrows them all.
        only, of_team = (" AND v.team_code = ?", (team,)) if team else ("", ())
        busy = {
            int(r[0]): int(r[1])
            for r in await self.db.fetchall(
                _BUSY.format(team=only), (callout_id, callout_id, *of_team)
            )
        }
        not_busy = f" AND r.volunteer_id NOT IN ({','.join('?' * len(busy))})"
        totals = {
            str(r[0]): int(r[1])
            for r in await self.db.fetchall(
                f"SELECT {_GROUP} AS grp, COUNT(*) FROM responses r"
                # the caller's board counts without the join: one table, every row
                + (" JOIN volunteers v ON v.id = r.volunteer_id" if team else "")
                + " WHERE r.callout_id = ?"
                + only
                + not_busy
                + " GROUP BY grp HAVING grp IS NOT NULL",
                (callout_id, *of_team, *busy),
            )
        }
        wanted = set(busy)
        for group, (where, order) in _FIRST.items():
            if totals.get(group):
                wanted.update(
                    int(r[0])
                    for r in await self.db.fetchall(
                        "SELECT r.volunteer_id FROM responses r JOIN volunteers v ON "
                        f"v.id = r.volunteer_id WHERE r.callout_id = ? AND {where}{only}"
                        f"{not_busy} ORDER BY {order}v.team_code, v.id LIMIT ?",
                        (callout_id, *of_team, *busy, first),
                    )
                )
        if any(group.startswith("undeliverable:") for group in totals):
            wanted.update(
                int(r[0])
                for r in await self.db.fetchall(
                    "SELECT volunteer_id FROM (SELECT r.volunteer_id, ROW_NUMBER() OVER "
                    "(PARTITION BY r.reason ORDER BY v.team_code, v.id) AS nth FROM responses r "
                    "JOIN volunteers v ON v.id = r.volunteer_id WHERE r.callout_id = ? AND "
                    f"r.state = 'undeliverable'{only}) WHERE nth <= ?",
                    (callout_id, *of_team, first),
                )
            )
        people: dict[int, PagedPerson] = {}
        for where, params in (
            # Everyone taking part, in full: bounded by the headcount, not by the callout.
            (" AND r.state = 'available'", ()),
            (" AND r.on_scene_at IS NOT NULL", ()),
            (f" AND r.volunteer_id IN ({','.join('?' * len(wanted))})", tuple(wanted)),
        ):
            for r in await self.db.fetchall(
                _PERSON_SQL + only + where, (callout_id, *of_team, *params)
            ):
                people.setdefault(r["volunteer_id"], _person(r))
        left_out = []
        for r in await self.db.fetchall(_LEFT_OUT.format(team=only), (callout_id, *of_team, first)):
            totals[f"left_out:{r['reason']}"] = int(r["total"])
            left_out.append(LeftOut(r[0], r[1], r[2], r[3], r[4], r[5]))
        ordered = sorted(people.values(), key=lambda p: (p.team_code, p.volunteer_id))
        return BoardRows(ordered, left_out, busy, totals)

    async def confirmed(self, callout_id: int) -> list[PagedPerson]:
        """Everyone confirmed on the callout, of every team: bounded by the headcount."""
        rows = await self.db.fetchall(_PERSON_SQL + " AND r.state = 'available'", (callout_id,))
        return [_person(r) for r in rows]
