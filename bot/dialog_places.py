"""The step-by-step `/callout`'s quota and slot steps (several teams, `need=` by buttons).

After a coordinator picks two or more teams, the quota step asks each team's places
(`−` / `+` per team, from 1): *Done* makes the headcount their sum (`team=HR:3,QM:3`),
*One shared headcount* skips to the usual headcount question. After the skills, the slot
step keeps places of the headcount for a skill (`need=boat:2`): each tap on a skill keeps
one more place for it, up to the headcount. Every button's data is checked against the
draft: a team or skill not offered, a count out of range or a step already passed gets a
clear answer and changes nothing.
"""

from __future__ import annotations

from typing import Any

from bot.dialog_actions import (
    AddSlot,
    ChangeQuota,
    DialogButton,
    DialogRows,
    NoSlots,
    QuotasDone,
    SharedHeadcount,
    SlotsDone,
)
from common.errors import DomainError
from i18n.catalogue import t
from i18n.labels import join

MAX_QUOTA = 50  # places per team offered by the buttons (typed `team=HR:N` goes to 300)


def quotas_text(quotas: dict[str, int], lang: str) -> str:
    """`HR 3 · QM 3`."""
    return " · ".join(f"{team} {n}" for team, n in quotas.items())


def quota_step(draft_id: int, quotas: dict[str, int], lang: str) -> tuple[str, DialogRows]:
    rows: DialogRows = [
        [
            ("−", ChangeQuota(draft_id, team, "-")),
            (f"{team} {n}", ChangeQuota(draft_id, team, "=")),
            ("+", ChangeQuota(draft_id, team, "+")),
        ]
        for team, n in quotas.items()
    ]
    rows.append(
        [
            (t("multiteam2.dialog.shared", lang), SharedHeadcount(draft_id)),
            (t("dialog.done", lang), QuotasDone(draft_id)),
        ]
    )
    text = t(
        "multiteam2.dialog.quotas",
        lang,
        quotas=quotas_text(quotas, lang),
        total=sum(quotas.values()),
    )
    return text, rows


def change_quota(data: dict[str, Any], change: ChangeQuota) -> None:
    """One tap on a team's `−` / `+`: checked against the teams chosen and the bounds."""
    quotas: dict[str, int] = data.get("quotas", {})
    team = change.team
    if team not in quotas:
        raise DomainError("multiteam2.dialog.bad_button")
    n = quotas[team] + {"-": -1, "+": 1, "=": 0}[change.change]
    if not 1 <= n <= MAX_QUOTA:
        raise DomainError("multiteam2.dialog.quota_range", team=team, max=MAX_QUOTA)
    quotas[team] = n


def slot_step(
    draft_id: int,
    slots: dict[str, int],
    needed: int,
    labels: dict[str, str],
    lang: str,
) -> tuple[str, DialogRows]:
    buttons: list[DialogButton] = [
        (f"{label} {slots[code]}" if code in slots else label, AddSlot(draft_id, code))
        for code, label in labels.items()
    ]
    rows: DialogRows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append(
        [
            (t("multiteam2.dialog.no_slots", lang), NoSlots(draft_id)),
            (t("dialog.done", lang), SlotsDone(draft_id)),
        ]
    )
    chosen = join((f"{labels.get(c, c)} {n}" for c, n in slots.items()), lang)
    text = t(
        "multiteam2.dialog.slots",
        lang,
        needed=needed,
        slots=chosen or t("multiteam2.dialog.none", lang),
    )
    return text, rows


def add_slot(data: dict[str, Any], code: str, labels: dict[str, str]) -> None:
    """One more place kept for `code`: a skill that exists, and no more than the headcount."""
    if code not in labels:
        raise DomainError("multiteam2.dialog.bad_button")
    slots: dict[str, int] = data.setdefault("slots", {})
    needed = int(data["needed"])
    if sum(slots.values()) + 1 > needed:
        raise DomainError("multiteam.error.slot_sum", total=sum(slots.values()) + 1, needed=needed)
    slots[code] = slots.get(code, 0) + 1
