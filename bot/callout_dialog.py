"""`/callout` without arguments: type → team (coordinators) → places per team (several
teams, bot/dialog_places.py) or headcount → skills (→ skill slots) → description (typed)
→ confirm. Each step is saved in callout_drafts, so a restart
mid-dialog loses nothing; the buttons carry the draft id and what they show, as the steps
of bot/dialog_actions.py, written and read only by bot/callback_codec.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes, filters

from bot.callback_codec import Undecodable, meant
from bot.callout_adapter import callout_service, markup, reply_until_delivered
from bot.dialog_actions import (
    HEADCOUNTS,
    Abort,
    AddSlot,
    AllTeams,
    ChangeQuota,
    DialogAction,
    DialogButton,
    DialogRows,
    NoSlots,
    OpenSlots,
    PickHeadcount,
    PickType,
    QuotaAction,
    QuotasDone,
    Send,
    SharedHeadcount,
    SkillAction,
    SkillsDone,
    SlotAction,
    SlotsDone,
    TeamAction,
    TeamsDone,
    ToggleFitness,
    ToggleSkill,
    ToggleTeam,
)
from bot.dialog_places import add_slot, change_quota, quota_step, quotas_text, slot_step
from common.chat_options import parse_options
from common.errors import DomainError, NotAllowed
from i18n.catalogue import t
from i18n.labels import join
from missions.entities import Draft
from missions.model import (
    DESCRIBE_OPTIONS,
    MISSION_TYPES,
    CalloutRequest,
    parse_fit,
    parse_slots,
    requires_fitness,
    type_label,
)
from missions.places import check_places
from missions.service import LOCATION_FRESH, CalloutService, StartResult
from roster.model import Actor

# Telegram ids whose next plain text is a callout description (kept in step with the DB).
DESCRIBING: set[int] = set()


class DescribingFilter(filters.MessageFilter):
    """Only text from someone at the dialog's description step; other text is left alone."""

    def filter(self, message: Message) -> bool:
        return message.from_user is not None and message.from_user.id in DESCRIBING


async def report_start(
    update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, result: StartResult
) -> None:
    """Tell the caller how many were paged (a held duplicate was answered already)."""
    message = update.effective_message
    if message is None or result.callout_id is None:
        return
    await reply_until_delivered(
        message,
        callout_service(context.application).notifier,
        t(
            "callout.started",
            lang,
            id=result.callout_id,
            paged=result.paged,
            left_out=result.left_out,
        ),
    )


def _rows(buttons: list[DialogButton], width: int) -> DialogRows:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


async def start_dialog(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    service = callout_service(context.application)
    draft_id = await service.repo.save_draft(actor.telegram_id, "d_type", {}, service.clock.now())
    lang = actor.language
    buttons: list[DialogButton] = [
        (type_label(code, lang), PickType(draft_id, code)) for code in MISSION_TYPES
    ]
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t("dialog.type", lang), reply_markup=markup(_rows(buttons, 3))
    )


async def _skills_step(
    actor: Actor, draft_id: int, chosen: list[str], context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, DialogRows]:
    service = callout_service(context.application)
    lang = actor.language
    labels = await service.skill_labels(lang)
    buttons: list[DialogButton] = [
        (("✓ " if code in chosen else "") + label, ToggleSkill(draft_id, code))
        for code, label in labels.items()
    ]
    rows: DialogRows = [
        *_rows(buttons, 3),
        [
            (t("multiteam2.dialog.slots_button", lang), OpenSlots(draft_id)),
            (t("dialog.done", lang), SkillsDone(draft_id)),
        ],
    ]
    names = join((labels[c] for c in chosen), lang) or t("board.no_skills", lang)
    return t("dialog.skills", lang, skills=names), rows


@dataclass
class Press:
    """A tap on one of the dialog's buttons, its draft checked (the step comes with it)."""

    actor: Actor
    draft: Draft
    data: dict[str, Any]  # the draft's answers so far, changed by the step
    context: ContextTypes.DEFAULT_TYPE


# The dialog's next step, its question and its buttons (None: the description is typed).
Next = tuple[str, str, DialogRows | None]


def _expired() -> DomainError:
    # Answered already: the error handler tells them in a message.
    return DomainError("dialog.expired")


