"""What a button of the step-by-step `/callout` asks for (bot/callout_dialog.py,
bot/dialog_places.py); bot/callback_codec.py turns each into callback data and back.

They live here, not in missions/actions.py, because they are steps of a chat dialog, not
requests to the service: they edit a draft the chat layer keeps, and only the finished
request reaches `CalloutService.start`. Each carries the draft id first (the codec's first
id) and what the button shows; the draft itself is read when the button is pressed.

`at`: the draft step a button belongs to, for the steps that refuse a button of another
step as expired; a button that could not be read at its own step is *not valid* instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

HEADCOUNTS = (1, 2, 3, 4, 6, 8, 10, 15, 20)  # the headcounts the dialog offers
QUOTA_CHANGES = ("-", "+", "=")  # a team's −, +, and its label (which changes nothing)


@dataclass(frozen=True)
class DialogStep:
    """Every button of the dialog carries its draft's id first."""

    at: ClassVar[str | None] = None
    draft_id: int


@dataclass(frozen=True)
class PickType(DialogStep):
    """One of `MISSION_TYPES` (checked by the codec)."""

    mission_type: str


@dataclass(frozen=True)
class ToggleTeam(DialogStep):
    """A coordinator adds or removes one team."""

    team: str


@dataclass(frozen=True)
class AllTeams(DialogStep):
    """*All teams*: every team's matching volunteers."""


@dataclass(frozen=True)
class TeamsDone(DialogStep):
    """*Done* with the teams chosen."""


@dataclass(frozen=True)
class ChangeQuota(DialogStep):
    """One place more or fewer for `team` (`change` in `QUOTA_CHANGES`)."""

    at = "d_quota"
    team: str
    change: str


@dataclass(frozen=True)
class SharedHeadcount(DialogStep):
    """No quotas after all: one headcount shared by the teams."""

    at = "d_quota"


@dataclass(frozen=True)
class QuotasDone(DialogStep):
    at = "d_quota"


@dataclass(frozen=True)
class PickHeadcount(DialogStep):
    """Only the offered `HEADCOUNTS` decode."""

    needed: int


@dataclass(frozen=True)
class ToggleSkill(DialogStep):
    skill: str


@dataclass(frozen=True)
class OpenSlots(DialogStep):
    """Keep places for a skill (`need=` by buttons)."""


@dataclass(frozen=True)
class SkillsDone(DialogStep):
    """*Done* with the skills: on to the description."""


@dataclass(frozen=True)
class AddSlot(DialogStep):
    at = "d_slots"
    skill: str


@dataclass(frozen=True)
class NoSlots(DialogStep):
    at = "d_slots"


@dataclass(frozen=True)
class SlotsDone(DialogStep):
    at = "d_slots"


@dataclass(frozen=True)
class ToggleFitness(DialogStep):
    """The fitness waiver on the summary."""

    at = "d_confirm"


@dataclass(frozen=True)
class Send(DialogStep):
    """*Send*: the callout goes out."""

    at = "d_confirm"


@dataclass(frozen=True)
class Abort(DialogStep):
    """*Cancel*: the draft is dropped."""


TeamAction = ToggleTeam | AllTeams | TeamsDone
QuotaAction = ChangeQuota | SharedHeadcount | QuotasDone
SkillAction = ToggleSkill | OpenSlots | SkillsDone
SlotAction = AddSlot | NoSlots | SlotsDone
DialogAction = (
    PickType
    | TeamAction
    | QuotaAction
    | PickHeadcount
    | SkillAction
    | SlotAction
    | ToggleFitness
    | Send
    | Abort
)
DialogButton = tuple[str, DialogAction]
DialogRows = list[list[DialogButton]]
