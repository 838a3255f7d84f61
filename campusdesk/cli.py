"""The ``campusdesk`` command: run the whole system or one part of it, manage the database."""

from __future__ import annotations

import argparse
import sys

from kit.settings import SchemaError, Settings, SettingsError
from metrics_services import SERVICES


def _server_args(parser: argparse.ArgumentParser, default_port_attr: str) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port to listen on (default: CAMPUSDESK_{default_port_attr.upper()})",
    )
    parser.set_defaults(port_attr=default_port_attr)


def _backup_parsers(sub) -> None:
    """The `backup` and `restore` subcommands."""
    backup = sub.add_parser(
        "backup",
        help="write the database to one backup file, while the API keeps serving",
        description="Write a consistent backup of the configured database (SQLite: online "
        "backup API; PostgreSQL: pg_dump) to FILE, a tar archive with a manifest. The API "
        "may keep serving and writing. See docs/backup.md.",
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write (replaced)")
    backup.add_argument("--quiet", action="store_true", help="only the final line (for cron)")
    restore = sub.add_parser(
        "restore",
        help="replace the database with a backup file (stop the API first)",
        description="Replace the configured database with the backup in FILE. Stop the API "
        "and every CampusDesk process first: on SQLite the restore refuses a database in "
        "use. A database that holds tickets is replaced only with --force. See docs/backup.md.",
    )
    restore.add_argument("file", metavar="FILE", help="a file written by `campusdesk backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that is not empty"
    )
    restore.add_argument("--quiet", action="store_true", help="only the final line")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="campusdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="start the whole system, each part its own process")
    run.add_argument("--host", default="127.0.0.1", help="address every process listens on")
    run.add_argument(
        "--demo",
        type=int,
        nargs="?",
        const=2000,
        default=0,
        metavar="N",
        help="when the database is empty, fill it with N demo tickets first (default 2000)",
    )

    _server_args(
        sub.add_parser("api", help="serve the ticket API (development server)"), "api_port"
    )
    _server_args(
        sub.add_parser("dashboard", help="serve the dashboard (development server)"),
        "dashboard_port",
    )

    metrics = sub.add_parser("metrics", help="serve one analytics service (development server)")
    metrics.add_argument("name", choices=sorted(SERVICES), help="which service")
    metrics.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    metrics.add_argument(
        "--port", type=int, default=None, help="port (default: the service's CAMPUSDESK_*_PORT)"
    )

    worker = sub.add_parser(
        "mail-worker", help="send the e-mail notices (needs CAMPUSDESK_SMTP_URL)"
    )
    _server_args(worker, "mail_worker_port")
    worker.add_argument("--once", action="store_true", help="send what is due, then stop")

    retention = sub.add_parser(
        "retention", help="erase the personal data of tickets closed long ago"
    )
    retention.add_argument(
        "action",
        choices=("apply",),
        help="apply: erase it for tickets closed more than CAMPUSDESK_RETENTION_MONTHS ago",
    )

    sub.add_parser("init-db", help="create the database schema or upgrade it, keeping every row")
    analytics = sub.add_parser("analytics", help="the analytics totals kept beside the tickets")
    analytics.add_argument(
        "action",
        choices=("check", "rebuild"),
        help="check: compare the totals with the tickets; rebuild: recount them all",
    )
    _backup_parsers(sub)

    seed = sub.add_parser("seed", help="add realistic demo tickets, messages and history")
    seed.add_argument(
        "--tickets", type=int, default=2000, metavar="N", help="how many tickets (default 2000)"
    )
    seed.add_argument(
        "--months", type=int, default=18, help="spread opening times over this many months"
    )
    seed.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")
    seed.add_argument("--quiet", action="store_true", help="no progress bar")

    from ticket_api.classifier.cli import add_classifier_parser

    add_classifier_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``campusdesk`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"campusdesk: {exc}", file=sys.stderr)
        return 2
    from campusdesk import commands

    try:
        return commands.dispatch(args, settings) or 0
    except KeyboardInterrupt:
        return 130
    except SettingsError as exc:
        print(f"campusdesk: {exc}", file=sys.stderr)
        return 2
    except SchemaError as exc:
        print(f"campusdesk: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