def _unreadable(data: Undecodable, draft: Draft) -> DomainError:
    """Data of no button the dialog makes: not valid at the step it names, expired elsewhere
    (a step passed, or no step at all)."""
    if draft.step in {getattr(kind, "at", None) for kind in meant(data)}:
        return DomainError("multiteam2.dialog.bad_button")
    return _expired()


def _needed_step(draft_id: int, lang: str) -> Next:
    rows = _rows([(str(n), PickHeadcount(draft_id, n)) for n in HEADCOUNTS], 5)
    return "d_needed", t("dialog.needed", lang), rows


def _describe_step(press: Press) -> Next:
    DESCRIBING.add(press.actor.telegram_id)
    return "d_describe", t("dialog.describe", press.actor.language), None


async def _skills_next(press: Press) -> Next:
    text, rows = await _skills_step(
        press.actor, press.draft.id, press.data["skills"], press.context
    )
    return "d_skills", text, rows


async def _on_type(press: Press, action: PickType) -> Next | None:
    press.data["type"] = action.mission_type  # one of MISSION_TYPES (checked by the codec)
    if not press.actor.coordinator:
        return _needed_step(press.draft.id, press.actor.language)
    text, rows = await _teams_step(press.actor, press.draft.id, [], press.context)
    return "d_team", text, rows


async def _on_team(press: Press, action: TeamAction) -> Next | None:
    data, lang = press.data, press.actor.language
    if isinstance(action, ToggleTeam):
        # Coordinators may choose several teams: each tap adds or removes one.
        picked: list[str] = data.setdefault("teams", [])
        if action.team in picked:
            picked.remove(action.team)
        else:
            picked.append(action.team)
        text, rows = await _teams_step(press.actor, press.draft.id, picked, press.context)
        return "d_team", text, rows
    every = isinstance(action, AllTeams)
    if not (every or data.get("teams")):
        return None  # Done with no team chosen yet: the question stays as it is
    data["team"] = "all" if every else ",".join(data["teams"])
    if every or len(data["teams"]) == 1:
        return _needed_step(press.draft.id, lang)
    # Several teams: how many from each (one place each to start with).
    data["quotas"] = {team: 1 for team in data["teams"]}
    return ("d_quota", *quota_step(press.draft.id, data["quotas"], lang))


async def _on_quota(press: Press, action: QuotaAction) -> Next | None:
    data, lang = press.data, press.actor.language
    if isinstance(action, SharedHeadcount):
        data.pop("quotas", None)  # one headcount shared by the teams
        return _needed_step(press.draft.id, lang)
    if isinstance(action, QuotasDone):
        data["needed"] = sum(data["quotas"].values())
        data.setdefault("skills", [])
        return await _skills_next(press)
    change_quota(data, action)
    if action.change == "=":  # the team's own label: nothing to change
        return None
    return ("d_quota", *quota_step(press.draft.id, data["quotas"], lang))


async def _on_fitness(press: Press, _: ToggleFitness) -> Next | None:
    # The fitness waiver: flips whether a fitness pass is required.
    press.data["fit"] = not requires_fitness(press.data["type"], press.data.get("fit"))
    text, rows = await _confirm_step(press.actor, press.draft.id, press.data, press.context)
    return "d_confirm", text, rows


async def _on_headcount(press: Press, action: PickHeadcount) -> Next | None:
    press.data["needed"] = action.needed  # one of HEADCOUNTS (checked by the codec)
    press.data.setdefault("skills", [])
    return await _skills_next(press)


async def _on_skill(press: Press, action: SkillAction) -> Next | None:
    if isinstance(action, SkillsDone):
        return _describe_step(press)
    if isinstance(action, OpenSlots):
        if press.draft.step != "d_skills":
            raise DomainError("multiteam2.dialog.bad_button")
        # places kept for a skill (`need=`), by buttons
        text, rows = await _slots_step(press.actor, press.draft.id, press.data, press.context)
        return "d_slots", text, rows
    service = callout_service(press.context.application)
    if action.skill not in await service.skill_labels(press.actor.language):
        raise DomainError("multiteam2.dialog.bad_button")  # not a skill it offered
    chosen: list[str] = press.data.setdefault("skills", [])
    if action.skill in chosen:
        chosen.remove(action.skill)
    else:
        chosen.append(action.skill)
    return await _skills_next(press)


