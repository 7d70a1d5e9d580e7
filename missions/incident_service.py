"""Incident operations: on scene, safety checks, the return after /close, hours and debrief.

Everything time-driven runs through one timer per callout (`IncidentTimer`): `tick`
sends what is due (a round of safety checks, alerts for checks nobody answered, alerts
for people not home safe), then asks for the next deadline. The deadlines live in the
database, so a restart resumes them and a check that fell due while the bot was down is
sent at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.errors import DomainError, NotAllowed, NotFound
from i18n.catalogue import t
from missions.actions import (
    INCIDENT_BUTTON,
    CheckOk,
    HomeSafe,
    HoursFix,
    HoursRight,
    NeedHelp,
    OnScene,
)
from missions.delivery import all_of
from missions.entities import Callout, PagedPerson
from missions.incident import (
    Mark,
    MarkRequest,
    check_interval,
    check_stage_due,
    earliest,
    first_check_at,
    parse_debrief_hours,
    return_stage_due,
)
from missions.incident_repository import IncidentRepository, OpenCheck, Participation
from missions.model import GeoPoint, State, type_label
from missions.ports import Buttons, IncidentTimer
from missions.service import CalloutService
from missions.tap_repository import AUDITED_IN_TRANSACTION
from roster.model import Actor
from roster.phones import display_phone

log = logging.getLogger(__name__)


# A button's result kind that is a refusal → its answer (a catalogue key).
_REFUSALS = {
    "unknown": "tap.unknown",
    "not_yours": "tap.not_yours",
    "not_paged": "tap.not_yours",
    "not_participant": "incident.error.not_participant",
}
FULL_LIST_COLUMNS = (
    "group", "name", "team", "phone", "answered", "eta", "on_scene", "home_safe", "position",
    "notes",
)  # fmt: skip


def _participant_line(p: Participation, lang: str) -> str:
    """One participant of `/mission ID`: counted hours and whether they were confirmed."""
    counted = "-" if p.counted_hours is None else f"{p.counted_hours:g}"
    line = t("mission.record.line", lang, name=p.name, team=p.team_code, counted=counted)
    if p.confirmed_hours is None:
        line += " · " + t("mission.record.unconfirmed", lang)
    elif p.counted_hours is not None and p.confirmed_hours != p.counted_hours:
        line += " · " + t("mission.record.corrected", lang, hours=f"{p.confirmed_hours:g}")
    else:
        line += " · " + t("mission.record.confirmed", lang)
    if p.recorded_by is not None:
        line += " · " + t("mark.by_leader", lang)
    return line


@dataclass(frozen=True)
class IncidentConfig:
    check_minutes: float
    grace_minutes: float
    return_minutes: float


class IncidentService:
    def __init__(
        self, callouts: CalloutService, timer: IncidentTimer, config: IncidentConfig
    ) -> None:
        self.callouts = callouts
        self.repo = IncidentRepository(callouts.db)
        self.notifier = callouts.notifier
        self.roster = callouts.roster
        self.clock = callouts.clock
        self.timer = timer
        self.config = config
        self._ticks: dict[int, asyncio.Lock] = {}

    # --- helpers ----------------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return self.callouts.config.tz

    @property
    def language(self) -> str:
        return self.callouts.config.language

    def hhmm(self, moment: datetime | None) -> str:
        return moment.astimezone(self.tz).strftime("%H:%M") if moment else "-"

    def interval(self, callout: Callout) -> float:
        return check_interval(callout.check_minutes, self.config.check_minutes)

    def _params(self, callout: Callout, lang: str) -> dict[str, Any]:
        return {"id": callout.id, "type": type_label(callout.type, lang), "place": callout.location}

    async def _leaders(self, callout: Callout) -> list[Actor]:
        """The caller and the leaders and deputies of the callout's teams (linked ones)."""
        ids = [callout.called_by]
        for team in callout.teams:
            ids += [v.telegram_id for v in await self.roster.leaders_of(team) if v.telegram_id]
        seen: list[int] = []
        for telegram_id in ids:
            if telegram_id not in seen:
                seen.append(telegram_id)
        return [await self.callouts.actor(i) for i in seen]

    async def _coordinators(self) -> list[Actor]:
        return [await self.callouts.actor(i) for i in await self.roster.coordinator_ids()]

    def _line(self, viewer: Actor, person: PagedPerson, *, position: bool = True) -> str:
        """`name (team) phone · 📍 lat, lon (HH:MM)`: phones only for whom may see them."""
        lang = viewer.language
        text = f"{person.name} ({person.team_code})"
        if viewer.may_see_personal_data(person.team_code, True):
            text += f" {display_phone(person.phone)}"
        if position:
            if person.position is not None:
                text += " · " + t(
                    "incident.position",
                    lang,
                    lat=f"{person.position.latitude:.5f}",
                    lon=f"{person.position.longitude:.5f}",
                    time=self.hhmm(person.position_at),
                )
            else:
                text += " · " + t("incident.no_position", lang)
        return text

    async def _tell_all(
        self,
        viewers: list[Actor],
        key: str,
        callout: Callout,
        people: list[PagedPerson],
        *,
        position: bool = True,
        **params: Any,
    ) -> None:
        def text(viewer: Actor) -> str:
            lang = viewer.language
            lines = [t(key, lang, **self._params(callout, lang), count=len(people), **params)]
            lines += ["  " + self._line(viewer, p, position=position) for p in people]
            return "\n".join(lines)

        # Safety alerts: retried through an outage and saved at a stop, like every notice
        # (tied to no callout: an overdue return comes after the callout has ended), and
        # side by side, so one slow chat does not hold up the others.
        await all_of(*(self.callouts.deliver(v.telegram_id, text(v)) for v in viewers))

    def _changed(self, callout_id: int) -> None:
        self.notifier.board_changed(callout_id)

    def _schedule_soon(self, callout_id: int) -> None:
        self.timer.schedule_incident(callout_id, self.clock.now())

    async def _refusal(
        self,
        kind: str,
        person: PagedPerson | None,
        fallback_lang: str,
        telegram_id: int,
        callout_id: int,
    ) -> str | None:
        """The answer to a tap that changed nothing, by the repository's result kind; a
        refusal is audited (by the transaction already, for the kinds it found)."""
        if kind == "ok":
            return None
        lang = (person.language if person else None) or self.language
        key = _REFUSALS.get(kind)
        if key is None:
            return t("tap.same", lang)
        if kind == "not_participant":
            fallback_lang = lang
        if kind in AUDITED_IN_TRANSACTION:
            return t(key, fallback_lang)
        return await self.callouts.refuse_tap(
            telegram_id, key, fallback_lang, callout_id, INCIDENT_BUTTON
        )

    # --- buttons ----------------------------------------------------------------------------
    async def button(
        self,
        telegram_id: int,
        action: OnScene | CheckOk | NeedHelp | HomeSafe | HoursRight | HoursFix,
        fallback_lang: str,
    ) -> str:
        """The short answer to an incident button; the follow-ups run afterwards."""
        callout_id = action.callout_id
        if isinstance(action, OnScene):
            return await self.on_scene(telegram_id, callout_id, fallback_lang)
        if isinstance(action, CheckOk | NeedHelp):
            verb = "ok" if isinstance(action, CheckOk) else "help"
            return await self.answer_check(
                telegram_id, callout_id, action.check_id, verb, fallback_lang
            )
        if isinstance(action, HomeSafe):
            return await self.home_safe(telegram_id, callout_id, fallback_lang)
        right = isinstance(action, HoursRight)
        return await self.debrief(telegram_id, action.mission_id, right, fallback_lang)

    # --- on scene ---------------------------------------------------------------------------
    async def on_scene(self, telegram_id: int, callout_id: int, fallback_lang: str) -> str:
        callout, person = await self.repo.person(callout_id, telegram_id)
        if callout is None or person is None:
            key = "tap.unknown" if callout is None else "tap.not_yours"
            return await self.callouts.refuse_tap(
                telegram_id, key, fallback_lang, callout_id, INCIDENT_BUTTON
            )
        lang = person.language or self.language
        if callout.status.ended:
            return t(f"tap.ended.{callout.status.value}", lang, id=callout_id)
        now = self.clock.now()
        try:
            changed = await self.repo.check_in(
                callout_id,
                person.volunteer_id,
                now,
                by=None,
                first_check=first_check_at(None, now, self.interval(callout)),
            )
        except DomainError as refused:
            await self.callouts.repo.refused(telegram_id, refused.key, callout_id, INCIDENT_BUTTON)
            return t(refused.key, lang, **refused.params)
        if not changed:
            return t("tap.same", lang)
        self._after_change(callout_id, person.volunteer_id)
        return t("incident.tap.on_scene", lang, time=self.hhmm(now))

    def _after_change(self, callout_id: int, volunteer_id: int) -> None:
        """The board, the person's page and the timers follow a change, in the background."""

        async def follow() -> None:
            self._changed(callout_id)
            callout = await self.callouts.callout(callout_id)
            people = await self.callouts.repo.people_by_ids(callout_id, [volunteer_id])
            if volunteer_id in people:
                await self.callouts.refresh_page(callout, people[volunteer_id])
            self._schedule_soon(callout_id)

        self.callouts.spawn(follow())

    async def record_position(self, telegram_id: int, point: GeoPoint) -> list[int]:
        """A location shared by someone out on a callout is their last known position."""
        ids = await self.repo.set_position(telegram_id, point, self.clock.now())
        for callout_id in ids:
            self._changed(callout_id)
            callout, person = await self.repo.person(callout_id, telegram_id)
            if callout is not None and person is not None and person.need_help_at is not None:
                # Someone who asked for help: the new position goes straight to those helping.
                await self._help_alert(callout, person)
        return ids

    # --- safety checks ----------------------------------------------------------------------
    async def set_check(self, actor: Actor, callout_id: int, minutes: float) -> str:
        callout = await self.callouts.callout(callout_id)
        # The checks run for everyone on scene, so they are the whole callout's to change:
        # an included team's leader manages their part only.
        if not await self.callouts.manages_whole(actor, callout):
            if self.callouts.may_manage(actor, callout):
                raise NotAllowed("check.error.whole_callout", id=callout_id)
            raise NotAllowed("error.not_allowed")
        if callout.status.ended:
            raise DomainError("callout.error.ended", id=callout_id)
        now = self.clock.now()
        on_scene = await self.repo.on_scene(callout_id)
        next_at = now + timedelta(minutes=minutes) if minutes > 0 and on_scene else None
        await self.repo.set_check_minutes(callout_id, minutes, next_at, actor.telegram_id)
        self._schedule_soon(callout_id)
        if minutes <= 0:
            return t("check.off", actor.language, id=callout_id)
        if next_at is None:
            return t("check.set_later", actor.language, id=callout_id, minutes=f"{minutes:g}")
        return t(
            "check.set",
            actor.language,
            id=callout_id,
            minutes=f"{minutes:g}",
            time=self.hhmm(next_at),
        )

    async def tick(self, callout_id: int) -> None:
        """Whatever is due for this callout, then the timer for the next deadline."""
        lock = self._ticks.setdefault(callout_id, asyncio.Lock())
        async with lock:
            callout = await self.callouts.repo.get(callout_id)
            if callout is None:
                return
            now = self.clock.now()
            await self._check_round(callout, now)
            await self._missed_checks(callout, now)
            await self._return_overdue(callout, now)
            callout = await self.callouts.repo.get(callout_id) or callout
            following = await self._next_deadline(callout)
            if following is not None:
                self.timer.schedule_incident(callout_id, following)

    async def _check_round(self, callout: Callout, now: datetime) -> None:
        due = callout.next_check_at
        if callout.status.ended or due is None or due > now:
            return
        interval = self.interval(callout)
        # The next round counts from now: a bot that was down sends one round, not many.
        following = now + timedelta(minutes=interval) if interval > 0 else None
        if not await self.repo.take_check_round(callout.id, due, following):
            return
        if interval <= 0:
            return
        asked: list[tuple[PagedPerson, int, int]] = []
        for person in await self.repo.on_scene(callout.id):
            chat = person.chat_id or person.telegram_id
            if chat is None:
                continue  # no Telegram (recorded by phone): the leader keeps in touch
            check_id = await self.repo.add_check(callout.id, person.volunteer_id, now)
            if check_id is None:
                continue  # the last one is still unanswered (and already escalating)
            asked.append((person, chat, check_id))
        if asked:
            log.info("safety check round on callout %s: %d asked", callout.id, len(asked))
            # In the background: a question waiting out an outage must not hold up this
            # tick's alerts about checks already missed.
            self.callouts.spawn(self._ask_checks(callout, asked))

    async def _ask_checks(
        self, callout: Callout, asked: list[tuple[PagedPerson, int, int]]
    ) -> None:
        # All at once: the rate limiter paces them, as it does a fan-out.
        await all_of(*(self._ask_check(callout, *one) for one in asked))

    async def _ask_check(
        self, callout: Callout, person: PagedPerson, chat: int, check_id: int
    ) -> None:
        lang = person.language or self.language
        buttons: Buttons = [
            [
                (t("button.ok", lang), CheckOk(callout.id, check_id)),
                (t("button.help", lang), NeedHelp(callout.id, check_id)),
            ]
        ]
        # Retried through an outage while the callout is live, and saved at a stop: the
        # question still counts (unanswered, the leader hears after the grace).
        delivery = await self.callouts.deliver(
            chat,
            t("incident.check.ask", lang, **self._params(callout, lang), grace=self._grace()),
            buttons,
            callout_id=callout.id,
        )
        if delivery.message_id is not None:
            await self.repo.record_check_message(check_id, chat, delivery.message_id)

    def _grace(self) -> str:
        return f"{self.config.grace_minutes:g}"

    async def _missed_checks(self, callout: Callout, now: datetime) -> None:
        checks = await self.repo.open_checks(callout.id)
        stage_one: list[OpenCheck] = []
        stage_two: list[OpenCheck] = []
        for check in checks:
            due = check_stage_due(check.sent_at, check.stage, self.config.grace_minutes)
            if due is None or due > now:
                continue
            if not await self.repo.advance_check(check.id, check.stage + 1):
                continue
            (stage_one if check.stage == 0 else stage_two).append(check)
        if not stage_one and not stage_two:
            return
        people = {p.volunteer_id: p for p in await self.repo.on_scene(callout.id)}
        if stage_one:
            missed = [people[c.volunteer_id] for c in stage_one if c.volunteer_id in people]
            if missed:
                await self._tell_all(
                    await self._leaders(callout),
                    "incident.check.missed.leader",
                    callout,
                    missed,
                    minutes=self._grace(),
                )
        if stage_two:
            missed = [people[c.volunteer_id] for c in stage_two if c.volunteer_id in people]
            if missed:
                await self._tell_all(
                    await self._coordinators(),
                    "incident.check.missed.coordinator",
                    callout,
                    missed,
                    minutes=f"{2 * self.config.grace_minutes:g}",
                )
        self._changed(callout.id)

    async def answer_check(
        self, telegram_id: int, callout_id: int, check_id: int, answer: str, fallback_lang: str
    ) -> str:
        result = await self.repo.answer_check(
            callout_id, check_id, telegram_id, answer, self.clock.now()
        )
        refused = await self._refusal(
            result.kind, result.person, fallback_lang, telegram_id, callout_id
        )
        if refused is not None:
            return refused
        person = result.person
        assert result.callout is not None and person is not None
        lang = person.language or self.language
        callout = result.callout
        self._changed(callout_id)
        if answer == "help":
            self.callouts.spawn(self._help_alert(callout, person))
            return t("incident.tap.help", lang)
        if result.was_alerted:
            self.callouts.spawn(
                self._tell_all(
                    await self._leaders(callout),
                    "incident.check.answered",
                    callout,
                    [person],
                    position=False,
                )
            )
        return t("incident.tap.ok", lang)

    async def _help_alert(self, callout: Callout, person: PagedPerson) -> None:
        """Need help: the leaders and the coordinators at once, with the position as a pin."""
        viewers = await self._leaders(callout)
        known = {v.telegram_id for v in viewers}
        viewers += [c for c in await self._coordinators() if c.telegram_id not in known]

        def text(viewer: Actor) -> str:
            lang = viewer.language
            alert = t("incident.help.alert", lang, **self._params(callout, lang))
            return alert + "\n  " + self._line(viewer, person)

        await all_of(
            *(
                self.callouts.deliver(v.telegram_id, text(v), location=person.position)
                for v in viewers
            )
        )

    # --- the return -------------------------------------------------------------------------
    async def after_close(self, callout_id: int) -> int:
        """Ask every participant still out to tap Home safe (in the background: the
        leader's reply must not wait for the sends); the return timer starts."""
        callout = await self.callouts.callout(callout_id)
        waiting = await self.repo.not_yet_asked_home(callout_id)
        self.callouts.spawn(self._ask_all_home(callout, waiting))
        self._schedule_soon(callout_id)
        self._changed(callout_id)
        return len(waiting)

    async def _ask_all_home(self, callout: Callout, people: list[PagedPerson]) -> None:
        await all_of(*(self._ask_home(callout, p) for p in people))

    async def _ask_home(self, callout: Callout, person: PagedPerson) -> int:
        chat = person.chat_id or person.telegram_id
        if chat is None:
            return 0
        lang = person.language or self.language
        # Retried through an outage (tied to no live callout: the callout has ended). Not
        # saved at a stop: whoever was never asked is asked again at start-up (`resume`).
        delivery = await self.callouts.deliver(
            chat,
            t(f"incident.return.ask.{callout.status.value}", lang, **self._params(callout, lang)),
            [[(t("button.home", lang), HomeSafe(callout.id))]],
            reply_to=person.message_id,
            save=False,
        )
        if delivery.message_id is None:
            return 0
        await self.repo.mark_home_asked(callout.id, person.volunteer_id, self.clock.now())
        return 1

    async def _return_overdue(self, callout: Callout, now: datetime) -> None:
        if not callout.returning or callout.return_started_at is None:
            return
        due = return_stage_due(
            callout.return_started_at, callout.return_stage, self.config.return_minutes
        )
        if due is None or due > now:
            return
        stage = callout.return_stage + 1
        if not await self.repo.advance_return(callout.id, stage):
            return
        out = [p for p in await self.repo.participants(callout.id) if p.home_safe_at is None]
        if not out:
            return
        self._changed(callout.id)  # dashboards flag who is overdue coming home
        minutes = f"{self.config.return_minutes * stage:g}"
        viewers = await self._leaders(callout) if stage == 1 else await self._coordinators()
        key = (
            "incident.return.overdue.leader"
            if stage == 1
            else "incident.return.overdue.coordinator"
        )
        await self._tell_all(viewers, key, callout, out, minutes=minutes)

    async def home_safe(self, telegram_id: int, callout_id: int, fallback_lang: str) -> str:
        result = await self.repo.home_safe(callout_id, telegram_id, self.clock.now())
        refused = await self._refusal(
            result.kind, result.person, fallback_lang, telegram_id, callout_id
        )
        if refused is not None:
            return refused
        person = result.person
        assert result.callout is not None and person is not None
        lang = person.language or self.language
        self.callouts.spawn(self._after_home(result.callout, person, result))
        return t("incident.tap.home", lang, time=self.hhmm(person.home_safe_at))

    async def _after_home(self, callout: Callout, person: PagedPerson, result: Any) -> None:
        self._changed(callout.id)
        if result.mission_id is not None and result.counted is not None:
            await self._send_debrief(callout, person, result.mission_id, result.counted)
        if result.everyone_home:
            await self._everyone_home(callout)

    async def _everyone_home(self, callout: Callout) -> None:
        count = len(await self.repo.participants(callout.id))
        await all_of(
            *(
                self.callouts.deliver(
                    viewer.telegram_id,
                    t(
                        "incident.return.all_home",
                        viewer.language,
                        **self._params(callout, viewer.language),
                        count=count,
                    ),
                )
                for viewer in await self._leaders(callout)
            )
        )

    # --- hours and the debrief --------------------------------------------------------------
    async def _send_debrief(
        self, callout: Callout, person: PagedPerson, mission_id: int, counted: float
    ) -> None:
        chat = person.chat_id or person.telegram_id
        if chat is None:
            return
        lang = person.language or self.language
        start = person.on_scene_at or person.confirmed_at or person.answered_at
        end = person.home_safe_at or callout.ended_at
        await self.callouts.deliver(
            chat,
            t(
                "incident.debrief",
                lang,
                **self._params(callout, lang),
                hours=f"{counted:g}",
                start=self.hhmm(start),
                end=self.hhmm(end),
            ),
            [
                [
                    (t("button.right", lang), HoursRight(callout.id, mission_id)),
                    (t("button.correct", lang), HoursFix(callout.id, mission_id)),
                ]
            ],
        )

    async def debrief(
        self, telegram_id: int, mission_id: int, right: bool, fallback_lang: str
    ) -> str:
        volunteer = await self.roster.by_telegram(telegram_id)
        lang = (await self.roster.language_of(telegram_id)) or self.language
        found = await self.repo.participation(mission_id, volunteer.id) if volunteer else None
        if volunteer is None or found is None:
            return await self.callouts.refuse_tap(
                telegram_id, "tap.not_yours", fallback_lang, None, INCIDENT_BUTTON
            )
        if right:
            hours = await self.repo.confirm_hours(mission_id, volunteer.id, None, telegram_id)
            return t("debrief.saved", lang, hours=f"{hours:g}", id=found.callout_id or mission_id)
        await self.repo.start_correction(mission_id, volunteer.id, self.clock.now())
        self.callouts.spawn(self._ask_for_number(telegram_id, found, lang))
        return t("debrief.ask_short", lang)

    async def _ask_for_number(self, telegram_id: int, found: Participation, lang: str) -> None:
        await self.callouts.deliver(
            telegram_id,
            t(
                "debrief.ask",
                lang,
                id=found.callout_id or found.mission_id,
                hours=f"{found.counted_hours or found.hours:g}",
            ),
        )

    async def correct_hours(self, telegram_id: int, text: str) -> str | None:
        """A number typed after *Correct*: the confirmed hours (None: nothing was asked)."""
        found = await self.repo.correcting(telegram_id)
        if found is None:
            return None
        lang = (await self.roster.language_of(telegram_id)) or self.language
        hours = parse_debrief_hours(text)
        await self.repo.confirm_hours(found.mission_id, found.volunteer_id, hours, telegram_id)
        return t("debrief.saved", lang, hours=f"{hours:g}", id=found.callout_id or found.mission_id)

    async def mission_record(self, actor: Actor, mission_id: int) -> str:
        """`/mission ID`: participants with counted and confirmed hours."""
        if not actor.is_leader_or_coordinator:
            raise NotAllowed("error.leaders_only")
        missions = {m.id: m for m in await self.callouts.repo.missions(None, self.tz)}
        mission = missions.get(mission_id)
        if mission is None:
            raise NotFound("mission.error.unknown", id=mission_id)
        if not any(actor.leads(code) for code in mission.teams):
            raise NotAllowed("error.not_allowed")
        lang = actor.language
        start = mission.started_at.astimezone(self.tz)
        lines = [
            t(
                "mission.record.title",
                lang,
                id=mission.id,
                type=type_label(mission.type, lang),
                day=start.strftime("%Y-%m-%d"),
                place=mission.location or "-",
                teams=", ".join(mission.teams),
                rescued=mission.rescued,
            )
        ]
        if mission.callout_id:
            lines.append(t("mission.record.callout", lang, id=mission.callout_id))
        if mission.outcome:
            lines.append(t("mission.record.outcome", lang, outcome=mission.outcome))
        rows = await self.repo.mission_participants(mission_id)
        lines.append(t("mission.record.participants", lang, count=len(rows)))
        lines.extend("  " + _participant_line(p, lang) for p in rows)
        total = round(sum(p.hours for p in rows), 1)
        lines.append(t("mission.record.total", lang, hours=f"{total:g}"))
        if mission.notes:
            lines.append(mission.notes)
        return "\n".join(lines)

    # --- phone answers ----------------------------------------------------------------------
    async def mark(self, actor: Actor, request: MarkRequest) -> str:
        callout = await self.callouts.callout(request.callout_id)
        if not self.callouts.may_manage(actor, callout):
            raise NotAllowed("error.not_allowed")
        # Home safe may be recorded before the close (sent home early) and after it; the
        # other answers only while the callout runs.
        if request.mark is not Mark.SAFE and callout.status.ended:
            raise DomainError("callout.error.ended", id=callout.id)
        volunteer = await self.roster.find_one(request.name)
        if not (actor.leads(volunteer.team_code) or actor.telegram_id == callout.called_by):
            raise NotAllowed("mark.error.other_team", name=volunteer.name, team=volunteer.team_code)
        now = self.clock.now()
        lang = volunteer.language or self.language
        updated, person, promoted, home = await self.repo.mark(
            callout.id,
            volunteer.id,
            request.mark,
            eta=request.eta,
            leader=actor.telegram_id,
            now=now,
            first_check=first_check_at(None, now, self.interval(callout)),
            language=lang,
        )
        if home is not None and home.kind == "not_participant":
            raise DomainError("mark.error.not_participant", name=volunteer.name, id=callout.id)
        self._changed(callout.id)
        self.callouts.spawn(self._after_mark(updated, person, promoted, home))
        answer = t(f"mark.answer.{request.mark.value}", actor.language)
        if person.state is State.STANDBY and request.mark is Mark.AVAILABLE:
            answer = t("mark.answer.standby", actor.language)
        return t("mark.done", actor.language, name=volunteer.name, id=callout.id, answer=answer)

    async def _after_mark(
        self, callout: Callout, person: PagedPerson, promoted: int | None, home: Any
    ) -> None:
        await self.callouts.refresh_page(callout, person)
        if promoted is not None:
            found = await self.callouts.repo.people_by_ids(callout.id, [promoted])
            if promoted in found:
                await self.callouts.refresh_page(callout, found[promoted])
                lang = found[promoted].language or self.language
                chat = found[promoted].chat_id
                if chat is not None:
                    await self.callouts.deliver(
                        chat,
                        t("notice.promoted", lang, **self._params(callout, lang)),
                        callout_id=callout.id,
                    )
        if home is not None and home.kind == "ok":
            await self._after_home(callout, person, home)
        self._schedule_soon(callout.id)

    # --- the board and start-up -------------------------------------------------------------
    async def full_list(self, actor: Actor, callout_id: int) -> tuple[list[str], list[list[Any]]]:
        """Everyone on the callout, one row each (the board shows only the first names):
        the *Full list* button's file. Phones only for whom the viewer may see them."""
        callout = await self.callouts.callout(callout_id)
        if not self.callouts.may_manage(actor, callout):
            raise NotAllowed("error.not_allowed")
        lang = actor.language
        overdue = await self.repo.overdue_ids(callout_id)
        headers = [t(f"fulllist.col.{c}", lang) for c in FULL_LIST_COLUMNS]
        rows: list[list[Any]] = []
        for v in await self.repo.responders(
            callout_id, now=self.clock.now(), grace_minutes=self.config.grace_minutes
        ):
            phone = display_phone(v.phone) if actor.may_see_personal_data(v.team_code, True) else ""
            position = (
                f"{v.position.latitude:.5f}, {v.position.longitude:.5f}" if v.position else ""
            )
            notes = [t("board.flag.overdue", lang)] if v.volunteer_id in overdue else []
            if v.need_help_at is not None:
                notes.append(t("board.flag.help", lang, time=self.hhmm(v.need_help_at)))
            if v.recorded_by is not None:
                notes.append(t("mark.by_leader", lang))
            rows.append(
                [
                    t(f"phase.{v.phase.value}", lang),
                    v.name,
                    v.team_code,
                    phone,
                    self.hhmm(v.answered_at) if v.answered_at else "",
                    v.eta_minutes or "",
                    self.hhmm(v.on_scene_at) if v.on_scene_at else "",
                    self.hhmm(v.home_safe_at) if v.home_safe_at else "",
                    position,
                    " ".join(notes),
                ]
            )
        for x in await self.callouts.repo.left_out(callout_id):
            phone = display_phone(x.phone) if actor.may_see_personal_data(x.team_code, True) else ""
            reason = t(f"reason.{x.reason}", lang) + (f" {x.detail}" if x.detail else "")
            rows.append([t("phase.left_out", lang), x.name, x.team_code, phone, "", "", "", "",
                         "", reason])  # fmt: skip
        return headers, rows

    async def resume(self) -> int:
        """At start-up: every watched callout's timer runs now (what fell due while the bot
        was down is sent), and Home safe questions never sent go out."""
        watched = await self.repo.watched()
        for callout in watched:
            if callout.returning:
                waiting = await self.repo.not_yet_asked_home(callout.id)
                if waiting:  # in the background: start-up must not wait for the sends
                    self.callouts.spawn(self._ask_all_home(callout, waiting))
            self._schedule_soon(callout.id)
        return len(watched)

    async def _next_deadline(self, callout: Callout) -> datetime | None:
        moments: list[datetime | None] = []
        if not callout.status.ended and self.interval(callout) > 0:
            moments.append(callout.next_check_at)
        for check in await self.repo.open_checks(callout.id):
            moments.append(check_stage_due(check.sent_at, check.stage, self.config.grace_minutes))
        if callout.returning and callout.return_started_at is not None:
            moments.append(
                return_stage_due(
                    callout.return_started_at, callout.return_stage, self.config.return_minutes
                )
            )
        return earliest(*moments)
