"""Files sent with the caption `/import roster|training|fitness|insurance`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from bot.cli import render_report
from bot.context import actor_of, is_private, require
from bot.importers import IMPORTERS, importer
from bot.services import services_of
from bot.texts import send_long
from common.clock import local_today
from common.errors import DomainError
from common.tabular import MAX_FILE_BYTES

# A file with 100,000 bad rows must not become thousands of messages: the first errors
# and a count; the command line lists them all.
ERRORS_IN_CHAT = 50


async def import_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    require(is_private(update), "error.private_only")
    words = (message.caption or "").split()
    kind = words[1].lower() if len(words) > 1 else ""
    if kind not in IMPORTERS:
        raise DomainError("import.usage", kinds="|".join(IMPORTERS))
    document = message.document
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        raise DomainError("import.too_big")
    file = await document.get_file()
    content = bytes(await file.download_as_bytearray())
    # A leader may import only their own team's rows; a coordinator any team.
    scope = None if actor.coordinator else actor.team_code
    report = await importer(kind)(
        services_of(context).db,
        content,
        document.file_name or "upload.csv",
        actor=actor.telegram_id,
        team_scope=scope,
        today=local_today(services_of(context).clock, services_of(context).settings.tz),
    )
    await send_long(message, render_report(report, actor.language, limit=ERRORS_IN_CHAT))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"^/import(@\w+)?\b"), import_file
        ),
    ]
