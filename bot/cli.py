"""The `rescuebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import signal
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.importers import EXPORTERS, IMPORTERS
from common.clock import SystemClock, local_today
from common.errors import DomainError
from common.settings import Settings, get_settings
from common.tabular import MAX_FILE_BYTES, ImportReport, write_table
from i18n.catalogue import normalise_lang, t
from reports.model import KINDS as REPORT_KINDS
from reports.model import check_year
from reports.summary_queries import has_volunteers, team_headcounts, volunteer_count
from roster.service import RosterService
from storage.db import Database, DatabaseUnavailable, open_database

log = logging.getLogger("rescuebot")

# The one role the command line hands out; team roles come with the roster.
GRANTABLE_ROLES = ("coordinator",)


def _help_language() -> str:
    # --help must work even when a setting is wrong, so fall back to the variable alone.
    try:
        return get_settings().language
    except Exception:
        return normalise_lang(os.environ.get("RESCUEBOT_LANGUAGE"))


def _year(text: str | None) -> int | None:
    """--year: a plausible calendar year, else the catalogue's message (exit 1)."""
    return None if text is None else check_year(text)


def _parser() -> argparse.ArgumentParser:
    lang = _help_language()

    def h(key: str) -> str:
        return t(f"cli.help.{key}", lang)

    parser = argparse.ArgumentParser(prog="rescuebot", description=h("description"))
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help=h("init"))
    init.add_argument("--demo", action="store_true", help=h("init_demo"))
    init.add_argument("--seed", type=int, default=59, help=h("init_seed"))

    run = sub.add_parser("run", help=h("run"))
    run.add_argument("--webhook", metavar="URL", help=h("run_webhook"))
    run.add_argument("--listen", default="0.0.0.0", help=h("run_listen"))
    run.add_argument("--port", type=int, default=8443, help=h("run_port"))

    demo = sub.add_parser("demo", help=h("demo"))
    demo.add_argument("--lang", choices=("zh", "en"), default=None, help=h("demo_lang"))
    demo.add_argument("--dashboard", action="store_true", help=h("demo_dashboard"))

    imp = sub.add_parser("import", help=h("import"))
    imp.add_argument("kind", choices=tuple(IMPORTERS), help=h("import_kind"))
    imp.add_argument("file", type=Path, help=h("import_file"))

    exp = sub.add_parser("export", help=h("export"))
    exp.add_argument("kind", choices=tuple(EXPORTERS), help=h("export_kind"))
    exp.add_argument("--year", help=h("export_year"))
    exp.add_argument("--out", type=Path, required=True, help=h("export_out"))

    rep = sub.add_parser("report", help=h("report"))
    rep.add_argument(
        "kind",
        choices=REPORT_KINDS,
        help=h("report_kind"),
    )
    rep.add_argument("--year", help=h("report_year"))

    for verb in ("grant", "revoke"):
        g = sub.add_parser(verb, help=h(verb))
        g.add_argument("role", choices=GRANTABLE_ROLES, help=h("role"))
        g.add_argument("telegram_id", type=int, help=h("telegram_id"))
        if verb == "grant":
            g.add_argument("--name", default="", help=h("grant_name"))

    link = sub.add_parser("dashboard-link", help=h("dashboard_link"))
    link.add_argument("--hours", type=float, default=None, help=h("link_hours"))
    link.add_argument("--team", default=None, help=h("link_team"))
    link.add_argument("--revoke-all", action="store_true", help=h("link_revoke_all"))

    backup = sub.add_parser("backup", help=h("backup"))
    backup.add_argument("file", type=Path, help=h("backup_file"))
    backup.add_argument("--force", action="store_true", help=h("backup_force"))
    return parser


