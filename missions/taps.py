"""Taps and headcount: a volunteer's answer, *I'm going too*, one person one incident
(which callout is it to be?), and what follows a tap (page edit, promotion notices)."""

from __future__ import annotations

import asyncio
import contextlib

from i18n.catalogue import t
from missions.actions import TAP_BUTTON, Stay, Swap
from missions.delivery import all_of
from missions.entities import Callout, PagedPerson
from missions.joining import Joining
from missions.model import (
    State,
    TapOutcome,
)
from missions.parts_repository import PartsRepository
from missions.ports import Buttons
from missions.service_core import FOLLOW_UP_DEFER
from missions.tap_repository import TapResult


class Taps(Joining):
    # --- taps ---------------------------------------------------------------------------
    async def tap(
        self,
        telegram_id: int,
        callout_id: int,
        answer: str,
        fallback_lang: str,
        eta: int | None = None,
        *,
        allow_busy: bool = False,
    ) -> str:
        """Apply a volunteer's tap and return the short answer for answerCallbackQuery.

        The page edit, a promoted volunteer's notice and the board run afterwards.
        """
        result = await self._apply_tap(telegram_id, callout_id, answer, eta, allow_busy)
        refused = self._refusal(result, fallback_lang)
        if refused is not None:
            if result.kind == "unknown":  # "not_paged" was audited by the transaction
                await self.repo.refused(telegram_id, "tap.unknown", callout_id)
            return refused
        assert result.callout is not None and result.person is not None
        outcome = result.outcome
        assert outcome is not None
        if outcome.changed:
            self._spawn(self._after_tap(result.callout, result.person, outcome))
        lang = result.person.language or self.config.language
        if answer == "eta":
            if result.person.state not in (State.AVAILABLE, State.STANDBY):
                return t("tap.eta_first", lang)
            return t("tap.eta", lang, minutes=eta)
        if not outcome.changed:
            return t("tap.same", lang)
        return t(f"tap.{outcome.state.value}", lang)

    def _refusal(self, result: TapResult, fallback_lang: str) -> str | None:
        """The answer to a tap that changed nothing for a reason, or None if it counted."""
        if result.kind in ("unknown", "not_paged"):
            key = "tap.unknown" if result.kind == "unknown" else "tap.not_yours"
            return t(key, fallback_lang)
        assert result.callout is not None and result.person is not None
        lang = result.person.language or self.config.language
        callout_id = result.callout.id
        if result.kind == "ended":
            return t(f"tap.ended.{result.callout.status.value}", lang, id=callout_id)
        if result.kind == "part_cancelled":
            return t("multiteam.tap.part_cancelled", lang, id=callout_id)
        if result.kind == "busy":
            assert result.other is not None
            self._spawn(self._ask_which(result.callout, result.person, result.other))
            return t("multiteam.tap.busy", lang, other=result.other)
        return None

    async def going_too(self, telegram_id: int, callout_id: int, fallback: str) -> str:
        """*I'm going too* on the caller's board: the caller counts like a tap of theirs."""
        callout = await self.repo.get(callout_id)
        if callout is None:
            return await self.refuse_tap(telegram_id, "tap.unknown", fallback, callout_id)
        volunteer = await self.roster.by_telegram(telegram_id)
        if telegram_id != callout.called_by or volunteer is None:
            return await self.refuse_tap(
                telegram_id, "multiteam.going_too.not_caller", fallback, callout_id
            )
        if not callout.status.ended:
            lang = await self.roster.language_of(telegram_id) or self.config.language
            await PartsRepository(self.db).add_caller(
                callout_id, volunteer.id, telegram_id, lang, self.clock.now()
            )
        return await self.tap(telegram_id, callout_id, "a", fallback)

    async def refuse_tap(
        self,
        telegram_id: int,
        key: str,
        lang: str,
        callout_id: int | None = None,
        what: str = TAP_BUTTON,
    ) -> str:
        """A refused press: audited as a refused command is, answered with the refusal."""
        await self.repo.refused(telegram_id, key, callout_id, what)
        return t(key, lang)

    async def _ask_which(self, callout: Callout, person: PagedPerson, other: int) -> None:
        """Confirmed on #other and tapping Available on this one: which is it to be?"""
        chat = person.chat_id or person.telegram_id
        if chat is None:
            return
        lang = person.language or self.config.language
        buttons: Buttons = [
            [
                (
                    t("multiteam.button.swap", lang, id=callout.id, other=other),
                    Swap(callout.id, other),
                ),
                (
                    t("multiteam.button.stay", lang, other=other),
                    Stay(callout.id, other),
                ),
            ]
        ]
        await self.deliver(
            chat,
            t("multiteam.busy.ask", lang, id=callout.id, other=other),
            buttons,
            callout_id=callout.id,
            reply_to=person.message_id,
        )

    async def stay(self, telegram_id: int, callout_id: int, other: int, fallback: str) -> str:
        """Confirmed on #other and tapped Available here, then *Stay*: nothing changes, but
        only the person this page was sent to is answered so."""
        result = await self.repo.presser(callout_id, telegram_id)
        refused = self._refusal(result, fallback)
        if refused is not None:
            return refused
        assert result.person is not None
        lang = result.person.language or self.config.language
        return t("multiteam.busy.stayed", lang, other=other)

    async def swap(self, telegram_id: int, callout_id: int, other: int, fallback: str) -> str:
        """Leave #other (its standby moves up as usual), then say Available here."""
        await self.tap(telegram_id, other, "u", fallback)
        return await self.tap(telegram_id, callout_id, "a", fallback, allow_busy=True)

    async def _apply_tap(
        self, telegram_id: int, callout_id: int, answer: str, eta: int | None, allow_busy: bool
    ) -> TapResult:
        """The tap in the database, counted while it runs (follow-ups wait for the count
        to reach zero: answers first)."""
        with self._taps_applying.running():
            if answer == "eta" and eta is not None:
                return await self.repo.set_eta(callout_id, telegram_id, eta)
            return await self.repo.tap(
                callout_id, telegram_id, answer == "a", self.clock.now(), allow_busy=allow_busy
            )

    async def _after_tap(self, callout: Callout, person: PagedPerson, outcome: TapOutcome) -> None:
        # The board shows the database, which the tap already changed (and is redrawn at
        # most about once a second); the pages wait for a turn.
        self.notifier.board_changed(callout.id)
        async with self._follow_up_turns:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(FOLLOW_UP_DEFER):
                    await self._taps_applying.idle()
            # The tap's transaction already returned the tapper as they now are; only a
            # promoted standby needs reading.
            jobs = [self._refresh_page(callout, person)]
            moved = [outcome.promoted] if outcome.promoted is not None else []
            moved += outcome.also_promoted
            if moved:
                for promoted in (await self.repo.people_by_ids(callout.id, moved)).values():
                    jobs.append(self._refresh_page(callout, promoted))
                    jobs.append(self._tell(promoted, "notice.promoted", callout))
            await all_of(*jobs)
