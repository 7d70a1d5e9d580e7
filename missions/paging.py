"""Paging: start a callout (or hold it as a duplicate and warn), the fan-out at the
rate limiter's pace with retries, the leader's board, the "still out" notice, and the
fan-out resumed after a restart."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import asdict

import missions.delivery as retries
from i18n.catalogue import t
from missions import render
from missions.actions import JoinOpen, PageAnyway
from missions.busy_repository import BusyRepository
from missions.delivery import DeliveryLog, Outcome, all_of, until_delivered
from missions.duplicates import Sighting, same_incident
from missions.entities import Callout, NewCallout, Pages
from missions.model import (
    REMIND_STAGE,
    CalloutRequest,
    GeoPoint,
    State,
    escalation_deadline,
    requires_fitness,
    type_label,
)
from missions.ports import Buttons, Delivery
from missions.service_core import (
    LOCATION_FRESH,
    STILL_OUT_SHOWN,
    ServiceCore,
    StartResult,
    first_set,
    log,
    sighting_of,
    to_ring,
)
from roster.model import Actor, Volunteer


class Paging(ServiceCore):
    # --- starting a callout -----------------------------------------------------------
    async def remember_location(self, actor: Actor, point: GeoPoint) -> None:
        """A leader's shared map point waits for their next callout (or joins the open dialog)."""
        await self.repo.save_draft(
            actor.telegram_id,
            "location",
            {"lat": point.latitude, "lon": point.longitude},
            self.clock.now(),
        )

    async def recent_location(self, telegram_id: int) -> GeoPoint | None:
        """A map point the leader shared in the last half hour (taken: it goes with one
        callout or one update)."""
        return await self._recent_location(telegram_id)

    async def _recent_location(self, telegram_id: int) -> GeoPoint | None:
        draft = await self.repo.latest_draft(telegram_id, ("location",))
        if draft is None or self.clock.now() - draft.updated_at > LOCATION_FRESH:
            return None
        await self.repo.drop_draft(draft.id)
        return GeoPoint(float(draft.data["lat"]), float(draft.data["lon"]))

    async def start(
        self,
        actor: Actor,
        request: CalloutRequest,
        *,
        point: GeoPoint | None = None,
        force: bool = False,
    ) -> StartResult:
        """Page the eligible volunteers; or, if one of the same type is open, hold it and ask."""
        request.check_lengths()
        teams = await self.resolve_teams(actor, request)
        if point is None:
            point = await self._recent_location(actor.telegram_id)
        if not force:
            new = Sighting(
                request.type,
                (request.location,),
                (point.latitude, point.longitude) if point else None,
                self.clock.now(),
            )
            same = [c for c in await self.repo.live() if same_incident(new, sighting_of(c))]
            if same:
                # The join button carries a token only this caller's draft knows: a forged
                # `co:<id>:join:<draft>` cannot add a team to another incident.
                held = asdict(request) | {
                    "teams": list(teams),
                    "all_teams": False,
                    "token": secrets.token_urlsafe(6),
                    "warned": same[0].id,
                }
                if point is not None:
                    held["point"] = [point.latitude, point.longitude]
                draft_id = await self.repo.save_draft(
                    actor.telegram_id, "held", held, self.clock.now()
                )
                await self._warn_duplicate(actor, same[0], draft_id, teams, held["token"])
                return StartResult(None, duplicate_of=same[0].id, draft_id=draft_id)
        return await self._launch(actor, request, teams, point)

    async def _launch(
        self, actor: Actor, request: CalloutRequest, teams: tuple[str, ...], point: GeoPoint | None
    ) -> StartResult:
        now = self.clock.now()
        fitness = requires_fitness(request.type, request.fitness)
        paged, left_out, languages = await self._eligible(
            request.type, request.skills, fitness, teams, set()
        )
        # The caller is not paged by their own callout: their board offers *I'm going too*.
        paged = [v for v in paged if v.telegram_id != actor.telegram_id]
        quotas = dict(zip(teams, request.quotas, strict=True)) if request.quotas else {}
        escalate_at = escalation_deadline(now, REMIND_STAGE, self.config.escalate_minutes)
        callout_id = await self.repo.create(
            NewCallout(
                request,
                teams=teams,
                require_fitness=fitness,
                point=point,
                called_by=actor.telegram_id,
                now=now,
                escalate_at=escalate_at,
                quotas=quotas,
            ),
            Pages(paged, languages, left_out, self._slot_skills(paged, request.slots)),
        )
        self.notifier.board_changed(callout_id)  # dashboards show it before the fan-out ends
        callout = await self._callout(callout_id)
        # The board goes out beside the pages, not before them: a slow or refused board
        # must not hold up a single page.
        self._spawn(self._send_board(callout_id, actor))
        if escalate_at is not None:
            self.notifier.schedule_escalation(callout_id, escalate_at)
        await self.team_boards.open(callout_id, teams, {actor.telegram_id})
        await self._fan_out(callout, paged, languages)
        return StartResult(callout_id, paged=len(paged), left_out=len(left_out))

    async def _send_board(self, callout_id: int, actor: Actor) -> None:
        """The leader's board, tried until it arrives (or the callout ends), exactly once:
        the send waits for Telegram's answer however late rather than risk a second board."""

        async def send() -> Delivery:
            # Drawn at each try: after an outage the board shows what happened meanwhile.
            board = await self.board_text(callout_id, actor)
            buttons = render.board_buttons(
                callout_id, actor.language, going_too=actor.volunteer is not None
            )
            return await self.notifier.send(actor.telegram_id, board, buttons, patient=True)

        delivery = await until_delivered(send, lambda: self._wanted(callout_id))
        if delivery.message_id is not None:
            await self.repo.set_board(callout_id, actor.telegram_id, delivery.message_id)
            self.notifier.board_changed(callout_id)

    async def _fan_out(
        self, callout: Callout, paged: list[Volunteer], languages: dict[int, str]
    ) -> None:
        """Every page, by a few workers at the rate limiter's pace; outcomes are written in
        batches. A page Telegram cannot take now is tried again until it is delivered or
        the callout ends; if pages are still out after STILL_OUT_AFTER, the leader hears
        which (and again once they have all gone)."""
        if not paged:
            self.notifier.board_changed(callout.id)
            return
        labels = {lang: await self.skill_labels(lang) for lang in set(languages.values())}
        caller = {lang: await self._caller_name(callout, lang) for lang in labels}
        busy = await BusyRepository(self.db).elsewhere(callout.id, [v.id for v in paged])
        todo = list(reversed(paged))
        out = {v.id: v for v in paged}  # not delivered yet (nor known undeliverable)
        done = asyncio.Event()

        async def write(batch: list[Outcome]) -> None:
            delivered = [
                (o.volunteer_id, o.chat_id, o.delivery.message_id)
                for o in batch
                if o.delivery.message_id is not None
            ]
            refused = [
                (o.volunteer_id, o.delivery.failure or "failed")
                for o in batch
                if o.delivery.message_id is None and not o.delivery.unreachable
            ]
            await self.repo.record_pages(callout.id, delivered, refused)
            if refused:
                self.notifier.board_changed(callout.id)

        log_ = DeliveryLog(write)

        async def page(volunteer: Volunteer) -> None:
            chat = volunteer.telegram_id
            assert chat is not None
            lang = languages[volunteer.id]
            text = render.page_text(
                callout,
                lang,
                caller=caller[lang],
                labels=labels[lang],
                team=volunteer.team_code,
                busy_on=busy.get(volunteer.id),
            )
            buttons = render.page_buttons(callout, lang, State.PAGED)

            async def send() -> Delivery:
                delivery = await self.notifier.send(
                    chat, text, buttons, location=callout.point, page=True
                )
                if delivery.unreachable:
                    failing.add(volunteer.id)
                    trouble.set()
                else:
                    failing.discard(volunteer.id)
                return delivery

            delivery = await until_delivered(send, lambda: self._wanted(callout.id))
            if not delivery.unreachable:
                out.pop(volunteer.id, None)
                log_.add(Outcome(volunteer.id, chat, delivery))

        async def worker() -> None:
            while todo and self._keep_going() and callout.id not in self._ended:
                await page(todo.pop())

        failing: set[int] = set()  # whose last try found Telegram unreachable
        trouble = asyncio.Event()
        self._spawn(self._watch_still_out(callout, out, failing, trouble, done))
        try:
            with self._fanouts.running():
                await all_of(*(worker() for _ in range(self.config.page_workers)))
        finally:
            done.set()
            # Also when a stop cuts the fan-out short: a delivered page must be on record,
            # or the next start pages that person again.
            await log_.flush()
        self.notifier.board_changed(callout.id)

    async def _watch_still_out(
        self,
        callout: Callout,
        out: dict[int, Volunteer],
        failing: set[int],
        trouble: asyncio.Event,
        done: asyncio.Event,
    ) -> None:
        """Once Telegram has been unreachable for STILL_OUT_AFTER, the leader hears which
        pages are still out (all of them wait behind the outage), and later that they went."""
        while True:
            await first_set(done, trouble)
            if done.is_set():
                return
            try:
                await asyncio.wait_for(done.wait(), retries.STILL_OUT_AFTER)
                return
            except TimeoutError:
                pass
            if failing:
                break
            trouble.clear()  # a blip that passed: only a long outage is news
        if not out or not await self._wanted(callout.id):
            return
        leader = await self._actor(callout.called_by)
        lang = leader.language
        still_out: list[Volunteer] = sorted(out.values(), key=lambda v: (v.team_code, v.id))
        names = to_ring(leader, still_out)
        shown = names[:STILL_OUT_SHOWN]
        more = len(names) - len(shown)
        text = (
            t("delivery.still_out", lang, id=callout.id, count=len(names)) + "\n" + "\n".join(shown)
        )
        if more:
            text += "\n" + t("delivery.still_out_more", lang, count=more)
        await self.deliver(callout.called_by, text, callout_id=callout.id)
        await done.wait()
        if not out and await self._wanted(callout.id):
            await self.deliver(
                callout.called_by,
                t("delivery.all_out", lang, id=callout.id),
                callout_id=callout.id,
            )

    async def _warn_duplicate(
        self,
        actor: Actor,
        open_callout: Callout,
        draft_id: int,
        teams: tuple[str, ...],
        token: str,
    ) -> None:
        lang = actor.language
        kind = type_label(open_callout.type, lang)
        buttons: Buttons = [
            [
                (
                    t("button.join", lang, id=open_callout.id),
                    JoinOpen(open_callout.id, draft_id, token),
                ),
                (t("button.page_anyway", lang), PageAnyway(draft_id)),
            ]
        ]
        await self.deliver(
            actor.telegram_id,
            t("duplicate.caller", lang, id=open_callout.id, type=kind, place=open_callout.location),
            buttons,
        )
        caller = actor.volunteer.name if actor.volunteer else t("role.coordinator", lang)
        for coordinator in await self.roster.coordinator_ids():
            if coordinator == actor.telegram_id:
                continue
            clang = await self.roster.language_of(coordinator) or self.config.language
            await self.deliver(
                coordinator,
                t(
                    "duplicate.coordinator",
                    clang,
                    id=open_callout.id,
                    type=type_label(open_callout.type, clang),
                    caller=caller,
                    teams=", ".join(teams),
                ),
            )

    async def resume_fan_out(self) -> int:
        """At start-up: pages still waiting to go out when the bot stopped go out now.

        A page is recorded before it is sent and its message id after; one without a
        message id was never delivered (or was in flight: a rare second copy is better
        than a volunteer never paged).
        """
        resumed = 0
        for callout in await self.repo.live():
            # Team boards that had not arrived when the bot stopped go out too.
            await self.team_boards.open(callout.id, callout.teams, set())
            waiting = [
                p
                for p in await self.repo.people(callout.id)
                if p.state is State.PAGED and p.message_id is None
            ]
            volunteers = [v for p in waiting if (v := await self.roster.by_id(p.volunteer_id))]
            if not volunteers:
                continue
            languages = {p.volunteer_id: p.language or self.config.language for p in waiting}
            await self._fan_out(callout, volunteers, languages)
            resumed += len(volunteers)
        return resumed

    def resume_fan_out_later(self) -> None:
        """The same, in the background: start-up must not wait for a paced fan-out."""

        async def run() -> None:
            resumed = await self.resume_fan_out()
            if resumed:
                log.info("sent %d pages left unsent when the bot stopped", resumed)

        self._spawn(run())
