"""The dashboard in chat (/dashboard) and its web server's life, tied to the bot's.

The server starts in the bot's event loop at start-up (`on_startup`) and stops
before the database closes (`on_shutdown`). In webhook mode the command line
puts a `WebBinding` with the webhook into bot_data first, so one server takes
both Telegram's posts and the dashboard.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.ext import Application, BaseHandler, CommandHandler, ContextTypes

from bot.context import actor_of, is_private, reply, require
from bot.services import services_of
from dashboard.links import PERSONAL_LINK_HOURS, make_link
from dashboard.page import PageConfig
from dashboard.server import DashboardServer, Webhook
from i18n.catalogue import t

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
SERVER_KEY = "dashboard_server"
BINDING_KEY = "web_binding"


@dataclass
class WebBinding:
    """Where the one web server listens, and the webhook it also serves (webhook mode)."""

    host: str
    port: int
    webhook: Webhook | None = None


def server_of(app: App) -> DashboardServer | None:
    found = app.bot_data.get(SERVER_KEY)
    return found if isinstance(found, DashboardServer) else None


async def dashboard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await actor_of(update, context)
    require(actor.is_leader_or_coordinator, "error.leaders_only")
    require(is_private(update), "error.private_only")
    settings = services_of(context).settings
    message = update.effective_message
    assert message is not None
    server = server_of(context.application)
    if server is None or not server.dashboard:
        await reply(update, actor, "dash.off")
        return
    lang = actor.language
    if settings.public_url:
        button = InlineKeyboardButton(
            t("dash.button", lang), web_app=WebAppInfo(url=settings.public_url + "/")
        )
        await message.reply_text(
            t("dash.open_app", lang), reply_markup=InlineKeyboardMarkup([[button]])
        )
        return
    services = services_of(context)
    url, _ = await make_link(
        services.db,
        settings,
        services.clock.now(),
        hours=PERSONAL_LINK_HOURS,
        telegram_id=actor.telegram_id,
    )
    await reply(update, actor, "dash.link", url=url, hours=PERSONAL_LINK_HOURS)


async def on_startup(app: App) -> None:
    services = services_of(app)
    settings = services.settings
    binding = app.bot_data.get(BINDING_KEY)
    if not isinstance(binding, WebBinding):
        if settings.web_port == 0:
            return
        binding = WebBinding(settings.web_host, settings.web_port)
    assert settings.telegram_bot_token is not None
    server = DashboardServer(
        services.db,
        bot_token=settings.telegram_bot_token.get_secret_value(),
        clock=services.clock,
        hub=services.changes,
        config=PageConfig(
            settings.tz,
            settings.mission_target,
            settings.tile_url,
            grace_minutes=settings.check_grace_minutes,
            return_minutes=settings.return_minutes,
        ),
        language=settings.language,
        dashboard=settings.web_port != 0,
    )
    server.webhook = binding.webhook
    try:
        port = await server.start(binding.host, binding.port)
    except OSError as error:
        if binding.webhook is not None:
            raise  # webhook mode cannot run without its server: a fatal start-up error
        # Callouts matter more than the dashboard: the bot runs on without it.
        log.error(t("cli.dash_port_busy", "en", port=binding.port, error=error.strerror))
        return
    app.bot_data[SERVER_KEY] = server
    log.info("web server listening on %s:%d", binding.host, port)


async def on_shutdown(app: App) -> None:
    server = server_of(app)
    if server is not None:
        await server.stop()
        app.bot_data.pop(SERVER_KEY, None)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("dashboard", dashboard)]
