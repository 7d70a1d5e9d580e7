"""Reading what a multi-team callout's parts need beyond the incident read model: the
slot skills each confirmed person was paged with (`responses.slot_skills`)."""

from __future__ import annotations

import json

from storage.db import Database


async def slot_skills(db: Database, callout_ids: list[int]) -> dict[int, dict[int, frozenset[str]]]:
    """Callout → volunteer → the slot skills they hold, for confirmed people with any;
    one range query over every callout shown."""
    found: dict[int, dict[int, frozenset[str]]] = {i: {} for i in callout_ids}
    if not callout_ids:
        return found
    marks = ",".join("?" * len(callout_ids))
    for row in await db.fetchall(
        "SELECT callout_id, volunteer_id, slot_skills FROM responses "
        f"WHERE callout_id IN ({marks}) AND state = 'available' "
        "AND slot_skills <> '[]'",
        callout_ids,
    ):
        found[int(row[0])][int(row[1])] = frozenset(json.loads(row[2]))
    return found
