"""The command menus registered with setMyCommands, per language and role scope."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats
from telegram.ext import Application

from i18n.catalogue import LANGUAGES, t

# Order is the menu order. Every name here has a `menu.<name>` text in the catalogue.
COMMANDS: tuple[str, ...] = (
    "start",
    "help",
    "me",
    "callout",
    "status",
    "away",
    "back",
    "lang",
    "roster",
    "insurance",
    "training",
    "fitness",
    "missions",
    "report",
    "dashboard",
)


def menu(language: str) -> list[BotCommand]:
    return [BotCommand(name, t(f"menu.{name}", language)) for name in COMMANDS]


async def register_commands(
    app: Application[Any, Any, Any, Any, Any, Any], default_language: str
) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await app.bot.set_my_commands(menu(default_language), scope=scope)
    for language in LANGUAGES:
        await app.bot.set_my_commands(menu(language), scope=scope, language_code=language)
