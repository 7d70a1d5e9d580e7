"""The callout service's shared core: its state, lookups, sending with retries, the
board, and the page redraw every job uses. The jobs build on it in turn
(missions/paging.py → joining.py → taps.py → escalation.py → ending.py) and
missions/service.py's `CalloutService` is the façade callers use."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import missions.delivery as retries
from common.clock import Clock, local_today
from common.errors import DomainError, NotAllowed, NotFound
from i18n.catalogue import t
from i18n.labels import bilingual
from missions import render
from missions.board_repository import BoardRepository
from missions.busy_repository import BusyRepository
from missions.delivery import all_of, until_delivered
from missions.duplicates import Sighting
from missions.entities import Callout, PagedPerson
from missions.incident_repository import IncidentRepository
from missions.model import (
    CalloutRequest,
    GeoPoint,
    split_eligible,
    split_list,
    type_label,
)
from missions.ongoing import Ongoing
from missions.ports import Buttons, Delivery, Notifier, Roster
from missions.repository import CalloutRepository
from missions.saved_buttons import buttons_from_json, buttons_to_json
from missions.team_boards import TeamBoards
from missions.unsent_repository import UnsentMessage, UnsentRepository
from roster.model import Actor, Volunteer
from roster.phones import display_phone
from roster.taxonomy import SKILL_ALIASES
from storage.db import Database

log = logging.getLogger(__name__)
LABELS_TTL = 60.0  # seconds
# Tap follow-ups (page edits, promotion notices) under way at once. Their messages leave at
# the rate limiter's pace (~29/s) however many start, so a few keep it busy; the rest wait
# their turn before rendering anything, instead of competing with the answers to a burst
# of taps for the CPU.
FOLLOW_UPS_AT_ONCE = 4
# …and while taps are still being applied, a follow-up waits (this long at most, so a
# steady stream of taps cannot starve the pages): answers first, page edits after.
FOLLOW_UP_DEFER = 1.0  # seconds
# Pages in flight at once. The pace is the rate limiter's; a few more workers than the
# requests it lets out per round trip keep it busy without N tasks contending for the loop.
PAGE_WORKERS = 16
# A reply not tied to a callout (e.g. a duplicate warning) is tried again this long.
REPLY_PATIENCE = 15 * 60.0  # seconds
STILL_OUT_SHOWN = 60  # names in the leader's "still out" notice (one message)

LOCATION_FRESH = timedelta(minutes=30)  # a map point shared this recently belongs to the callout


@dataclass(frozen=True)
class CalloutConfig:
    language: str
    escalate_minutes: float
    tz: ZoneInfo
    mission_target: int
    page_workers: int = PAGE_WORKERS


@dataclass(frozen=True)
class StopReport:
    """What a stop left undone: follow-ups cut short after the grace, messages saved for
    the next start, page redraws skipped (a page's look, not its buttons' meaning)."""

    cut_short: int
    saved: int
    edits_skipped: int


@dataclass(frozen=True)
class StartResult:
    callout_id: int | None
    duplicate_of: int | None = None
    draft_id: int | None = None
    paged: int = 0
    left_out: int = 0


@dataclass(frozen=True)
class ClosedMission:
    mission_id: int
    number: int
    year: int
    target: int
    participants: int


def sighting_of(callout: Callout) -> Sighting:
    """An open callout as the duplicate guard sees it, joined parts' places included."""
    point = (callout.point.latitude, callout.point.longitude) if callout.point else None
    places = (callout.location, *(str(p.get("place", "")) for p in callout.parts.values()))
    return Sighting(callout.type, places, point, callout.created_at)