def render_report(report: ImportReport, lang: str, limit: int | None = None) -> str:
    """The outcome; with `limit`, only the first `limit` errors (a chat reply), then a count."""
    if report.ok:
        return t(
            "import.done",
            lang,
            kind=report.kind,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    lines = [
        t("import.rejected", lang, kind=report.kind, count=len({e.line for e in report.errors}))
    ]
    shown = report.errors if limit is None else report.errors[:limit]
    for error in shown:
        lines.append(
            t("import.row_error", lang, line=error.line, text=t(error.key, lang, **error.params))
        )
    if len(shown) < len(report.errors):
        lines.append(t("files.more_errors", lang, count=len(report.errors) - len(shown)))
    return "\n".join(lines)


def read_import_file(path: Path) -> bytes:
    """The file's bytes, after checking it is a file of a size worth parsing."""
    if path.is_dir():
        raise DomainError("files.is_directory", name=str(path))
    if not path.exists():
        raise DomainError("error.no_such_file", name=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DomainError(
                "files.too_big",
                name=path.name,
                size=f"{size / 1048576:.1f}",
                limit=f"{MAX_FILE_BYTES / 1048576:g}",
            )
        return path.read_bytes()
    except OSError as exc:
        raise DomainError("files.cannot_read", name=str(path), reason=exc.strerror or exc) from exc


async def _init(settings: Settings, demo: bool, seed: int) -> str:
    db = await open_database(settings.db_path)
    try:
        roster = RosterService(db)
        await roster.seed_reference_data()
        lang = settings.language
        if demo:
            if await has_volunteers(db):
                return t("cli.demo_exists", lang, db=settings.db_path)
            from bot.seeding import seed_demo

            await seed_demo(db, local_today(SystemClock(), settings.tz), seed)
        lines = [t("cli.init_done", lang, db=settings.db_path, version=await db.schema_version())]
        for team in await team_headcounts(db):
            lines.append(
                t("cli.team_line", lang, code=team.code, name=team.name, count=team.volunteers)
            )
        lines.append(t("cli.total_volunteers", lang, count=await volunteer_count(db)))
        return "\n".join(lines)
    finally:
        await db.close()


async def _import(settings: Settings, kind: str, path: Path) -> tuple[bool, str]:
    from bot.importers import importer

    lang = settings.language
    content = read_import_file(path)
    db = await open_database(settings.db_path)
    try:
        await RosterService(db).seed_reference_data()
        report = await importer(kind)(db, content, path.name, actor=None, team_scope=None)
        return report.ok, render_report(report, lang)
    finally:
        await db.close()


async def _export(settings: Settings, kind: str, year: int | None, out: Path) -> str:
    from bot.importers import exporter

    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise DomainError("error.export_format", name=out.name)
    db = await open_database(settings.db_path, must_exist=True)
    try:
        headers, rows = await exporter(kind)(db, year=year, tz=settings.tz)
    finally:
        await db.close()
    try:
        write_table(out, headers, rows, title=_sheet_title(kind, settings.language))
    except OSError as exc:
        raise DomainError("files.cannot_write", name=str(out), reason=exc.strerror or exc) from exc
    return t("export.done", settings.language, count=len(rows), file=str(out))


def _sheet_title(kind: str, lang: str) -> str:
    """The sheet's name (`export.sheet.<kind>`); a kind without one is named by its code."""
    try:
        return t(f"export.sheet.{kind}", lang)
    except KeyError:
        return kind


async def _report(settings: Settings, kind: str, year: int | None) -> str:
    from bot.reporting import text_report

    db = await open_database(settings.db_path, must_exist=True)
    try:
        return await text_report(db, settings, kind, year, settings.language)
    finally:
        await db.close()


async def _grant(settings: Settings, verb: str, telegram_id: int, name: str) -> str:
    db = await open_database(settings.db_path)
    try:
        roster = RosterService(db)
        if verb == "grant":
            await roster.grant_coordinator(telegram_id, name)
            return t("cli.granted", settings.language, id=telegram_id)
        removed = await roster.revoke_coordinator(telegram_id)
        return t(
            "cli.revoked" if removed else "cli.not_coordinator", settings.language, id=telegram_id
        )
    finally:
        await db.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


async def _backup(settings: Settings, target: Path, force: bool) -> str:
    live = Path(settings.db_path)
    if not live.is_file():
        raise DomainError("error.db_missing", db=settings.db_path)
    # The live file, or its WAL/SHM companions: replacing them would destroy the database.
    companions = [live, Path(f"{live}-wal"), Path(f"{live}-shm")]
    if target.resolve() in {p.resolve() for p in companions} or any(
        _same_file(target, p) for p in companions
    ):
        raise DomainError("error.backup_onto_live", file=str(target))
    if target.exists() and not force:
        raise DomainError("error.backup_exists", file=str(target))
    db = await open_database(settings.db_path, must_exist=True)
    try:
        await db.backup(target)
    finally:
        await db.close()
    return t("cli.backup_done", settings.language, file=str(target))


async def _dashboard_link(
    settings: Settings, hours: float | None, team: str | None, revoke: bool
) -> str:
    from dashboard.keys import DashboardKeys
    from dashboard.links import MAX_LINK_HOURS, WALL_LINK_HOURS, make_link

    lang = settings.language
    if hours is not None and not 1 <= hours <= MAX_LINK_HOURS:
        raise DomainError("cli.dash_hours", max=MAX_LINK_HOURS, value=f"{hours:g}")
    now = SystemClock().now()
    db = await open_database(settings.db_path)
    try:
        roster = RosterService(db)
        await roster.seed_reference_data()
        if revoke:
            await DashboardKeys(db).revoke_all(now)
            return t("cli.dash_revoked", lang)
        code = (await roster.find_team(team)).code if team else None
        url, until = await make_link(db, settings, now, hours=hours or WALL_LINK_HOURS, team=code)
    finally:
        await db.close()
    shown = until.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
    return t("cli.dash_link", lang, url=url, until=shown)


def _log_level() -> int:
    """RESCUEBOT_LOG_LEVEL=DEBUG for troubleshooting; the redaction applies at every level."""
    name = os.environ.get("RESCUEBOT_LOG_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def _run(settings: Settings, webhook: str | None, listen: str, port: int) -> None:
    from bot.app import build_application
    from bot.logging_setup import configure_logging
    from bot.startup import check_token, hold_run_lock, initialize_with_retries

    token = settings.telegram_bot_token
    if token is None:
        raise DomainError("error.no_token")
    check_token(token.get_secret_value())
    configure_logging(token.get_secret_value(), _log_level())
    lock = hold_run_lock(settings.db_path)

    async def prepare() -> Database:
        db = await open_database(settings.db_path)
        try:
            await RosterService(db).seed_reference_data()
        except BaseException:
            await db.close()  # its thread would keep the process alive
            raise
        return db

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        db = loop.run_until_complete(prepare())
        try:
            app = build_application(settings, db)
            # Reach Telegram first, with backoff; run_polling's own initialize is then a no-op.
            loop.run_until_complete(
                initialize_with_retries(
                    app, budget_seconds=settings.startup_retry_seconds, url=settings.api_base_url
                )
            )
            # run_polling / run_webhook stop cleanly on SIGINT and SIGTERM.
            if webhook:
                loop.run_until_complete(_serve_webhook(app, webhook, listen, port))
            else:
                app.run_polling(close_loop=False, bootstrap_retries=STARTUP_BOOTSTRAP_RETRIES)
        finally:
            loop.run_until_complete(db.close())
    finally:
        loop.close()
        if lock is not None:
            lock.release()


# deleteWebhook/setWebhook right after start-up: retried by PTB, 1 s apart.
STARTUP_BOOTSTRAP_RETRIES = 5
WEBHOOK_CONNECTIONS = 100  # Telegram's maximum


def _one_line(exc: BaseException, settings: Settings) -> str:
    """An unexpected failure as one line, without the token (URLs can carry it)."""
    from bot.logging_setup import RedactingFilter

    token = settings.telegram_bot_token
    secret = token.get_secret_value() if token else ""
    reason = RedactingFilter([secret]).clean(" ".join(str(exc).split()) or repr(exc))
    return t("error.unexpected", settings.language, kind=type(exc).__name__, reason=reason)


async def _serve_webhook(app: Any, webhook: str, listen: str, port: int) -> None:
    """Webhook mode: one web server for Telegram's posts and the dashboard, until a signal.

    The server listens on the URL's own path; Telegram proves each delivery with the
    secret registered here. Stops on SIGINT/SIGTERM, finishing what is in flight first.
    """
    from telegram import Update

    from bot.answers import RescueBot
    from bot.app import finish_background_work
    from bot.handlers.dashboard import BINDING_KEY, WebBinding
    from bot.webhook_answers import WebhookAnswers
    from dashboard.server import Webhook

    secret = secrets.token_urlsafe(32)
    answers = WebhookAnswers()
    if isinstance(app.bot, RescueBot):
        app.bot.answer_in_webhook_responses(answers)

    async def deliver(data: Any) -> dict[str, Any] | None:
        update = Update.de_json(data, app.bot)
        query = update.callback_query
        if query is None:
            await app.update_queue.put(update)
            return None
        # A tap: its answer can ride back in this very response.
        return await answers.response_for(query.id, app.update_queue.put(update))

    path = urlsplit(webhook).path
    app.bot_data[BINDING_KEY] = WebBinding(listen, port, Webhook(path, secret, deliver))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await app.bot.set_webhook(
            webhook,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
            # A tap's POST stays open until it is answered: room for a team tapping at once.
            max_connections=WEBHOOK_CONNECTIONS,
        )
        await stop.wait()
        await app.stop()
        await finish_background_work(app)
    finally:
        await app.shutdown()


# One function per sub-command: (parsed arguments, settings) → exit code. Output goes to
# stdout; a DomainError raised by any of them is printed by `main` on stderr (exit 1).
Command = Callable[[argparse.Namespace, Settings], int]


def _printed(text: str) -> int:
    print(text)
    return 0


def _cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    return _printed(asyncio.run(_init(settings, args.demo, args.seed)))


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    _run(settings, args.webhook, args.listen, args.port)
    return 0


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo import run_demo

    try:
        return asyncio.run(run_demo(args.lang or settings.language, dashboard=args.dashboard))
    except KeyboardInterrupt:  # `demo --dashboard` runs until Ctrl-C
        return 0


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    ok, text = asyncio.run(_import(settings, args.kind, args.file))
    # Results on stdout; a rejected file (its bad rows) on stderr like every error.
    print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    return _printed(asyncio.run(_export(settings, args.kind, _year(args.year), args.out)))


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    return _printed(asyncio.run(_report(settings, args.kind, _year(args.year))))


def _cmd_grant(args: argparse.Namespace, settings: Settings) -> int:
    name = getattr(args, "name", "")  # only `grant` has --name
    return _printed(asyncio.run(_grant(settings, args.command, args.telegram_id, name)))


def _cmd_dashboard_link(args: argparse.Namespace, settings: Settings) -> int:
    return _printed(asyncio.run(_dashboard_link(settings, args.hours, args.team, args.revoke_all)))


def _cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    return _printed(asyncio.run(_backup(settings, args.file, args.force)))


COMMANDS: dict[str, Command] = {
    "init": _cmd_init,
    "run": _cmd_run,
    "demo": _cmd_demo,
    "import": _cmd_import,
    "export": _cmd_export,
    "report": _cmd_report,
    "grant": _cmd_grant,
    "revoke": _cmd_grant,
    "dashboard-link": _cmd_dashboard_link,
    "backup": _cmd_backup,
}


def _failed(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
    except Exception as exc:  # pydantic's ValidationError names the variable and the problem
        print(t("cli.config_error", _help_language(), detail=exc), file=sys.stderr)
        return 2
    lang = settings.language
    try:
        return COMMANDS[args.command](args, settings)
    except DomainError as error:
        return _failed(t(error.key, lang, **error.params))
    except sqlite3.Error as exc:  # e.g. the file locked by another process mid-command
        unusable = DatabaseUnavailable.of(settings.db_path, exc)
        return _failed(t(unusable.key, lang, **unusable.params))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # fatal: one line for the operator, the traceback only at DEBUG
        log.debug("unexpected failure", exc_info=True)
        return _failed(_one_line(exc, settings))


if __name__ == "__main__":
    sys.exit(main())
