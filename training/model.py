"""Training sessions: kinds, hours and the rules for typing them — pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.chat_options import named
from common.errors import DomainError
from common.numbers import hours as typed_hours

# Kind codes; labels live in the catalogue (training.kind.<code>). Aliases are
# what leaders type in spreadsheets.
KINDS: tuple[str, ...] = (
    "mountain",
    "water",
    "first_aid",
    "rope",
    "drill",
    "fitness",
    "theory",
    "other",
)
KIND_ALIASES: dict[str, str] = {
    "山地": "mountain",
    "山地搜救": "mountain",
    "野外": "mountain",
    "水域": "water",
    "水域救援": "water",
    "激流": "water",
    "游泳": "water",
    "急救": "first_aid",
    "救护": "first_aid",
    "红十字": "first_aid",
    "first aid": "first_aid",
    "绳索": "rope",
    "绳索救援": "rope",
    "演练": "drill",
    "拉练": "drill",
    "exercise": "drill",
    "体能": "fitness",
    "体能训练": "fitness",
    "理论": "theory",
    "讲座": "theory",
    "classroom": "theory",
    "其他": "other",
    "其它": "other",
}
MAX_HOURS = 240.0  # a multi-day field exercise, at most


def parse_kind(text: str) -> str:
    wanted = text.strip().lower()
    if not wanted:
        return "other"
    if wanted in KINDS:
        return wanted
    found = KIND_ALIASES.get(wanted)
    if found is None:
        raise DomainError("training.unknown_kind", value=text.strip(), kinds=", ".join(KINDS))
    return found


MAX_TITLE = 100  # a board line, a report row, an export cell stay readable


def parse_title(text: str) -> str:
    """A session's title, typed or read from a file: present and at most `MAX_TITLE` long."""
    title = text.strip()
    if not title:
        raise DomainError("training.no_title")
    if len(title) > MAX_TITLE:
        raise DomainError("training.title_too_long", length=len(title), max=MAX_TITLE)
    return title


def parse_hours(value: object) -> float:
    """Hours above 0 up to `MAX_HOURS`, typed or read from a file (`3`, `1.5`, `3小时`)."""
    return typed_hours(str(value if value is not None else ""), MAX_HOURS, "training.bad_hours")


@dataclass(frozen=True)
class TrainingSession:
    id: int
    team_code: str
    date: date
    title: str
    kind: str
    hours: float
    created_by: int | None = None
    attendees: int = 0


def year_bounds(year: int) -> tuple[str, str]:
    """Stored dates are local calendar days, so a year is a plain text range."""
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def format_hours(hours: float) -> str:
    return f"{hours:g}"


# The options of `/training add` and `/cert`, with the Chinese names people type.
TRAINING_OPTIONS = named({"team": "team", "队伍": "team"})
CERT_OPTIONS = named({"expires": "expires", "到期": "expires"})
