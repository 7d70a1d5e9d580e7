"""`rescuebot init --demo`: the six teams with a realistic synthetic year.

Each domain contributes its part (roster and insurance first, then training,
fitness and missions, which need people); the whole seed is reproducible from
one random seed and "today".
"""

from __future__ import annotations

import importlib
import random
from datetime import date

from storage.db import Database

# module:function, in dependency order; each is `async def (db, rng, today) -> None`.
SEEDERS = (
    "roster.demo:seed_roster",
    "training.demo:seed_training",
    "missions.demo:seed_missions",
)


async def seed_demo(db: Database, today: date, seed: int = 59) -> None:
    rng = random.Random(seed)
    for target in SEEDERS:
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # a feature not built yet contributes nothing
        await getattr(module, attr)(db, rng, today)
