"""Texts and buttons of a callout: the page a volunteer gets and the caller's board."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from i18n.catalogue import t
from i18n.labels import join as labels_join
from missions.actions import Available, Eta, FullList, GoingToo, OnScene, Unavailable
from missions.model import ETA_CHOICES, Reason, State, Status, type_label
from missions.parts_text import part_line, part_skills
from missions.places import Candidate
from missions.ports import Buttons
from missions.repository import Callout, LeftOut, PagedPerson
from roster.phones import display_phone

BOARD_LIMIT = 4096
NAMES_PER_LINE = 25  # a board must fit one Telegram message: long groups say "+N more"


def _join(items: list[str], lang: str) -> str:
    return labels_join(items, lang)


def skills_text(callout: Callout, labels: dict[str, str], lang: str) -> str:
    if not callout.skills:
        return t("board.no_skills", lang)
    return _join([labels.get(code, code) for code in callout.skills], lang)


def page_text(
    callout: Callout,
    lang: str,
    *,
    caller: str,
    labels: dict[str, str],
    person: PagedPerson | None = None,
    team: str | None = None,
    busy_on: int | None = None,
) -> str:
    team = person.team_code if person is not None else team
    lines = [
        t("page.title", lang, id=callout.id, type=type_label(callout.type, lang)),
        t("page.place", lang, place=callout.location),
    ]
    if callout.description:
        lines.append(callout.description)
    lines.append(t("page.needed", lang, needed=callout.needed))
    lines += _page_places(callout, team, labels, lang)
    # A joined team's volunteers were paged for their own part's skills.
    skills = part_skills(callout, team)
    if skills:
        lines.append(t("page.skills", lang, skills=_join([labels.get(c, c) for c in skills], lang)))
    lines.append(t("page.caller", lang, caller=caller))
    lines += _page_answer(callout, person, busy_on, lang)
    return "\n".join(lines)


def _page_places(
    callout: Callout, team: str | None, labels: dict[str, str], lang: str
) -> list[str]:
    """A multi-team callout's lines for this team: its part's place, its quota, the slots."""
    lines: list[str] = []
    if team is not None and team in callout.parts and callout.parts[team].get("place"):
        lines.append(t("multiteam.page.part", lang, place=callout.parts[team]["place"]))
    if team is not None and team in callout.quotas:
        lines.append(t("multiteam.page.quota", lang, team=team, needed=callout.quotas[team]))
    if callout.slots:
        parts = [f"{labels.get(code, code)} {n}" for code, n in callout.slots.items()]
        lines.append(t("multiteam.page.slots", lang, parts=_join(parts, lang)))
    return lines


def _page_answer(
    callout: Callout, person: PagedPerson | None, busy_on: int | None, lang: str
) -> list[str]:
    """The page's last lines: the callout's end, the volunteer's answer, or the question."""
    if callout.status.ended:
        return [t(f"page.ended.{callout.status.value}", lang)]
    if person is not None and person.on_scene_at is not None:
        return [t("page.state.on_scene", lang)]
    if person is not None and person.state not in (State.PAGED, State.UNDELIVERABLE):
        line = t(f"page.state.{person.state.value}", lang)
        if person.eta_minutes and person.state in (State.AVAILABLE, State.STANDBY):
            line += " " + t("page.eta", lang, minutes=person.eta_minutes)
        return [line]
    busy = [t("multiteam.page.busy", lang, id=busy_on)] if busy_on is not None else []
    return [*busy, t("page.ask", lang)]


def board_buttons(callout_id: int, lang: str, *, going_too: bool = False) -> Buttons:
    """Under the board: the full lists as a file (the board itself shows the first names);
    on the caller's own board, *I'm going too* (they are not paged by their own callout)."""
    rows: Buttons = [[(t("button.full_list", lang), FullList(callout_id))]]
    if going_too:
        rows.append([(t("multiteam.button.going_too", lang), GoingToo(callout_id))])
    return rows