async def _on_slot(press: Press, action: SlotAction) -> Next | None:
    if isinstance(action, SlotsDone):
        return _describe_step(press)
    if isinstance(action, NoSlots):
        press.data["slots"] = {}
    else:
        service = callout_service(press.context.application)
        add_slot(press.data, action.skill, await service.skill_labels(press.actor.language))
    text, rows = await _slots_step(press.actor, press.draft.id, press.data, press.context)
    return "d_slots", text, rows


# Each step's answer to its buttons (Send and Cancel are the dialog's own, below).
STEPS: dict[type[Any], Callable[[Press, Any], Awaitable[Next | None]]] = {
    PickType: _on_type,
    ToggleTeam: _on_team,
    AllTeams: _on_team,
    TeamsDone: _on_team,
    ChangeQuota: _on_quota,
    SharedHeadcount: _on_quota,
    QuotasDone: _on_quota,
    ToggleFitness: _on_fitness,
    PickHeadcount: _on_headcount,
    ToggleSkill: _on_skill,
    OpenSlots: _on_skill,
    SkillsDone: _on_skill,
    AddSlot: _on_slot,
    NoSlots: _on_slot,
    SlotsDone: _on_slot,
}


async def _live_draft(
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, draft_id: int | None
) -> Draft | None:
    """The presser's own dialog draft; None (answered as expired) when it has gone."""
    query = update.callback_query
    assert query is not None
    service = callout_service(context.application)
    draft = await service.repo.draft(draft_id) if draft_id is not None else None
    if draft is None or not draft.step.startswith("d_"):
        await query.answer(t("dialog.expired", actor.language), show_alert=True)
        return None
    if draft.telegram_id != actor.telegram_id:
        raise NotAllowed("error.not_allowed")
    await query.answer()
    return draft


async def dialog_button(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    actor: Actor,
    action: DialogAction | Undecodable,
) -> None:
    """A dialog button: its draft checked, then its step (`STEPS`), Send or Cancel."""
    query = update.callback_query
    assert query is not None
    service = callout_service(context.application)
    lang = actor.language
    draft_id = action.first if isinstance(action, Undecodable) else action.draft_id
    draft = await _live_draft(update, context, actor, draft_id)
    if draft is None:
        return
    if isinstance(action, Undecodable):
        raise _unreadable(action, draft)
    if action.at is not None and draft.step != action.at:
        raise _expired()  # a button of a step already passed (or not reached)
    data: dict[str, Any] = dict(draft.data)
    if isinstance(action, Abort):
        await service.repo.drop_draft(draft.id)
        DESCRIBING.discard(actor.telegram_id)
        await query.edit_message_text(t("dialog.aborted", lang))
        return
    if isinstance(action, Send):
        await service.repo.drop_draft(draft.id)
        await query.edit_message_reply_markup(None)
        result = await service.start(actor, _request(data))
        await report_start(update, context, lang, result)
        return
    found = await STEPS[type(action)](Press(actor, draft, data, context), action)
    if found is None:
        return
    next_step, text, rows = found
    await service.repo.save_draft(actor.telegram_id, next_step, data, service.clock.now(), draft.id)
    await query.edit_message_text(text, reply_markup=markup(rows))


async def _slots_step(
    actor: Actor, draft_id: int, data: dict[str, Any], context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, DialogRows]:
    labels = await callout_service(context.application).skill_labels(actor.language)
    slots = data.setdefault("slots", {})
    return slot_step(draft_id, slots, int(data["needed"]), labels, actor.language)


async def _teams_step(
    actor: Actor, draft_id: int, chosen: list[str], context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, DialogRows]:
    teams = await callout_service(context.application).roster.teams()
    lang = actor.language
    buttons: list[DialogButton] = [
        (("✓ " if team.code in chosen else "") + team.code, ToggleTeam(draft_id, team.code))
        for team in teams
    ]
    rows: DialogRows = [
        *_rows(buttons, 4),
        [
            (t("dialog.all_teams", lang), AllTeams(draft_id)),
            (t("dialog.done", lang), TeamsDone(draft_id)),
        ],
    ]
    return t("dialog.team", lang, teams=", ".join(chosen) or "-"), rows


