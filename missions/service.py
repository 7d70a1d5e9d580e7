"""The callout use cases: page, gather replies, escalate, widen, cancel, close, log missions.

Talks to people only through the `Notifier` port, so a script (or a unit test)
can drive a whole incident: `start` → `tap` … → `close`, then `drain()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import missions.delivery as retries
from common.clock import Clock, local_today
from common.errors import DomainError, NotAllowed, NotFound
from i18n.catalogue import t
from missions import render
from missions.board_repository import BoardRepository
from missions.busy_repository import BusyRepository, ReminderRepository
from missions.delivery import DeliveryLog, Outcome, until_delivered
from missions.duplicates import Sighting, same_incident
from missions.incident_repository import IncidentRepository
from missions.model import (
    COORDINATORS_STAGE,
    REMIND_STAGE,
    CalloutRequest,
    GeoPoint,
    MissionEntry,
    State,
    Status,
    TapOutcome,
    escalation_deadline,
    parse_skills,
    requires_fitness,
    split_eligible,
    split_list,
    type_label,
)
from missions.parts_repository import Part, PartsRepository
from missions.ports import Buttons, Delivery, Notifier
from missions.repository import Callout, CalloutRepository, PagedPerson, TapResult
from missions.team_boards import TeamBoards
from roster.model import Actor, Volunteer
from roster.phones import display_phone
from roster.repository import RosterRepository
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


class CalloutService:
    def __init__(
        self,
        db: Database,
        roster: RosterRepository,
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
        # The bot passes Application.create_task, so stopping the bot waits for follow-ups.
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
        # Callouts this process closed or cancelled: page follow-ups check it, not the DB.
        self._ended: set[int] = set()
        self._follow_up_turns = asyncio.Semaphore(FOLLOW_UPS_AT_ONCE)
        self._taps_applying = 0
        self._no_taps_applying = asyncio.Event()
        self._no_taps_applying.set()
        self.team_boards = TeamBoards(self)

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

    # --- shared with the incident service (missions/incident_service.py) ----------------
    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self._spawn(work)

    async def callout(self, callout_id: int) -> Callout:
        return await self._callout(callout_id)

    async def actor(self, telegram_id: int) -> Actor:
        return await self._actor(telegram_id)

    def may_manage(self, actor: Actor, callout: Callout) -> bool:
        return self._may_manage(actor, callout)

    async def refresh_page(self, callout: Callout, person: PagedPerson) -> None:
        await self._refresh_page(callout, person)

    # --- lookups ------------------------------------------------------------------------
    def _today(self) -> Any:
        return local_today(self.clock, self.config.tz)

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
            k.code: (k.label_zh if lang == "zh" else k.label_en)
            for k in await self.roster.skill_kinds()
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
            request,
            teams=teams,
            require_fitness=fitness,
            point=point,
            called_by=actor.telegram_id,
            now=now,
            escalate_at=escalate_at,
            paged=paged,
            languages=languages,
            left_out=left_out,
            quotas=quotas,
            slot_skills=self._slot_skills(paged, request.slots),
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
    ) -> Delivery:
        """Send, and send again while Telegram is unreachable: for as long as the callout is
        live, or (no callout) for REPLY_PATIENCE. One message, so waiting for a late answer
        beats sending a second copy."""
        deadline = time.monotonic() + REPLY_PATIENCE
        return await until_delivered(
            lambda: self.notifier.send(chat_id, text, buttons, reply_to=reply_to, patient=True),
            lambda: self._wanted(callout_id, deadline),
        )

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
            await asyncio.gather(*(worker() for _ in range(self.config.page_workers)))
            await log_.flush()
        finally:
            done.set()
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
            await _first(done, trouble)
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
        names = _to_ring(leader, still_out)
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
        buttons = [
            [
                (
                    t("button.join", lang, id=open_callout.id),
                    render.callback(open_callout.id, "join", draft_id, token),
                ),
                (t("button.page_anyway", lang), f"cd:{draft_id}:go"),
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

    async def _held(self, actor: Actor, draft_id: int) -> tuple[CalloutRequest, GeoPoint | None]:
        draft = await self.repo.draft(draft_id)
        if draft is None or draft.step != "held":
            raise DomainError("callout.error.draft_gone")
        if draft.telegram_id != actor.telegram_id:
            raise NotAllowed("error.not_allowed")
        data = dict(draft.data)
        data.pop("token", None)
        data.pop("warned", None)
        raw_point = data.pop("point", None)
        data["skills"] = tuple(data["skills"])
        data["teams"] = tuple(data["teams"])
        data["quotas"] = tuple(data.get("quotas", ()))
        point = GeoPoint(raw_point[0], raw_point[1]) if raw_point else None
        await self.repo.drop_draft(draft_id)
        return CalloutRequest(**data), point

    async def page_anyway(self, actor: Actor, draft_id: int) -> StartResult:
        request, point = await self._held(actor, draft_id)
        teams = await self.resolve_teams(actor, request)
        return await self._launch(actor, request, teams, point)

    async def check_join(self, actor: Actor, callout_id: int, draft_id: int, token: str) -> None:
        """The join button is the one the duplicate guard sent this caller for this callout."""
        draft = await self.repo.draft(draft_id)
        if draft is None or draft.step != "held":
            raise DomainError("callout.error.draft_gone")
        if (
            draft.telegram_id != actor.telegram_id
            or draft.data.get("warned") != callout_id
            or not hmac.compare_digest(str(draft.data.get("token", "")).encode(), token.encode())
        ):
            raise NotAllowed("multiteam.error.join_refused")

    async def join(self, actor: Actor, callout_id: int, draft_id: int, token: str) -> int:
        """Instead of a second callout, add the held request to the open one as its own
        part: the joining teams' headcount (their quota), skills, slots and place note."""
        await self.check_join(actor, callout_id, draft_id, token)
        request, _ = await self._held(actor, draft_id)
        teams = await self.resolve_teams(actor, request)
        callout = await self._callout(callout_id)
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        extra = tuple(c for c in teams if c not in callout.teams)
        if extra:
            # The joining caller gets their team's board with the rest of the teams'.
            return await self._join_part(actor, callout, request, teams, extra)
        await self.deliver(
            actor.telegram_id, await self.board_text(callout_id, actor), callout_id=callout_id
        )
        return 0

    async def _join_part(
        self,
        actor: Actor,
        callout: Callout,
        request: CalloutRequest,
        teams: tuple[str, ...],
        extra: tuple[str, ...],
    ) -> int:
        if request.quotas:
            wanted = dict(zip(teams, request.quotas, strict=True))
            quotas = {code: wanted[code] for code in extra}
            needed = sum(quotas.values())
        else:
            quotas = {extra[0]: request.needed} if len(extra) == 1 else {}
            needed = request.needed
        part = Part(actor.telegram_id, request.location, quotas, needed, request.slots)
        already = {p.volunteer_id for p in await self.repo.people(callout.id)}
        paged, left_out, languages = await self._eligible(
            callout.type,
            request.skills,
            requires_fitness(request.type, request.fitness),
            extra,
            already,
        )
        paged = [v for v in paged if v.telegram_id != actor.telegram_id]
        await PartsRepository(self.db).join(
            callout,
            part,
            teams=extra,
            now=self.clock.now(),
            paged=paged,
            languages=languages,
            left_out=left_out,
            slot_skills=self._slot_skills(paged, {**callout.slots, **request.slots}),
        )
        self.notifier.board_changed(callout.id)
        # Every team now has a board of its part, the joining caller's team included.
        await self.team_boards.open(callout.id, callout.teams + extra, set())
        await self._fan_out(await self._callout(callout.id), paged, languages)
        return len(paged)

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
        if result.kind == "unknown":
            return t("tap.unknown", fallback_lang)
        if result.kind == "not_paged":
            return t("tap.not_yours", fallback_lang)
        assert result.callout is not None and result.person is not None
        lang = result.person.language or self.config.language
        if result.kind == "ended":
            return t(f"tap.ended.{result.callout.status.value}", lang, id=callout_id)
        if result.kind == "part_cancelled":
            return t("multiteam.tap.part_cancelled", lang, id=callout_id)
        if result.kind == "busy":
            assert result.other is not None
            self._spawn(self._ask_which(result.callout, result.person, result.other))
            return t("multiteam.tap.busy", lang, other=result.other)
        outcome = result.outcome
        assert outcome is not None
        if outcome.changed:
            self._spawn(self._after_tap(result.callout, result.person, outcome))
        if answer == "eta":
            if result.person.state not in (State.AVAILABLE, State.STANDBY):
                return t("tap.eta_first", lang)
            return t("tap.eta", lang, minutes=eta)
        if not outcome.changed:
            return t("tap.same", lang)
        return t(f"tap.{outcome.state.value}", lang)

    async def _apply_tap(
        self, telegram_id: int, callout_id: int, answer: str, eta: int | None, allow_busy: bool
    ) -> TapResult:
        """The tap in the database, counted while it runs (follow-ups wait for the count
        to reach zero: answers first)."""
        self._taps_applying += 1
        self._no_taps_applying.clear()
        try:
            if answer == "eta" and eta is not None:
                return await self.repo.set_eta(callout_id, telegram_id, eta)
            return await self.repo.tap(
                callout_id, telegram_id, answer == "a", self.clock.now(), allow_busy=allow_busy
            )
        finally:
            self._taps_applying -= 1
            if not self._taps_applying:
                self._no_taps_applying.set()

    async def going_too(self, telegram_id: int, callout_id: int, fallback: str) -> str:
        """*I'm going too* on the caller's board: the caller counts like a tap of theirs."""
        callout = await self.repo.get(callout_id)
        if callout is None:
            return t("tap.unknown", fallback)
        volunteer = await self.roster.by_telegram(telegram_id)
        if telegram_id != callout.called_by or volunteer is None:
            return t("multiteam.going_too.not_caller", fallback)
        if not callout.status.ended:
            lang = await self.roster.language_of(telegram_id) or self.config.language
            await PartsRepository(self.db).add_caller(
                callout_id, volunteer.id, telegram_id, lang, self.clock.now()
            )
        return await self.tap(telegram_id, callout_id, "a", fallback)

    async def _ask_which(self, callout: Callout, person: PagedPerson, other: int) -> None:
        """Confirmed on #other and tapping Available on this one: which is it to be?"""
        chat = person.chat_id or person.telegram_id
        if chat is None:
            return
        lang = person.language or self.config.language
        buttons = [
            [
                (
                    t("multiteam.button.swap", lang, id=callout.id, other=other),
                    render.callback(callout.id, "swap", other),
                ),
                (
                    t("multiteam.button.stay", lang, other=other),
                    render.callback(callout.id, "stay", other),
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

    async def swap(self, telegram_id: int, callout_id: int, other: int, fallback: str) -> str:
        """Leave #other (its standby moves up as usual), then say Available here."""
        await self.tap(telegram_id, other, "u", fallback)
        return await self.tap(telegram_id, callout_id, "a", fallback, allow_busy=True)

    async def _after_tap(self, callout: Callout, person: PagedPerson, outcome: TapOutcome) -> None:
        # The board shows the database, which the tap already changed (and is redrawn at
        # most about once a second); the pages wait for a turn.
        self.notifier.board_changed(callout.id)
        async with self._follow_up_turns:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(FOLLOW_UP_DEFER):
                    await self._no_taps_applying.wait()
            # The tap's transaction already returned the tapper as they now are; only a
            # promoted standby needs reading.
            jobs = [self._refresh_page(callout, person)]
            moved = [outcome.promoted] if outcome.promoted is not None else []
            moved += outcome.also_promoted
            if moved:
                for promoted in (await self.repo.people_by_ids(callout.id, moved)).values():
                    jobs.append(self._refresh_page(callout, promoted))
                    jobs.append(self._tell(promoted, "notice.promoted", callout))
            await asyncio.gather(*jobs)

    async def _refresh_page(self, callout: Callout, person: PagedPerson) -> None:
        """Redraw one volunteer's page for their current answer.

        Follow-ups of taps, closes and cancels race each other: a lock per page keeps its
        edits in order, and a follow-up that reaches it after the callout ended draws the
        ended page (a slow tap follow-up must not put buttons back on a closed callout).
        """
        if person.chat_id is None or person.message_id is None:
            return
        lock = self._page_locks.setdefault((callout.id, person.volunteer_id), asyncio.Lock())
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
            await self.notifier.edit(
                person.chat_id,
                person.message_id,
                text,
                render.page_buttons(
                    callout, lang, person.state, on_scene=person.on_scene_at is not None
                ),
            )

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

    async def busy_elsewhere(self, callout_id: int, people: list[PagedPerson]) -> dict[int, int]:
        """Who of those not confirmed here is confirmed on another open callout."""
        waiting = [
            p.volunteer_id
            for p in people
            if p.state in (State.PAGED, State.NO_REPLY, State.STANDBY) and p.on_scene_at is None
        ]
        return await BusyRepository(self.db).elsewhere(callout_id, waiting)

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
        silent = [
            p
            for p in people
            if p.state is State.PAGED and (not later_only or p.volunteer_id in due)
        ]
        if later_only and not silent:
            return
        await reminders.mark(callout.id, [p.volunteer_id for p in silent], now)

        async def remind(person: PagedPerson) -> None:
            if person.chat_id is None:
                return
            lang = person.language or self.config.language
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
            )

        await asyncio.gather(*(remind(p) for p in silent))
        caller = await self._actor(callout.called_by)
        lang = caller.language
        names = _to_ring(caller, silent)
        confirmed = sum(1 for p in people if p.state is State.AVAILABLE)
        # The pages that never arrived are the people who most need a call.
        unreached = [p for p in people if p.state is State.UNDELIVERABLE]
        if unreached:
            names.append(t("multiteam.escalation.unreached", lang, count=len(unreached)))
            names += [
                line + " — " + t(f"undeliverable.{p.reason or 'failed'}", lang)
                for line, p in zip(_to_ring(caller, unreached), unreached, strict=True)
            ]
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
            buttons = [
                [
                    (
                        t("button.widen", lang, count=len(matching)),
                        render.callback(callout.id, "widen"),
                    )
                ]
            ]
            mute = [(t("multiteam.button.mute", lang), render.callback(callout.id, "mute"))]
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

    async def resume_fan_out(self) -> int:
        """At start-up: pages still waiting to go out when the bot stopped go out now.

        A page is recorded before it is sent and its message id after; one without a
        message id was never delivered (or was in flight: a rare second copy is better
        than a volunteer never paged).
        """
        resumed = 0
        for callout in await self.repo.live():
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

    # --- the end ------------------------------------------------------------------------
    async def cancel(self, actor: Actor, callout_id: int, reason: str) -> str | None:
        """Cancel the whole callout; or, for a leader who manages only their team's part
        of it, that part (its team code is returned)."""
        callout = await self._callout(callout_id)
        own = actor.volunteer.team_code if actor.volunteer else None
        if (
            own in callout.teams
            and len(callout.teams) > 1
            and actor.leads(own or "")
            and not await self.manages_whole(actor, callout)
        ):
            assert own is not None
            await self._cancel_part(actor, callout, own, reason)
            return own
        await self._require_whole(actor, callout)
        if not await self.repo.cancel(callout_id, actor.telegram_id, reason, self.clock.now()):
            raise DomainError("callout.error.ended", id=callout_id)
        self._ended.add(callout_id)
        # At once, not after every page has been stood down at the rate limit.
        self.notifier.board_changed(callout_id)
        self._spawn(self._stand_down(callout_id, "notice.cancelled", reason=reason or "-"))
        return None

    async def _cancel_part(self, actor: Actor, callout: Callout, team: str, reason: str) -> None:
        going = [
            p
            for p in await self.repo.people(callout.id)
            if p.team_code == team and p.on_scene_at is None
        ]
        if not await PartsRepository(self.db).cancel_part(callout, team, actor.telegram_id, reason):
            raise DomainError("callout.error.ended", id=callout.id)
        self.notifier.board_changed(callout.id)

        async def stand_down() -> None:
            async def one(person: PagedPerson) -> None:
                # Their page loses its buttons; whoever was going is told.
                if person.chat_id is not None and person.message_id is not None:
                    await self.notifier.edit(person.chat_id, person.message_id, None, None)
                if person.state in (State.AVAILABLE, State.STANDBY):
                    await self._tell(person, "notice.cancelled", callout, reason=reason or "-")

            await asyncio.gather(*(one(p) for p in going))

        self._spawn(stand_down())

    async def close(
        self, actor: Actor, callout_id: int, rescued: int, notes: str, outcome: str = ""
    ) -> ClosedMission:
        callout = await self._callout(callout_id)
        await self._require_whole(actor, callout)
        mission_id = await self.repo.close(
            callout_id, actor.telegram_id, rescued, notes, self.clock.now(), outcome
        )
        if mission_id is None:
            raise DomainError("callout.error.ended", id=callout_id)
        self._ended.add(callout_id)
        self.notifier.board_changed(callout_id)
        number, year = await self.repo.mission_number(mission_id, self.config.tz)
        participants = sum(1 for p in await self.repo.people(callout_id) if p.participant)
        self._spawn(self._stand_down(callout_id, "notice.closed"))
        return ClosedMission(mission_id, number, year, self.config.mission_target, participants)

    async def _stand_down(self, callout_id: int, key: str, **params: Any) -> None:
        """Pages lose their buttons; confirmed and standby volunteers are told."""
        callout = await self._callout(callout_id)
        people = await self.repo.people(callout_id)

        async def one(person: PagedPerson) -> None:
            await self._refresh_page(callout, person)
            if person.state in (State.AVAILABLE, State.STANDBY):
                await self._tell(person, key, callout, **params)

        await asyncio.gather(*(one(p) for p in people))
        self.notifier.board_changed(callout_id)

    async def add_mission(self, actor: Actor, entry: MissionEntry) -> ClosedMission:
        if not actor.is_leader_or_coordinator:
            raise NotAllowed("error.leaders_only")
        teams = await self._team_codes(",".join(entry.teams))
        # Every team named: a leader logs missions for their own team only.
        if not all(actor.leads(code) for code in teams):
            raise NotAllowed("callout.error.other_team", team=", ".join(teams))
        if entry.day > local_today(self.clock, self.config.tz):
            raise DomainError("error.future_date", value=entry.day.isoformat())
        entry.teams = teams
        # The people credited: found by name or phone, each in a team the actor leads.
        people: list[int] = []
        for query in entry.people:
            volunteer = await self.roster.find_one(query)
            if not actor.leads(volunteer.team_code):
                raise NotAllowed("callout.error.other_team", team=volunteer.team_code)
            if volunteer.id not in people:
                people.append(volunteer.id)
        mission_id = await self.repo.add_mission(
            entry, tz=self.config.tz, actor=actor.telegram_id, participants=tuple(people)
        )
        number, year = await self.repo.mission_number(mission_id, self.config.tz)
        return ClosedMission(mission_id, number, year, self.config.mission_target, len(people))


class _Person(Protocol):
    name: str
    team_code: str
    phone: str


def _to_ring(viewer: Actor, people: Sequence[_Person]) -> list[str]:
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


async def _first(*events: asyncio.Event) -> None:
    """Wait until one of `events` is set."""
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


__all__ = ["CalloutConfig", "CalloutService", "ClosedMission", "StartResult", "parse_skills"]
