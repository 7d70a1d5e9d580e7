"""The `rescuebot` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from common.clock import SystemClock, local_today
from common.errors import DomainError
from common.settings import Settings, get_settings
from common.tabular import ImportReport, write_table
from i18n.catalogue import t
from roster.repository import RosterRepository
from storage.db import Database, DatabaseUnavailable, open_database

log = logging.getLogger("rescuebot")


def _year(text: str | None) -> int | None:
    """--year: a plausible calendar year, else the catalogue's message (exit 1)."""
    from reports.model import check_year

    return None if text is None else check_year(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rescuebot", description="Rescue-team callout bot")
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="add the demo data set")
    init.add_argument("--seed", type=int, default=59, help="random seed of the demo data")

    run = sub.add_parser("run", help="run the bot (long polling)")
    run.add_argument("--webhook", metavar="URL", help="webhook mode: the public URL")
    run.add_argument("--listen", default="0.0.0.0", help="webhook mode: address to listen on")
    run.add_argument("--port", type=int, default=8443, help="webhook mode: port")

    demo = sub.add_parser("demo", help="play a scripted incident against the local sandbox")
    demo.add_argument("--lang", choices=("zh", "en"), default=None)

    imp = sub.add_parser("import", help="import a CSV or XLSX file (all or nothing)")
    imp.add_argument("kind", choices=("roster", "training", "fitness", "insurance"))
    imp.add_argument("file", type=Path)

    exp = sub.add_parser("export", help="export to .csv or .xlsx")
    exp.add_argument("kind", choices=("roster", "missions", "training", "insurance"))
    exp.add_argument("--year")
    exp.add_argument("--out", type=Path, required=True)

    rep = sub.add_parser("report", help="print a report")
    rep.add_argument("kind", choices=("missions", "training", "insurance", "roster", "readiness"))
    rep.add_argument("--year")

    for verb in ("grant", "revoke"):
        g = sub.add_parser(verb, help=f"{verb} the coordinator role")
        g.add_argument("role", choices=("coordinator",))
        g.add_argument("telegram_id", type=int)
        if verb == "grant":
            g.add_argument("--name", default="")

    backup = sub.add_parser("backup", help="consistent copy of the live database")
    backup.add_argument("file", type=Path)
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parser


def render_report(report: ImportReport, lang: str) -> str:
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
    for error in report.errors:
        lines.append(
            t("import.row_error", lang, line=error.line, text=t(error.key, lang, **error.params))
        )
    return "\n".join(lines)


async def _init(settings: Settings, demo: bool, seed: int) -> str:
    db = await open_database(settings.db_path)
    try:
        roster = RosterRepository(db)
        await roster.seed_reference_data()
        lang = settings.language
        if demo:
            if await db.fetchone("SELECT 1 FROM volunteers LIMIT 1"):
                return t("cli.demo_exists", lang, db=settings.db_path)
            from bot.seeding import seed_demo

            await seed_demo(db, local_today(SystemClock(), settings.tz), seed)
        count = await db.fetchone("SELECT COUNT(*) FROM volunteers")
        lines = [t("cli.init_done", lang, db=settings.db_path, version=await db.schema_version())]
        rows = await db.fetchall(
            "SELECT t.code, t.name, COUNT(v.id) FROM teams t LEFT JOIN volunteers v "
            "ON v.team_code = t.code GROUP BY t.code ORDER BY t.rowid"
        )
        for r in rows:
            lines.append(t("cli.team_line", lang, code=r[0], name=r[1], count=r[2]))
        lines.append(t("cli.total_volunteers", lang, count=count[0] if count else 0))
        return "\n".join(lines)
    finally:
        await db.close()


async def _import(settings: Settings, kind: str, path: Path) -> tuple[bool, str]:
    from bot.importers import importer

    lang = settings.language
    if not path.is_file():
        raise DomainError("error.no_such_file", name=str(path))
    db = await open_database(settings.db_path)
    try:
        await RosterRepository(db).seed_reference_data()
        report = await importer(kind)(db, path.read_bytes(), path.name, actor=None, team_scope=None)
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
    write_table(out, headers, rows)
    return t("export.done", settings.language, count=len(rows), file=str(out))


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
        roster = RosterRepository(db)
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
            await RosterRepository(db).seed_reference_data()
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
                # Listen on the URL's own path; Telegram proves each delivery with the secret.
                app.run_webhook(
                    listen=listen,
                    port=port,
                    url_path=urlsplit(webhook).path.lstrip("/"),
                    webhook_url=webhook,
                    secret_token=secrets.token_urlsafe(32),
                    close_loop=False,
                    bootstrap_retries=STARTUP_BOOTSTRAP_RETRIES,
                )
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


def _one_line(exc: BaseException, settings: Settings) -> str:
    """An unexpected failure as one line, without the token (URLs can carry it)."""
    from bot.logging_setup import RedactingFilter

    token = settings.telegram_bot_token
    secret = token.get_secret_value() if token else ""
    reason = RedactingFilter([secret]).clean(" ".join(str(exc).split()) or repr(exc))
    return t("error.unexpected", settings.language, kind=type(exc).__name__, reason=reason)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
    except Exception as exc:  # pydantic's ValidationError names the variable and the problem
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    lang = settings.language
    try:
        if args.command == "init":
            print(asyncio.run(_init(settings, args.demo, args.seed)))
        elif args.command == "run":
            _run(settings, args.webhook, args.listen, args.port)
        elif args.command == "demo":
            from bot.demo import run_demo

            return asyncio.run(run_demo(args.lang or lang))
        elif args.command == "import":
            ok, text = asyncio.run(_import(settings, args.kind, args.file))
            print(text)
            return 0 if ok else 1
        elif args.command == "export":
            print(asyncio.run(_export(settings, args.kind, _year(args.year), args.out)))
        elif args.command == "report":
            print(asyncio.run(_report(settings, args.kind, _year(args.year))))
        elif args.command in ("grant", "revoke"):
            name = getattr(args, "name", "")
            print(asyncio.run(_grant(settings, args.command, args.telegram_id, name)))
        elif args.command == "backup":
            print(asyncio.run(_backup(settings, args.file, args.force)))
    except DomainError as error:
        print(t(error.key, lang, **error.params), file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # e.g. the file locked by another process mid-command
        unusable = DatabaseUnavailable.of(settings.db_path, exc)
        print(t(unusable.key, lang, **unusable.params), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # fatal: one line for the operator, the traceback only at DEBUG
        log.debug("unexpected failure", exc_info=True)
        print(_one_line(exc, settings), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
