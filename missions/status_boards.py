"""`/status`: the boards a leader asked for, each with the live board's *Full list* button.

The boards are the caller's board text (`CalloutService.board_text`); the button is the
one under the live board, so pressing it follows the same rules (private chat; phones only
for whom the viewer may see them).
"""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import NotAllowed
from i18n.catalogue import t
from missions import render
from missions.incident_repository import IncidentRepository
from missions.ports import Buttons
from missions.service import CalloutService
from roster.model import Actor


@dataclass(frozen=True)
class StatusBoard:
    text: str
    buttons: Buttons | None = None


async def status_boards(
    service: CalloutService, actor: Actor, callout_id: int | None, *, private: bool = True
) -> list[StatusBoard]:
    """One callout's board, or every callout the actor manages that is live or in its
    return phase (closed callouts stay until everyone is home)."""
    if not actor.is_leader_or_coordinator:
        raise NotAllowed("error.leaders_only")
    if callout_id is not None:
        if not service.may_manage(actor, await service.callout(callout_id)):
            raise NotAllowed("error.not_allowed")
        ids = [callout_id]
    else:
        watched = await IncidentRepository(service.db).watched()
        ids = [c.id for c in watched if service.may_manage(actor, c)]
    if not ids:
        return [StatusBoard(t("status.none", actor.language))]
    return [
        StatusBoard(
            await service.board_text(i, actor, private=private),
            render.board_buttons(i, actor.language),
        )
        for i in ids
    ]
