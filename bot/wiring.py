"""Every handler of the bot, registered in one ordered list.

Order matters: PTB tries handlers of a group top to bottom and stops at the
first match. Buttons and files come before free text so that nothing is
swallowed by a catch-all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, BaseHandler

from bot.errors import on_error
from bot.handlers import (
    availability,
    callout_commands,
    callouts,
    certificates,
    dashboard,
    fallback,
    fitness,
    imports,
    incident,
    insurance,
    people,
    reminders,
    reports,
    roster,
    stale_buttons,
    training,
    updates,
)

App = Application[Any, Any, Any, Any, Any, Any]

FEATURES = (
    # Linking and personal commands: /start (+ invite codes), contact sharing,
    # /help, /me, /lang, /invite.
    people,
    # /away and /back (a person's availability).
    availability,
    # Callouts: /callout (+ step-by-step dialog), reply/ETA buttons, shared locations,
    # the describing step's free text, escalation jobs.
    callouts,
    # Commands on a running callout: /status, /cancel, /close, /widen, /mission add.
    callout_commands,
    # Incident operations: On scene, safety checks, Home safe, the hours debrief (+ the
    # number typed after Correct), /check, /mark; their timers resumed at start-up.
    incident,
    # /update ID text… and replies to a callout's board: a word to the responders still going
    # (before records: a reply to the board is not stray text).
    updates,
    # Records, one command family a module (their /me lines: bot/handlers/records.py):
    # /insurance; /training (+ attendee buttons); /fitness; /cert; the 09:00 reminders.
    insurance,
    training,
    fitness,
    certificates,
    reminders,
    # The team list: /roster.
    roster,
    # Reports: /missions, /report.
    reports,
    # Files sent with the caption /import <kind>.
    imports,
    # /dashboard, and the web server (dashboard + webhook) started and stopped with the bot.
    dashboard,
    # Any button press no feature recognised is still answered (says it is outdated).
    stale_buttons,
    # Last: unknown commands and stray text or files in private chats get a pointer.
    fallback,
)


def register(app: App) -> None:
    for feature in FEATURES:
        handlers: list[BaseHandler[Any, Any, Any]] = feature.handlers()
        app.add_handlers(handlers)
    app.add_error_handler(on_error)


def startup_hooks() -> list[Callable[[App], Awaitable[None]]]:
    """Per-feature work at start-up (rescheduling timers saved in the database)."""
    return [f.on_startup for f in FEATURES if hasattr(f, "on_startup")]


def shutdown_hooks() -> list[Callable[[App], Awaitable[None]]]:
    """Per-feature work before the database closes (finishing background edits)."""
    return [f.on_shutdown for f in FEATURES if hasattr(f, "on_shutdown")]