def page_buttons(
    callout: Callout, lang: str, state: State, *, on_scene: bool = False
) -> Buttons | None:
    """Both answers stay on the page so anyone can change their mind; ETAs and On scene
    after Available (or on standby: someone who turns up anyway counts)."""
    if callout.status.ended or on_scene:
        return None
    rows: Buttons = [
        [
            (t("button.available", lang), Available(callout.id)),
            (t("button.unavailable", lang), Unavailable(callout.id)),
        ]
    ]
    if state in (State.AVAILABLE, State.STANDBY):
        rows.append([(t("button.eta", lang, minutes=m), Eta(callout.id, m)) for m in ETA_CHOICES])
        rows.append([(t("button.on_scene", lang), OnScene(callout.id))])
    return rows


def _names(
    people: list[tuple[str, str, str]],
    lang: str,
    show_phone: Callable[[str], bool],
    cap: int = NAMES_PER_LINE,
    total: int | None = None,
) -> str:
    """(name, phone, team) → `name 138 0000 0000`, phones only for whom the viewer may see;
    the first `cap` names, then "and N more" (of `total`, when only the first were read)."""
    shown = [
        f"{name} {display_phone(phone)}" if show_phone(team) else name
        for name, phone, team in people[:cap]
    ]
    text = _join(shown, lang)
    total = len(people) if total is None else total
    if total > len(shown):
        text += (" " if text else "") + t("board.more", lang, count=total - len(shown))
    return text


def places_lines(
    callout: Callout, confirmed: list[Candidate], labels: dict[str, str], lang: str
) -> list[str]:
    """`Teams: HR 2/3 · QM 1/3` and `Skill slots: boat 1/2`: each quota and slot as k/n."""
    if callout.places.plain and not callout.parts:
        return []
    teams, slots = callout.places.tally(confirmed)
    lines: list[str] = []
    if teams:
        parts = [f"{team} {teams[team]}/{n}" for team, n in callout.quotas.items()]
        lines.append(t("multiteam.board.quotas", lang, parts=" · ".join(parts)))
    if slots:
        parts = [f"{labels.get(code, code)} {slots[code]}/{n}" for code, n in callout.slots.items()]
        lines.append(t("multiteam.board.slots", lang, parts=" · ".join(parts)))
    lines.extend(part_line(team, part, labels, lang) for team, part in callout.parts.items())
    return lines


