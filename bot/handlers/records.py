"""The records lines of /me (insurance, fitness and training of the volunteer).

The records commands live one family a module: `insurance.py`, `training.py`, `fitness.py`,
`certificates.py`, `reminders.py`."""

from __future__ import annotations

from datetime import date

from bot.handlers.reminders import run_reminders
from bot.services import Services
from i18n.catalogue import t
from insurance.model import InsuranceState, insurance_status
from insurance.service import InsuranceService
from roster.model import Volunteer
from training.fitness import (
    pass_valid_on,
    pass_valid_until,
)
from training.model import format_hours
from training.service import TrainingService

__all__ = ["me_lines", "run_reminders"]  # run_reminders: its old home, for callers


async def me_lines(services: Services, volunteer: Volunteer, lang: str, today: date) -> list[str]:
    """Extra lines of /me: the volunteer's own insurance, fitness and training."""
    lines: list[str] = []
    policies = await InsuranceService(services.db).policies_of(volunteer.id)
    status = insurance_status(policies, today)
    if status.state is InsuranceState.VALID:
        lines.append(t("me.insurance.valid", lang, date=str(status.until)))
    elif status.state is InsuranceState.EXPIRING:
        lines.append(
            t("me.insurance.expiring", lang, date=str(status.until), days=status.days_left)
        )
    elif status.state is InsuranceState.EXPIRED:
        lines.append(t("me.insurance.expired", lang, date=str(status.until)))
    else:
        lines.append(t("me.insurance.none", lang))
    training = TrainingService(services.db)
    standing = await training.fitness_standing(volunteer.id)
    last_pass = standing.last_pass
    if standing.failed_since_last_pass:
        extra = ""
        if pass_valid_on(last_pass, today):
            assert last_pass is not None
            extra = t(
                "me.fitness.last_pass",
                lang,
                date=str(last_pass),
                until=str(pass_valid_until(last_pass)),
            )
        lines.append(t("me.fitness.failed", lang, date=str(standing.latest), extra=extra))
    elif last_pass is None:
        lines.append(t("me.fitness.never", lang))
    elif pass_valid_on(last_pass, today):
        lines.append(
            t("me.fitness.valid", lang, date=str(last_pass), until=str(pass_valid_until(last_pass)))
        )
    else:
        lines.append(t("me.fitness.stale", lang, date=str(last_pass)))
    hours, count = await training.hours_of(volunteer.id, today.year)
    lines.append(t("me.training", lang, year=today.year, hours=format_hours(hours), count=count))
    return lines
