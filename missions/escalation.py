"""Escalation and widening: the reminder to those who have not replied, the
coordinators' alert (again each interval until filled, closed or muted), timers after a
restart, and paging other teams."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from common.errors import DomainError, NotAllowed
from i18n.catalogue import t
from missions import render
from missions.actions import Mute, Widen
from missions.busy_repository import ReminderRepository
from missions.delivery import all_of
from missions.entities import Callout, PagedPerson
from missions.model import (
    COORDINATORS_STAGE,
    REMIND_STAGE,
    State,
    Status,
    escalation_deadline,
    type_label,
)
from missions.ports import Button, Buttons
from missions.service_core import (
    to_ring,
)
from missions.taps import Taps
from roster.model import Actor


class Escalation(Taps):
    # --- escalation ---------------------------------------------------------------------
    async def escalate(self, callout_id: int) -> None:
        """The next stage, once: reminder (stage 1) or coordinators (stage 2)."""
        callout = await self.repo.get(callout_id)
        if callout is None or callout.status.ended or callout.escalate_at is None:
            return
        stage = callout.escalation_stage + 1
        # Past the coordinators' alert it goes on every interval until the callout ends:
        # people paged later get their reminder, and a callout still short is raised again.
        minutes = self.config.escalate_minutes
        next_at = escalation_deadline(
            callout.created_at, stage + 1, minutes
        ) or callout.created_at + timedelta(minutes=minutes * (stage + 1))
        if not await self.repo.advance_escalation(callout_id, stage, next_at):
            return
        self.notifier.schedule_escalation(callout_id, next_at)
        if callout.status is not Status.OPEN:
            return  # filled in time: nobody needs chasing
        if stage == REMIND_STAGE:
            await self._remind(callout)
            return
        await self._remind(callout, later_only=True)
        if stage == COORDINATORS_STAGE or not callout.escalation_muted:
            await self._alert_coordinators(callout, again=stage > COORDINATORS_STAGE)

    async def _remind(self, callout: Callout, *, later_only: bool = False) -> None:
        """Silent people get a reminder (once each) and the caller their phones; after the
        first round (`later_only`), only people paged later (Widen, a join) who have been
        silent a whole interval, and the caller only if there are any."""
        people = await self.repo.people(callout.id)
        now = self.clock.now()
        reminders = ReminderRepository(self.db)
        due = await reminders.due(callout.id, now - timedelta(minutes=self.config.escalate_minutes))
        # Only a page that arrived is reminded of: in a fan-out longer than the interval
        # (thousands at the free pace) the rest are still queued, and a reminder must not
        # reach anyone before their page. They are due in a later round.
        silent = [
            p
            for p in people
            if p.state is State.PAGED
            and p.message_id is not None
            and (not later_only or p.volunteer_id in due)
        ]
        if later_only and not silent:
            return
        await reminders.mark(callout.id, [p.volunteer_id for p in silent], now)
        queued = [p for p in people if p.state is State.PAGED and p.message_id is None]
        # The caller's phone list goes at once, not after thousands of reminders; it says
        # whether the reminders wait for pages still going out.
        later = self._fanouts.busy
        await all_of(
            self._tell_caller(callout, people, silent, queued, later=later),
            self._remind_silent(callout, silent, reminders, later=later),
        )

    async def _remind_silent(
        self,
        callout: Callout,
        silent: list[PagedPerson],
        reminders: ReminderRepository,
        *,
        later: bool,
    ) -> None:
        """Reminders go once no fan-out is going out: someone whose page is still queued
        needs it more than anyone needs a second message, and both share Telegram's pace (a
        free-pace fan-out to thousands outlasts the escalation interval). `later`: one was
        going out when this round began (the caller's note said so)."""
        if later:
            try:
                await self._fanouts.idle()
            except asyncio.CancelledError:
                # Stopped before they went: due again at the next round after a restart.
                await reminders.unmark(callout.id, [p.volunteer_id for p in silent])
                raise
            # Whoever answered meanwhile needs no reminder.
            ids = {p.volunteer_id for p in silent}
            silent = [
                p
                for p in await self.repo.people(callout.id)
                if p.volunteer_id in ids and p.state is State.PAGED
            ]
        # A few at once: thousands started together would queue ahead of every reply and
        # page of another callout; a quarter of the fan-out's workers leaves them the pace.
        gate = asyncio.Semaphore(max(1, self.config.page_workers // 4))

        async def remind(person: PagedPerson) -> None:
            if person.chat_id is None:
                return
            await self._remind_one(callout, person, person.language or self.config.language, gate)

        await all_of(*(remind(p) for p in silent))

    async def _remind_one(
        self, callout: Callout, person: PagedPerson, lang: str, gate: asyncio.Semaphore
    ) -> None:
        assert person.chat_id is not None
        await self.deliver(
            person.chat_id,
            t(
                "notice.reminder",
                lang,
                id=callout.id,
                type=type_label(callout.type, lang),
                place=callout.location,
            ),
            render.page_buttons(callout, lang, State.PAGED),
            reply_to=person.message_id,
            callout_id=callout.id,
            gate=gate,
        )

    async def _tell_caller(
        self,
        callout: Callout,
        people: list[PagedPerson],
        silent: list[PagedPerson],
        queued: list[PagedPerson],
        *,
        later: bool = False,
    ) -> None:
        """The caller: who was reminded (with phones), who could not be reached, and whose
        pages are still on their way (they have not replied either: phones too). `later`:
        the reminders wait for pages still going out."""
        caller = await self._actor(callout.called_by)
        lang = caller.language
        names = to_ring(caller, silent)
        if later and silent:
            names.insert(0, t("escalation.reminders_wait", lang))
        confirmed = sum(1 for p in people if p.state is State.AVAILABLE)
        # The pages that never arrived are the people who most need a call.
        unreached = [p for p in people if p.state is State.UNDELIVERABLE]
        if unreached:
            names.append(t("multiteam.escalation.unreached", lang, count=len(unreached)))
            names += [
                line + " — " + t(f"undeliverable.{p.reason or 'failed'}", lang)
                for line, p in zip(to_ring(caller, unreached), unreached, strict=True)
            ]
        if queued:
            names.append(t("escalation.still_paging", lang, count=len(queued)))
            names += to_ring(caller, queued)
        await self.deliver(
            callout.called_by,
            t(
                "escalation.caller",
                lang,
                id=callout.id,
                confirmed=confirmed,
                needed=callout.needed,
                count=len(silent),
            )
            + ("\n" + "\n".join(names) if names else ""),
            callout_id=callout.id,
        )

    async def mute(self, actor: Actor, callout_id: int) -> None:
        """Coordinators: no more repeated alerts for this callout."""
        if not actor.coordinator:
            raise NotAllowed("error.coordinators_only")
        await self._callout(callout_id)
        await ReminderRepository(self.db).mute(callout_id, actor.telegram_id)

    async def _alert_coordinators(self, callout: Callout, *, again: bool = False) -> None:
        people = await self.repo.people(callout.id)
        confirmed = sum(1 for p in people if p.state is State.AVAILABLE)
        others = tuple(c.code for c in await self.roster.teams() if c.code not in callout.teams)
        matching, _, _ = await self._eligible(
            callout.type,
            callout.skills,
            callout.require_fitness,
            others,
            {p.volunteer_id for p in people},
        )
        for coordinator in await self.roster.coordinator_ids():
            lang = await self.roster.language_of(coordinator) or self.config.language
            buttons: Buttons = [
                [
                    (
                        t("button.widen", lang, count=len(matching)),
                        Widen(callout.id),
                    )
                ]
            ]
            mute: list[Button] = [(t("multiteam.button.mute", lang), Mute(callout.id))]
            if not matching:
                buttons = []
            buttons.append(mute)
            await self.deliver(
                coordinator,
                (t("multiteam.escalation.again", lang) + " " if again else "")
                + t(
                    "escalation.coordinator",
                    lang,
                    id=callout.id,
                    type=type_label(callout.type, lang),
                    place=callout.location,
                    open=max(0, callout.needed - confirmed),
                    needed=callout.needed,
                    matching=len(matching),
                    teams=", ".join(callout.teams),
                ),
                buttons,
                callout_id=callout.id,
            )

    async def reschedule_all(self) -> int:
        """At start-up: every live callout's next deadline (past ones fire at once)."""
        count = 0
        for callout in await self.repo.live():
            if callout.escalate_at is not None:
                self.notifier.schedule_escalation(callout.id, callout.escalate_at)
                count += 1
        return count

    # --- widening ---------------------------------------------------------------------
    async def widen(self, actor: Actor, callout_id: int, teams_text: str | None = None) -> int:
        """Coordinator: page matching volunteers of other teams (nobody twice)."""
        if not actor.coordinator:
            raise NotAllowed("error.coordinators_only")
        callout = await self._callout(callout_id)
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        if teams_text is None or teams_text.strip().lower() in ("all", "全部"):
            target = tuple(c.code for c in await self.roster.teams() if c.code not in callout.teams)
        else:
            target = tuple(c for c in await self._team_codes(teams_text) if c not in callout.teams)
        if not target:
            raise DomainError("widen.error.no_teams", id=callout_id)
        return await self._widen(actor, callout, target)

    async def _widen(self, actor: Actor, callout: Callout, target: tuple[str, ...]) -> int:
        already = {p.volunteer_id for p in await self.repo.people(callout.id)}
        paged, left_out, languages = await self._eligible(
            callout.type, callout.skills, callout.require_fitness, target, already
        )
        await self.repo.widen(
            callout.id,
            teams=callout.teams + target,
            actor=actor.telegram_id,
            now=self.clock.now(),
            paged=paged,
            languages=languages,
            left_out=left_out,
            slot_skills=self._slot_skills(paged, callout.slots),
        )
        await self.team_boards.open(callout.id, callout.teams + target, {actor.telegram_id})
        await self._fan_out(await self._callout(callout.id), paged, languages)
        return len(paged)
