"""`/update ID text…`: a leader's word to everyone still going (confirmed and standby).

"New meeting point", "bring ropes": sent to each confirmed and standby responder (not to
those who said unavailable), all at once so the rate limiter paces it like the pages, with
a map pin when the leader shared a location just before. Like a page, each message is sent
again while Telegram is unreachable, until it arrives or the callout ends. A leader of one
team's part reaches their own team's responders; the caller and coordinators reach everyone.
"""

from __future__ import annotations

from common.errors import DomainError, NotAllowed
from i18n.catalogue import t
from missions.delivery import all_of
from missions.entities import PagedPerson
from missions.model import MAX_DESCRIPTION, State, type_label
from missions.service import CalloutService
from missions.update_repository import UpdateLog
from roster.model import Actor

GOING = (State.AVAILABLE, State.STANDBY)


class UpdateService:
    def __init__(self, callouts: CalloutService) -> None:
        self.callouts = callouts

    async def send(self, actor: Actor, callout_id: int, text: str) -> int:
        """Send the update; the number of responders it went to."""
        text = text.strip()
        if not text:
            raise DomainError("multiteam.update.usage")
        if len(text) > MAX_DESCRIPTION:
            raise DomainError("multiteam.update.too_long", length=len(text), max=MAX_DESCRIPTION)
        callout = await self.callouts.callout(callout_id)
        if not self.callouts.may_manage(actor, callout):
            raise NotAllowed("error.not_allowed")
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        whole = await self.callouts.manages_whole(actor, callout)
        people = [
            p
            for p in await self.callouts.repo.people(callout_id)
            if (p.state in GOING or p.on_scene_at is not None)
            and p.home_safe_at is None
            and p.chat_id is not None
            and (whole or actor.leads(p.team_code))
        ]
        point = await self.callouts.recent_location(actor.telegram_id)
        author = actor.volunteer.name if actor.volunteer else t("role.coordinator", actor.language)
        notifier = self.callouts.notifier
        default = self.callouts.config.language

        async def one(person: PagedPerson) -> None:
            assert person.chat_id is not None
            lang = person.language or default
            await self.callouts.deliver(
                person.chat_id,
                t(
                    "multiteam.update.message",
                    lang,
                    id=callout.id,
                    type=type_label(callout.type, lang),
                    author=author,
                    text=text,
                ),
                callout_id=callout.id,
                reply_to=person.message_id,
                location=point,
            )

        async def everyone() -> None:
            await all_of(*(one(p) for p in people))

        # In the background, each tried until it arrives or the callout ends: the leader
        # hears at once whom it goes to, and an outage does not hold up the command.
        self.callouts.spawn(everyone())
        now = self.callouts.clock.now()
        await UpdateLog(self.callouts.db).record(
            actor.telegram_id, callout_id, now, recipients=len(people), pin=point is not None
        )
        notifier.board_changed(callout_id)
        return len(people)
