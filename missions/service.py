"""The callout use cases: page, gather replies, escalate, widen, cancel, close, log missions.

Talks to people only through the `Notifier` port, so a script (or a unit test)
can drive a whole incident: `start` → `tap` … → `close`, then `drain()`.

`CalloutService` is the façade: each job lives in a module of its own, built on the
shared core in turn (missions/service_core.py → paging.py → joining.py → taps.py →
escalation.py → ending.py), so callers keep using this one class.
"""

from __future__ import annotations

from missions.ending import Ending
from missions.model import parse_skills
from missions.service_core import (
    FOLLOW_UPS_AT_ONCE,
    LABELS_TTL,
    LOCATION_FRESH,
    PAGE_WORKERS,
    REPLY_PATIENCE,
    STILL_OUT_SHOWN,
    CalloutConfig,
    ClosedMission,
    StartResult,
    sighting_of,
)

__all__ = [
    "FOLLOW_UPS_AT_ONCE",
    "LABELS_TTL",
    "LOCATION_FRESH",
    "PAGE_WORKERS",
    "REPLY_PATIENCE",
    "STILL_OUT_SHOWN",
    "CalloutConfig",
    "CalloutService",
    "ClosedMission",
    "StartResult",
    "parse_skills",
    "sighting_of",
]


class CalloutService(Ending):
    """Every callout use case (see the modules above for each job)."""