def _time(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M") if moment else ""


# Names per group, tried in turn until the board fits one message: every group keeps
# its count line (the groups with phones too), only the names shown shrink.
CAPS = (NAMES_PER_LINE, 12, 6, 3, 1, 0)


@dataclass(frozen=True)
class _Draw:
    """How one board is drawn: for whom (language, phones), and how many names a group shows."""

    lang: str
    labels: dict[str, str]
    show_phone: Callable[[str], bool]
    tz: tzinfo
    overdue: Collection[int]
    totals: Mapping[str, int]
    cap: int = NAMES_PER_LINE

    def time(self, moment: datetime | None) -> str:
        return _time(moment, self.tz)

    def names(
        self, people: list[tuple[str, str, str]], total: int | None = None, *, phones: bool = True
    ) -> str:
        show = self.show_phone if phones else (lambda _team: False)
        return _names(people, self.lang, show, self.cap, total)

    def capped(self, lines: list[str]) -> list[str]:
        if len(lines) <= self.cap:
            return lines
        return [*lines[: self.cap], "  " + t("board.more", self.lang, count=len(lines) - self.cap)]


def board_text(  # noqa: PLR0913 - the board's inputs, each named at every call
    callout: Callout,
    people: list[PagedPerson],
    left_out: list[LeftOut],
    lang: str,
    *,
    labels: dict[str, str],
    show_phone: Callable[[str], bool],
    tz: tzinfo = UTC,
    overdue: Collection[int] = (),
    busy: Mapping[int, int] | None = None,
    totals: Mapping[str, int] | None = None,
) -> str:
    """The caller's board: confirmed / on scene / standby / unavailable / no reply with
    times, then who could not be reached or was left out; after the close, the return.
    Always one Telegram message: long groups show their first names and "and N more"
    (the *Full list* button sends everything). `totals` (missions/board_repository.py):
    the waiting groups' counts when `people` and `left_out` hold only their first rows."""
    text = ""
    elsewhere = busy or {}
    # Someone confirmed on another open callout is shown as such, not counted here again.
    here = [p for p in people if p.volunteer_id not in elsewhere]
    away = [p for p in people if p.volunteer_id in elsewhere]
    for cap in CAPS:
        draw = _Draw(lang, labels, show_phone, tz, overdue, totals or {}, cap)
        text = _board_text(callout, here, left_out, draw)
        if away:
            names = _join([f"{p.name} (#{elsewhere[p.volunteer_id]})" for p in away[:cap]], lang)
            text += "\n" + t("multiteam.board.busy", lang, count=len(away), names=names)
        if len(text) <= BOARD_LIMIT:
            return text
    return text[: BOARD_LIMIT - 1] + "…"  # only a pathological description gets here


def _board_text(
    callout: Callout, people: list[PagedPerson], left_out: list[LeftOut], draw: _Draw
) -> str:
    by_state: dict[State, list[PagedPerson]] = {s: [] for s in State}
    for person in people:
        by_state[person.state].append(person)
    confirmed = sorted(
        by_state[State.AVAILABLE], key=lambda p: (p.confirmed_at is None, p.confirmed_at)
    )
    participants = [p for p in people if p.participant]
    lines = _head_lines(callout, confirmed, draw)
    lines += _return_lines(callout, participants, draw)
    lines += _confirmed_lines(callout, confirmed, draw)
    lines += _scene_lines(participants, draw)
    lines += _waiting_lines(by_state, draw)
    lines += _unreached_lines(by_state[State.UNDELIVERABLE], draw)
    lines += _left_out_lines(left_out, draw)
    if callout.status is Status.CANCELLED and callout.cancel_reason:
        lines.append(t("board.cancel_reason", draw.lang, reason=callout.cancel_reason))
    return "\n".join(lines)


def _head_lines(callout: Callout, confirmed: list[PagedPerson], draw: _Draw) -> list[str]:
    """Title and status, the description, who and what was asked for, quotas and slots."""
    lang = draw.lang
    status = (
        t("status.returning", lang)
        if callout.returning
        else t(f"status.{callout.status.value}", lang)
    )
    lines = [
        t(
            "board.title",
            lang,
            id=callout.id,
            type=type_label(callout.type, lang),
            place=callout.location,
            status=status,
        ),
    ]
    if callout.description:
        lines.append(callout.description)
    lines.append(
        t(
            "board.scope",
            lang,
            teams=", ".join(callout.teams),
            skills=skills_text(callout, draw.labels, lang),
        )
    )
    if callout.require_fitness:
        lines.append(t("board.fitness", lang))
    lines += places_lines(callout, [p.candidate for p in confirmed], draw.labels, lang)
    if callout.last_update_at is not None:
        lines.append(t("multiteam.board.last_update", lang, time=draw.time(callout.last_update_at)))
    return lines


def _return_lines(callout: Callout, participants: list[PagedPerson], draw: _Draw) -> list[str]:
    """After the close: how many are home safe, and who is still out."""
    if callout.return_started_at is None:
        return []
    home = [p for p in participants if p.home_safe_at is not None]
    lines = [t("board.home_safe", draw.lang, count=len(home), total=len(participants))]
    out = [p for p in participants if p.home_safe_at is None]
    if out:
        names = draw.names([(p.name, p.phone, p.team_code) for p in out])
        lines.append(t("board.still_out", draw.lang, count=len(out), names=names))
    return lines


def _confirmed_lines(callout: Callout, confirmed: list[PagedPerson], draw: _Draw) -> list[str]:
    """`Confirmed k/n`, then those on their way with their ETA."""
    lang = draw.lang
    going: list[str] = []
    for person in confirmed:
        if person.on_scene_at is not None:
            continue
        eta = t("page.eta", lang, minutes=person.eta_minutes) if person.eta_minutes else ""
        when = draw.time(person.confirmed_at)
        going.append(f"  ✅ {person.name} ({person.team_code}) {eta} {when}".rstrip())
    count = t("board.confirmed", lang, count=len(confirmed), needed=callout.needed)
    return [count, *draw.capped(going)]


def _scene_lines(participants: list[PagedPerson], draw: _Draw) -> list[str]:
    """Who is on scene since when, those needing help or overdue first and never hidden."""
    lang = draw.lang
    scene = sorted(
        (p for p in participants if p.on_scene_at is not None),
        key=lambda p: (p.on_scene_at, p.volunteer_id),
    )
    if not scene:
        return []
    arrived: list[str] = []
    urgent: list[str] = []
    for person in scene:
        marks = [t("board.since", lang, time=draw.time(person.on_scene_at))]
        if person.home_safe_at is not None:
            marks.append(t("board.flag.home", lang, time=draw.time(person.home_safe_at)))
        if person.need_help_at is not None:
            marks.append(t("board.flag.help", lang, time=draw.time(person.need_help_at)))
        if person.volunteer_id in draw.overdue:
            marks.append(t("board.flag.overdue", lang))
        if person.recorded_by is not None:
            marks.append(t("mark.by_leader", lang))
        line = f"  📍 {person.name} ({person.team_code}) " + " ".join(marks)
        # Someone who needs help or missed a check is never hidden behind "N more".
        pressing = person.need_help_at is not None or person.volunteer_id in draw.overdue
        (urgent if pressing else arrived).append(line)
    return [t("board.on_scene", lang, count=len(scene)), *urgent, *draw.capped(arrived)]


def _waiting_lines(by_state: dict[State, list[PagedPerson]], draw: _Draw) -> list[str]:
    """Standby and unavailable (with when they answered), then no reply (with phones)."""
    standby = sorted(
        (p for p in by_state[State.STANDBY] if p.on_scene_at is None),
        key=lambda p: (p.answered_at is None, p.answered_at),
    )
    groups: list[tuple[str, list[PagedPerson]]] = [
        ("standby", standby),
        ("unavailable", by_state[State.UNAVAILABLE]),
        ("no_reply", by_state[State.PAGED] + by_state[State.NO_REPLY]),
    ]
    lines: list[str] = []
    for group, members in groups:
        if not members:
            continue
        timed = group != "no_reply"
        count = draw.totals.get(group, len(members))
        people = [
            (
                p.name + (f" {draw.time(p.answered_at)}" if timed and p.answered_at else ""),
                p.phone,
                p.team_code,
            )
            for p in members
        ]
        names = draw.names(people, count, phones=group == "no_reply")
        lines.append(t(f"board.{group}", draw.lang, count=count, names=names))
    return lines


def _unreached_lines(undeliverable: list[PagedPerson], draw: _Draw) -> list[str]:
    """Who could not be reached, by reason, with phones to ring them."""
    if not undeliverable:
        return []
    reasons = sorted({p.reason or "failed" for p in undeliverable})
    by_reason = {
        why: [p for p in undeliverable if (p.reason or "failed") == why] for why in reasons
    }
    counts = {
        why: draw.totals.get(f"undeliverable:{why}", len(unreached))
        for why, unreached in by_reason.items()
    }
    lines = [t("board.undeliverable", draw.lang, count=sum(counts.values()))]
    for why, unreached in by_reason.items():
        names = draw.names([(p.name, p.phone, p.team_code) for p in unreached], counts[why])
        lines.append("  " + t(f"undeliverable.{why}", draw.lang) + ": " + names)
    return lines


def _left_out_lines(left_out: list[LeftOut], draw: _Draw) -> list[str]:
    """Who was not paged, by reason, with phones to ring them."""
    if not left_out:
        return []
    grouped = {reason: [x for x in left_out if x.reason == reason.value] for reason in Reason}
    counts = {
        reason: draw.totals.get(f"left_out:{reason.value}", len(excluded))
        for reason, excluded in grouped.items()
    }
    lines = [t("board.left_out", draw.lang, count=sum(counts.values()))]
    for reason, excluded in grouped.items():
        if excluded:
            names = draw.names([(x.name, x.phone, x.team_code) for x in excluded], counts[reason])
            lines.append("  " + t(f"reason.{reason.value}", draw.lang) + ": " + names)
    return lines
