"""Fitness standards (a data file the bureau may edit) and test results — pure, no I/O
beyond reading the packaged standards file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from common.errors import DomainError
from i18n.labels import bilingual, label

_MIN_SEC = re.compile(r"^(\d+)\s*[:：]\s*(\d{1,2}(?:\.\d+)?)$")
_H_MIN_SEC = re.compile(r"^(\d+)\s*[:：]\s*(\d{1,2})\s*[:：]\s*(\d{1,2}(?:\.\d+)?)$")
_PRIMES = re.compile(r"""^(\d+)\s*['′’]\s*(?:(\d{1,2}(?:\.\d+)?)\s*(?:["″”]|''|′′)?)?$""")
_CHINESE = re.compile(r"^(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def parse_seconds(value: object) -> float:
    """A duration typed as `4:12`, `4'12"`, `4′12″`, `4分12秒`, `1:00:00` or `252` (seconds).

    Raises ValueError when it is none of those.
    """
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, time):
        return float(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    seconds = _seconds_of_text(text)
    if seconds is None:
        raise ValueError(text)
    return seconds


def _seconds_of_text(text: str) -> float | None:
    """The forms typed as text, tried in turn; None when none fits."""
    for form in (_clock_form, _primes_form, _chinese_form):
        seconds = form(text)
        if seconds is not None:
            return seconds
    return float(text) if _NUMBER.match(text) else None


def _clock_form(text: str) -> float | None:
    """`1:00:00` or `4:12` (minutes and seconds under 60)."""
    if match := _H_MIN_SEC.match(text):
        h, m, s = int(match[1]), int(match[2]), float(match[3])
        return h * 3600 + m * 60 + s if m < 60 and s < 60 else None
    if match := _MIN_SEC.match(text):
        m, s = int(match[1]), float(match[2])
        return m * 60 + s if s < 60 else None
    return None


def _primes_form(text: str) -> float | None:
    """`4'12"` or `4′12″`."""
    if match := _PRIMES.match(text):
        m, s = int(match[1]), float(match[2] or 0)
        return m * 60 + s if s < 60 else None
    return None


def _chinese_form(text: str) -> float | None:
    """`4分12秒`, `4分`, `252秒` (seconds alone may pass 59)."""
    if text and (match := _CHINESE.match(text)) and (match[1] or match[2]):
        s = float(match[2] or 0)
        return int(match[1] or 0) * 60 + s if s < 60 or not match[1] else None
    return None


def format_seconds(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class AgeBand:
    threshold: float
    min_age: int | None = None
    max_age: int | None = None

    def fits(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


@dataclass(frozen=True)
class FitnessItem:
    code: str
    label_zh: str
    label_en: str
    unit: str  # time | count | m
    direction: str  # max: at most the threshold (times); min: at least
    threshold: float
    plausible: tuple[float, float] | None = None
    aliases: tuple[str, ...] = ()
    bands: tuple[AgeBand, ...] = ()

    def label(self, lang: str) -> str:
        return bilingual(self.label_zh, self.label_en, lang)

    def threshold_for(self, age: int | None) -> float:
        if age is not None:
            for band in self.bands:
                if band.fits(age):
                    return band.threshold
        return self.threshold

    def passes(self, value: float, age: int | None = None) -> bool:
        limit = self.threshold_for(age)
        return value <= limit if self.direction == "max" else value >= limit

    def format(self, value: float) -> str:
        if self.unit == "time":
            return format_seconds(value)
        if self.unit == "count":
            return str(int(value))
        return f"{value:.2f} m"

    def example(self) -> str:
        return f"{self.code}={self.format(self.threshold).removesuffix(' m')}"

    def parse(self, value: object) -> float:
        """A result as typed or as a spreadsheet holds it; DomainError names the right form."""
        try:
            number = self._parse(value)
        except (ValueError, TypeError):
            raise DomainError(
                "fitness.bad_value",
                item=self.code,
                value=str(value).strip(),
                example=self.example(),
            ) from None
        if self.plausible and not self.plausible[0] <= number <= self.plausible[1]:
            raise DomainError(
                "fitness.implausible",
                item=self.code,
                value=str(value).strip(),
                low=self.format(self.plausible[0]),
                high=self.format(self.plausible[1]),
                example=self.example(),
            )
        return number

    def _parse(self, value: object) -> float:
        if self.unit == "time":
            if isinstance(value, datetime):
                value = value.time()
            seconds = parse_seconds(value)
            # Excel reads a typed "4:12" as 4 h 12 min; if that is implausible
            # and minutes:seconds is not, the person meant minutes:seconds.
            if (
                isinstance(value, time | timedelta)
                and self.plausible
                and not self.plausible[0] <= seconds <= self.plausible[1]
                and seconds % 60 == 0
            ):
                seconds /= 60
            return seconds
        text = str(value).strip().lower()
        if self.unit == "count":
            if isinstance(value, float) and value.is_integer():
                return value
            if not (text.isascii() and text.isdigit()):
                raise ValueError(text)
            return float(text)
        if text.endswith("cm"):
            return float(text[:-2].strip()) / 100
        return float(text.removesuffix("m").removesuffix("米").strip())


def _threshold(item: dict[str, Any], raw: object) -> float:
    return parse_seconds(raw) if item["unit"] == "time" else float(raw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Standards:
    items: tuple[FitnessItem, ...]
    validity_months: int = 12

    def item(self, name: str) -> FitnessItem:
        wanted = name.strip().lower()
        for item in self.items:
            names = {item.code, item.label_zh, item.label_en.lower(), *item.aliases}
            if wanted in {n.lower() for n in names}:
                return item
        raise DomainError(
            "fitness.unknown_item", value=name, items=", ".join(i.code for i in self.items)
        )

    def codes(self) -> list[str]:
        return [i.code for i in self.items]


def standards_from_json(text: str) -> Standards:
    data = json.loads(text)
    items = []
    for raw in data["items"]:
        plausible = raw.get("plausible")
        items.append(
            FitnessItem(
                code=raw["code"],
                # The shipped items are named in i18n/labels.py; a custom item names itself.
                label_zh=raw.get("label_zh") or label("fitness", raw["code"], "zh"),
                label_en=raw.get("label_en") or label("fitness", raw["code"], "en"),
                unit=raw["unit"],
                direction=raw["direction"],
                threshold=_threshold(raw, raw["threshold"]),
                plausible=(
                    (_threshold(raw, plausible[0]), _threshold(raw, plausible[1]))
                    if plausible
                    else None
                ),
                aliases=tuple(raw.get("aliases", ())),
                bands=tuple(
                    AgeBand(_threshold(raw, b["threshold"]), b.get("min_age"), b.get("max_age"))
                    for b in raw.get("bands", ())
                ),
            )
        )
    return Standards(tuple(items), int(data.get("validity_months", 12)))


@lru_cache
def default_standards() -> Standards:
    """The table shipped in training/data/fitness_standards.json."""
    text = resources.files("training").joinpath("data/fitness_standards.json").read_text("utf-8")
    return standards_from_json(text)


@dataclass(frozen=True)
class ItemResult:
    code: str
    value: float
    passed: bool


@dataclass
class FitnessResult:
    items: dict[str, ItemResult] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [code for code, r in self.items.items() if not r.passed]

    @property
    def passed(self) -> bool:
        """Overall pass: every item of the standards tested and passed."""
        return not self.missing and not self.failed

    def to_json(self) -> str:
        return json.dumps(
            {c: {"value": r.value, "passed": r.passed} for c, r in self.items.items()},
            ensure_ascii=False,
        )


def evaluate(
    standards: Standards, values: dict[str, float], age: int | None = None
) -> FitnessResult:
    result = FitnessResult()
    for item in standards.items:
        if item.code in values:
            value = values[item.code]
            result.items[item.code] = ItemResult(item.code, value, item.passes(value, age))
        else:
            result.missing.append(item.code)
    return result


def results_from_json(text: str) -> dict[str, float]:
    data = json.loads(text or "{}")
    return {code: float(entry["value"]) for code, entry in data.items() if "value" in entry}


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (29 Feb + 12 months → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def pass_valid_until(passed_on: date, months: int = 12) -> date:
    """A pass on 2026-03-05 is good through 2027-03-05 (a pass counts for 12 months)."""
    return add_months(passed_on, months)


def pass_valid_on(passed_on: date | None, day: date, months: int = 12) -> bool:
    return passed_on is not None and passed_on <= day <= pass_valid_until(passed_on, months)


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