def _request(data: dict[str, Any]) -> CalloutRequest:
    team = data.get("team")
    request = CalloutRequest(
        type=data["type"],
        needed=int(data["needed"]),
        location=data.get("location", ""),
        description=data.get("description", ""),
        skills=tuple(data.get("skills", [])),
        teams=tuple(team.split(",")) if team and team != "all" else None,
        all_teams=team == "all",
        fitness=data.get("fit"),
    )
    request.slots = {k: int(v) for k, v in data.get("slots", {}).items()}
    quotas: dict[str, int] = data.get("quotas") or {}
    if quotas:  # `team=HR:3,QM:3`
        request.teams = tuple(quotas)
        request.quotas = tuple(int(n) for n in quotas.values())
    return request


async def _confirm_step(
    actor: Actor, draft_id: int, data: dict[str, Any], context: ContextTypes.DEFAULT_TYPE
) -> tuple[str, DialogRows]:
    """The summary with Send / Cancel, and the fitness waiver as a toggle."""
    service = callout_service(context.application)
    lang = actor.language
    labels = await service.skill_labels(lang)
    point = await service.repo.latest_draft(actor.telegram_id, ("location",))
    # Only a pin fresh enough to go out with the callout is announced as attached.
    has_point = point is not None and service.clock.now() - point.updated_at <= LOCATION_FRESH
    summary = t(
        "dialog.summary",
        lang,
        type=type_label(data["type"], lang),
        teams=data.get("team") or actor.team_code or "-",
        needed=data["needed"],
        skills=join((labels.get(c, c) for c in data.get("skills", [])), lang)
        or t("board.no_skills", lang),
        place=data["location"],
        description=data["description"] or "-",
        point=t("dialog.point", lang) if has_point else "",
    )
    fitness = requires_fitness(data["type"], data.get("fit"))
    extra = [t("multiteam.dialog.fitness_yes" if fitness else "multiteam.dialog.fitness_no", lang)]
    if data.get("quotas"):
        extra.append(
            t("multiteam2.dialog.quota_line", lang, quotas=quotas_text(data["quotas"], lang))
        )
    if data.get("slots"):
        parts = [f"{labels.get(c, c)} {n}" for c, n in data["slots"].items()]
        extra.append(t("multiteam.page.slots", lang, parts=join(parts, lang)))
    rows: DialogRows = [
        [(t("dialog.send", lang), Send(draft_id)), (t("dialog.abort", lang), Abort(draft_id))],
        [
            (
                t("multiteam.dialog.waive" if fitness else "multiteam.dialog.require", lang),
                ToggleFitness(draft_id),
            )
        ],
    ]
    return t("dialog.confirm", lang, summary="\n".join([summary, *extra])), rows


async def _described(draft: dict[str, Any], text: str, service: CalloutService) -> dict[str, Any]:
    """The draft with the typed place (the first word), what happened (the rest) and the
    options `need=SKILL:N` and `fit=yes|no`, each checked."""
    parsed = parse_options(text.split(), DESCRIBE_OPTIONS)
    if not parsed.words:
        raise DomainError("callout.usage")
    data = dict(draft) | {"location": parsed.words[0], "description": " ".join(parsed.words[1:])}
    if "need" in parsed.options:
        aliases = await service.skill_aliases()
        data["slots"] = parse_slots(parsed.options["need"], aliases)
        check_places(int(data["needed"]), data.get("quotas") or {}, data["slots"])
    if "fit" in parsed.options:
        data["fit"] = parse_fit(parsed.options["fit"])
    _request(data).check_lengths()
    return data


async def dialog_text(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """The typed description: first word is the place, the rest what happened."""
    message = update.effective_message
    assert message is not None and message.text is not None
    service = callout_service(context.application)
    draft = await service.repo.latest_draft(actor.telegram_id, ("d_describe",))
    DESCRIBING.discard(actor.telegram_id)
    if draft is None:
        return
    try:
        data = await _described(draft.data, message.text, service)
    except DomainError:
        DESCRIBING.add(actor.telegram_id)  # still at this step: type it again
        raise
    await service.repo.save_draft(
        actor.telegram_id, "d_confirm", data, service.clock.now(), draft.id
    )
    text, rows = await _confirm_step(actor, draft.id, data, context)
    await message.reply_text(text, reply_markup=markup(rows))