class ServiceCore:
    def __init__(
        self,
        db: Database,
        roster: Roster,
        notifier: Notifier,
        clock: Clock,
        config: CalloutConfig,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]] | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> None:
        self.db = db
        # False once the bot is stopping: retries give up (what is unsent stays recorded as
        # unsent and goes out at the next start) and no new page is started.
        self._keep_going = keep_going
        # Follow-ups are this service's own tasks: a stop gives them a bounded grace (`finish`).
        self._create_task = spawn or (lambda work: asyncio.get_running_loop().create_task(work))
        self.repo = CalloutRepository(db)
        self.roster = roster
        self.notifier = notifier
        self.clock = clock
        self.config = config
        self._tasks: set[asyncio.Task[None]] = set()
        self._labels: dict[str, tuple[float, dict[str, str]]] = {}
        self._callers: dict[tuple[int, str], str] = {}
        self._page_locks: dict[tuple[int, int], asyncio.Lock] = {}
        # The latest redraw of each page: an older one still trying after an outage stops.
        self._page_turns: dict[tuple[int, int], int] = {}
        # Callouts this process closed or cancelled: page follow-ups check it, not the DB.
        self._ended: set[int] = set()
        self._follow_up_turns = asyncio.Semaphore(FOLLOW_UPS_AT_ONCE)
        # Taps being applied: follow-ups wait for none (answers first).
        self._taps_applying = Ongoing()
        # Fan-outs going out: reminders wait for none (a page before anyone's second message).
        self._fanouts = Ongoing()
        self.team_boards = TeamBoards(self)
        self._saved = 0
        self._edits_skipped = 0

    # --- background follow-ups (page edits, notices) that must not delay a tap's answer -----
    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = self._create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("callout follow-up failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait until every follow-up has run (scripts and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def finish(self, grace: float) -> StopReport:
        """The bot is stopping: follow-ups get `grace` seconds, then what still waits is
        cancelled. After thousands of taps or a free-pace fan-out that wait would be many
        minutes (page edits and reminders at ~29/s) and a service manager kills a stop that
        long; a message cut short is saved and the next start sends it (`send_unsent`)."""
        deadline = time.monotonic() + grace
        while self._tasks and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(list(self._tasks), timeout=left)
        cut = 0
        while self._tasks:
            pending = list(self._tasks)
            cut += len(pending)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        return StopReport(cut_short=cut, saved=self._saved, edits_skipped=self._edits_skipped)

    async def send_unsent(self) -> int:
        """At start-up: messages the last stop saved, each if still wanted (its callout is
        live; one tied to no callout within REPLY_PATIENCE), a few at a time in the
        background. How many go."""
        now = self.clock.now()
        patience = timedelta(seconds=REPLY_PATIENCE)
        live: dict[int, bool] = {}  # thousands of reminders share a few callouts

        async def still_wanted(message: UnsentMessage) -> bool:
            if message.callout_id is None:
                return now - message.asked_at <= patience
            if message.callout_id not in live:
                live[message.callout_id] = await self._wanted(message.callout_id)
            return live[message.callout_id]

        wanted = [m for m in await UnsentRepository(self.db).take_all() if await still_wanted(m)]
        if wanted:
            self._spawn(self._send_saved(wanted))
        return len(wanted)

    async def _send_saved(self, messages: list[UnsentMessage]) -> None:
        # A few at once, like reminders: resumed pages keep most of the pace.
        gate = asyncio.Semaphore(max(1, self.config.page_workers // 4))
        await all_of(
            *(
                self.deliver(
                    m.chat_id,
                    m.text,
                    buttons_from_json(m.buttons),
                    callout_id=m.callout_id,
                    reply_to=m.reply_to,
                    location=m.location,
                    gate=gate,
                )
                for m in messages
            )
        )

    # --- shared with the incident service (missions/incident_service.py) ----------------
    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self._spawn(work)

    async def callout(self, callout_id: int) -> Callout:
        return await self._callout(callout_id)

    async def wanted(self, callout_id: int) -> bool:
        """Still worth sending for this callout (the bot runs, the callout is live)."""
        return await self._wanted(callout_id)

    async def actor(self, telegram_id: int) -> Actor:
        return await self._actor(telegram_id)

    def may_manage(self, actor: Actor, callout: Callout) -> bool:
        return self._may_manage(actor, callout)

    async def refresh_page(self, callout: Callout, person: PagedPerson) -> None:
        await self._refresh_page(callout, person)

    # --- lookups ------------------------------------------------------------------------
    def _today(self) -> Any:
        return local_today(self.clock, self.config.tz)

    async def confirmed_on(self, volunteer_id: int) -> list[int]:
        """The open callouts this person is confirmed on (`/away` offers to withdraw)."""
        return await BusyRepository(self.db).confirmed_on(volunteer_id)

    async def skill_aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for kind in await self.roster.skill_kinds():
            for name in (kind.code, kind.label_zh, kind.label_en.lower()):
                aliases[name] = kind.code
        aliases.update({k: v for k, v in SKILL_ALIASES.items()})
        return aliases

    async def skill_labels(self, lang: str) -> dict[str, str]:
        # Every page edit needs the labels; a burst of taps should not re-read them each
        # time. A minute old at most, so a skill a team adds shows up soon enough.
        cached = self._labels.get(lang)
        if cached is not None and time.monotonic() - cached[0] < LABELS_TTL:
            return cached[1]
        labels = {
            k.code: bilingual(k.label_zh, k.label_en, lang) for k in await self.roster.skill_kinds()
        }
        self._labels[lang] = (time.monotonic(), labels)
        return labels

    async def _caller_name(self, callout: Callout, lang: str) -> str:
        key = (callout.called_by, lang)
        if key not in self._callers:
            volunteer = await self.roster.by_telegram(callout.called_by)
            self._callers[key] = (
                f"{volunteer.name} ({volunteer.team_code})"
                if volunteer is not None
                else t("role.coordinator", lang)
            )
        return self._callers[key]

    async def _actor(self, telegram_id: int) -> Actor:
        return await self.roster.actor(telegram_id, None, self.config.language)

    async def _callout(self, callout_id: int) -> Callout:
        callout = await self.repo.get(callout_id)
        if callout is None:
            raise NotFound("callout.error.unknown", id=callout_id)
        return callout

    def _may_manage(self, actor: Actor, callout: Callout) -> bool:
        return actor.telegram_id == callout.called_by or any(actor.leads(c) for c in callout.teams)

    async def manages_whole(self, actor: Actor, callout: Callout) -> bool:
        """The whole callout is its caller's, the coordinators' and the caller's own team
        leaders'; a team that joined or got a quota manages its own part."""
        if actor.telegram_id == callout.called_by or actor.coordinator:
            return True
        caller = await self.roster.by_telegram(callout.called_by)
        return caller is not None and actor.leads(caller.team_code)

    async def _require_whole(self, actor: Actor, callout: Callout) -> None:
        if await self.manages_whole(actor, callout):
            return
        if self._may_manage(actor, callout):
            raise NotAllowed("multiteam.error.whole_callout", id=callout.id)
        raise NotAllowed("error.not_allowed")

    async def _team_codes(self, text: str) -> tuple[str, ...]:
        codes: list[str] = []
        for part in split_list(text):
            code = (await self.roster.find_team(part)).code
            if code not in codes:
                codes.append(code)
        return tuple(codes)

    async def resolve_teams(self, actor: Actor, request: CalloutRequest) -> tuple[str, ...]:
        """Leaders and deputies call their own team; coordinators choose (`team=CODE|all`)."""
        if not actor.is_leader_or_coordinator:
            raise NotAllowed("error.leaders_only")
        if request.all_teams:
            if not actor.coordinator:
                raise NotAllowed("callout.error.all_teams")
            return tuple(t_.code for t_ in await self.roster.teams())
        if request.teams:
            codes = await self._team_codes(",".join(request.teams))
            if request.quotas and len(codes) != len(request.quotas):
                raise DomainError("multiteam.error.quota", value=",".join(request.teams))
            for code in codes:
                if not actor.leads(code):
                    raise NotAllowed("callout.error.other_team", team=code)
            return codes
        if actor.team_code is None:
            teams = ", ".join(t_.code for t_ in await self.roster.teams())
            raise DomainError("callout.error.choose_team", teams=teams)
        return (actor.team_code,)

    async def _eligible(
        self,
        callout_type: str,
        skills: tuple[str, ...],
        require_fitness: bool,
        teams: tuple[str, ...],
        skip: set[int],
    ) -> tuple[list[Volunteer], list[Any], dict[int, str]]:
        volunteers = [
            v for team in teams for v in await self.roster.team_members(team) if v.id not in skip
        ]
        readiness = await self.repo.readiness([v.id for v in volunteers], self._today())
        paged, left_out = split_eligible(
            volunteers, readiness, skills=skills, require_fitness=require_fitness, day=self._today()
        )
        chosen = await self.repo.languages([v.id for v in paged])
        languages = {v.id: chosen.get(v.id) or self.config.language for v in paged}
        return paged, left_out, languages

    def _slot_skills(self, paged: list[Volunteer], slots: dict[str, int]) -> dict[int, list[str]]:
        """Which of the callout's slot skills each paged person holds, valid today."""
        today = self._today()
        return {
            v.id: [code for code in slots if (held := v.skill(code)) and held.valid_on(today)]
            for v in paged
        }

    async def _wanted(self, callout_id: int | None, deadline: float | None = None) -> bool:
        """Still worth sending: the bot runs and the callout is live (or, for a message
        tied to no callout, its patience has not run out)."""
        if not self._keep_going() or callout_id in self._ended:
            return False
        if callout_id is None:
            return deadline is None or time.monotonic() < deadline
        callout = await self.repo.get(callout_id)
        return callout is not None and not callout.status.ended

    async def deliver(
        self,
        chat_id: int,
        text: str,
        buttons: Buttons | None = None,
        *,
        callout_id: int | None = None,
        reply_to: int | None = None,
        location: GeoPoint | None = None,
        gate: asyncio.Semaphore | None = None,
        save: bool = True,
    ) -> Delivery:
        """Send, and send again while Telegram is unreachable: for as long as the callout is
        live, or (no callout) for REPLY_PATIENCE. One message, so waiting for a late answer
        beats sending a second copy. `gate`: wait for a turn first (many at once).

        A message the bot stops before Telegram took (cut short after the stop's grace, or
        given up while unreachable) is saved; the next start sends it. `save=False`: the
        caller records delivery itself and the next start asks again what never arrived."""
        deadline = time.monotonic() + REPLY_PATIENCE
        asked = self.clock.now()

        def unsent() -> UnsentMessage:
            saved = buttons_to_json(buttons)
            return UnsentMessage(chat_id, text, saved, reply_to, callout_id, location, asked)

        try:
            async with gate or contextlib.nullcontext():
                delivery = await until_delivered(
                    lambda: self.notifier.send(
                        chat_id, text, buttons, reply_to=reply_to, location=location, patient=True
                    ),
                    lambda: self._wanted(callout_id, deadline),
                )
        except asyncio.CancelledError:
            if save:
                await self._save(unsent())
            raise
        if save and delivery.unreachable and not self._keep_going():
            await self._save(unsent())
        return delivery

    async def _save(self, message: UnsentMessage) -> None:
        try:
            await UnsentRepository(self.db).save(message)
        except Exception:  # the stop goes on; what is lost is named in the log
            log.exception("could not save an unsent message to chat %s", message.chat_id)
            return
        self._saved += 1

    async def _refresh_page(
        self,
        callout: Callout,
        person: PagedPerson,
        *,
        again: tuple[int, Iterator[float]] | None = None,
    ) -> None:
        """Redraw one volunteer's page for their current answer.

        Follow-ups of taps, closes and cancels race each other: a lock per page keeps its
        edits in order, and a follow-up that reaches it after the callout ended draws the
        ended page (a slow tap follow-up must not put buttons back on a closed callout).
        An edit Telegram could not take is tried again like the board: later, from the
        database, until it arrives, a newer redraw of the page takes over, or the callout
        ends (`again`: this is such a try, with its turn and the rest of its delays).
        """
        if person.chat_id is None or person.message_id is None:
            return
        if not self._keep_going():
            # Stopping: a page's look is not worth holding the stop (its buttons still
            # work, and the tap's answer already said what counted).
            self._edits_skipped += 1
            return
        key = (callout.id, person.volunteer_id)
        if again is None:
            turn = self._page_turns[key] = self._page_turns.get(key, 0) + 1
            delays = retries.retry_delays()
        else:
            turn, delays = again
        lock = self._page_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if callout.id in self._ended and not callout.status.ended:
                callout = await self.repo.get(callout.id) or callout
            lang = person.language or self.config.language
            text = render.page_text(
                callout,
                lang,
                caller=await self._caller_name(callout, lang),
                labels=await self.skill_labels(lang),
                person=person,
            )
            assert person.chat_id is not None and person.message_id is not None
            reached = await self.notifier.edit(
                person.chat_id,
                person.message_id,
                text,
                render.page_buttons(
                    callout, lang, person.state, on_scene=person.on_scene_at is not None
                ),
            )
        if not reached:
            # Outside the follow-up turns: an outage must not hold up other taps' follow-ups.
            self._spawn(self._refresh_page_later(key, turn, delays))

    async def _refresh_page_later(
        self, key: tuple[int, int], turn: int, delays: Iterator[float]
    ) -> None:
        callout_id, volunteer_id = key
        await asyncio.sleep(next(delays))
        if self._page_turns.get(key) != turn or not await self._wanted(callout_id):
            return
        callout = await self.repo.get(callout_id)
        person = (await self.repo.people_by_ids(callout_id, [volunteer_id])).get(volunteer_id)
        if callout is not None and person is not None:
            await self._refresh_page(callout, person, again=(turn, delays))

    async def _tell(self, person: PagedPerson, key: str, callout: Callout, **params: Any) -> None:
        chat = person.chat_id or person.telegram_id
        if chat is None:
            return
        lang = person.language or self.config.language
        await self.deliver(
            chat,
            t(
                key,
                lang,
                id=callout.id,
                type=type_label(callout.type, lang),
                place=callout.location,
                **params,
            ),
            reply_to=person.message_id,
            # A stand-down notice outlives its callout; the others go only while it is live.
            callout_id=None if callout.status.ended else callout.id,
        )

    # --- the board ----------------------------------------------------------------------
    async def board_text(self, callout_id: int, viewer: Actor, *, private: bool = True) -> str:
        callout = await self._callout(callout_id)
        lang = viewer.language
        # Everyone taking part, and only the first names of each waiting group with its
        # count: a redraw costs the same at 263 responses or 26,300.
        rows = await BoardRepository(self.db).rows(callout_id, render.NAMES_PER_LINE)
        return render.board_text(
            callout,
            rows.people,
            rows.left_out,
            lang,
            labels=await self.skill_labels(lang),
            show_phone=lambda team: viewer.may_see_personal_data(team, private),
            tz=self.config.tz,
            overdue=await IncidentRepository(self.db).overdue_ids(callout_id),
            busy=rows.busy,
            totals=rows.totals,
        )

    async def board_for_caller(self, callout_id: int) -> tuple[int, int, str, Buttons] | None:
        """(chat, message, text, buttons) of the board message to edit, or None."""
        callout = await self.repo.get(callout_id)
        if callout is None or callout.board_chat_id is None or callout.board_message_id is None:
            return None
        viewer = await self._actor(callout.called_by)
        return (
            callout.board_chat_id,
            callout.board_message_id,
            await self.board_text(callout_id, viewer),
            render.board_buttons(
                callout_id,
                viewer.language,
                going_too=viewer.volunteer is not None and not callout.status.ended,
            ),
        )

    async def status(
        self, actor: Actor, callout_id: int | None, *, private: bool = True
    ) -> list[str]:
        if not actor.is_leader_or_coordinator:
            raise NotAllowed("error.leaders_only")
        if callout_id is not None:
            callout = await self._callout(callout_id)
            if not self._may_manage(actor, callout):
                raise NotAllowed("error.not_allowed")
            return [await self.board_text(callout_id, actor, private=private)]
        # Closed callouts stay on the list in their return phase, until everyone is home.
        watched = await IncidentRepository(self.db).watched()
        mine = [c for c in watched if self._may_manage(actor, c)]
        if not mine:
            return [t("status.none", actor.language)]
        return [await self.board_text(c.id, actor, private=private) for c in mine]


class _Person(Protocol):
    name: str
    team_code: str
    phone: str


def to_ring(viewer: Actor, people: Sequence[_Person]) -> list[str]:
    """One line per person — name (team) and the phone number, where the viewer may see it
    — for a leader who has to ring them."""
    return [
        f"{p.name} ({p.team_code})"
        + (
            f" {display_phone(p.phone)}"
            if p.phone and viewer.may_see_personal_data(p.team_code, True)
            else ""
        )
        for p in people
    ]


async def first_set(*events: asyncio.Event) -> None:
    """Wait until one of `events` is set."""
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
