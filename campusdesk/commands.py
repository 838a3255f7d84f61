"""What each ``campusdesk`` subcommand does."""

from __future__ import annotations

import sys
import time

from kit.settings import Settings


def dispatch(args, settings: Settings) -> int:
    """Run the subcommand named on the command line."""
    if getattr(args, "func", None) is not None:
        return args.func(args, settings) or 0
    handler = COMMANDS[args.command]
    return handler(args, settings) or 0


def _port(args, settings: Settings) -> int:
    return args.port if args.port is not None else getattr(settings, args.port_attr)


def init_db(args, settings: Settings) -> int:
    """Create the schema or upgrade it."""
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    db = open_database(settings)
    before, after = migrate(db, zone=settings.zone)
    where = settings.database_url or settings.effective_database_url
    if before == after:
        print(f"Database schema is up to date (version {after}) at {where}.")
    else:
        print(f"Database schema upgraded from version {before} to {after} at {where}.")
    return 0


def seed(args, settings: Settings) -> int:
    """Fill the database with demo tickets."""
    if args.tickets < 0:
        print("campusdesk: --tickets must be 0 or more", file=sys.stderr)
        return 2
    add_demo_tickets(settings, args.tickets, args.months, args.seed, progress=not args.quiet)
    return 0


def add_demo_tickets(
    settings: Settings,
    tickets: int,
    months: int = 18,
    rng_seed: int | None = None,
    progress: bool = True,
) -> dict:
    """Add demo tickets through the API's database binding and classifier; print the counts."""
    from ticket_api import create_app
    from ticket_api.db import database, open_database
    from ticket_api.migrations import migrate
    from ticket_api.seed import seed as run_seed

    migrate(open_database(settings), zone=settings.zone)
    app = create_app(settings)
    classifier = app.extensions["campusdesk.classifier"]()
    started = time.perf_counter()
    with database.connection_context():
        totals = run_seed(database.obj, classifier, tickets, months, rng_seed, progress)
    print(
        f"Added {totals['tickets']} tickets, {totals['messages']} messages, "
        f"{totals['changes']} history entries and {totals['ratings']} ratings in "
        f"{time.perf_counter() - started:.1f} s."
    )
    return totals


def api(args, settings: Settings) -> int:
    """Serve the ticket API with the development server."""
    from ticket_api import create_app

    port = _port(args, settings)
    banner = (
        f"CampusDesk ticket API on http://{args.host}:{port}/api "
        f"(documentation at /api/docs). For production use gunicorn: see docs/deployment.md."
    )
    return _serve(create_app(settings), args.host, port, banner)


def _serve(app, host: str, port: int, banner: str) -> int:
    """Run a Flask app on the development server, after saying where."""
    print(banner, flush=True)
    app.run(host=host, port=port, threaded=True)
    return 0


def dashboard(args, settings: Settings) -> int:
    """Serve the dashboard with the development server."""
    from dash_app import create_dash_app

    app = create_dash_app(settings)
    port = _port(args, settings)
    print(f"CampusDesk dashboard on http://{args.host}:{port}{settings.url_prefix}/")
    app.run(host=args.host, port=port, debug=False)
    return 0


def metrics(args, settings: Settings) -> int:
    """Serve one analytics service with the development server."""
    from metrics_services import SERVICES, create_app

    port = args.port if args.port is not None else getattr(settings, SERVICES[args.name][1])
    banner = (
        f"CampusDesk {args.name} service on http://{args.host}:{port} (its analyses at "
        f"/analyses, OpenAPI at /openapi.json), reading {settings.api_url}/api."
    )
    return _serve(create_app(args.name, settings), args.host, port, banner)


def analytics(args, settings: Settings) -> int:
    """Check the analytics totals against the tickets, or recount them."""
    from ticket_api import rollups
    from ticket_api.db import open_database, write_transaction
    from ticket_api.migrations import migrate

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    started = time.perf_counter()
    if args.action == "rebuild":
        with write_transaction():
            rollups.fill_offsets(db, settings.zone)
            rollups.rebuild(db)
        print(
            f"Analytics totals recounted in {settings.time_zone} "
            f"in {time.perf_counter() - started:.1f} s."
        )
        return 0
    problems = rollups.check(db)
    for line in problems[:50]:
        print(line)
    if problems:
        print(
            f"{len(problems)} totals differ from the tickets; `campusdesk analytics rebuild` "
            "recounts them."
        )
        return 1
    print(f"Every analytics total matches the tickets ({time.perf_counter() - started:.1f} s).")
    return 0


def backup(args, settings: Settings) -> int:
    """Write a backup of the database to a file while the API keeps serving."""
    from campusdesk.backup import BackupError, create_backup, size_text, tickets_text

    try:
        done = create_backup(settings, args.file, quiet=args.quiet)
    except BackupError as exc:
        print(f"campusdesk: {exc}", file=sys.stderr)
        return 1
    print(
        f"Backup written to {args.file}: {size_text(done['bytes'])}, "
        f"{tickets_text(done['tickets'])}, schema version {done['schema_version']}, "
        f"in {done['seconds']:.1f} s."
    )
    return 0


def restore(args, settings: Settings) -> int:
    """Replace the database with a backup file."""
    from campusdesk.backup import BackupError, restore_backup, tickets_text

    try:
        done = restore_backup(settings, args.file, force=args.force, quiet=args.quiet)
    except BackupError as exc:
        print(f"campusdesk: {exc}", file=sys.stderr)
        return 1
    print(
        f"Restored {tickets_text(done['tickets'])} from {args.file} (backup of "
        f"{done['created_at']}, schema version {done['schema_version']}) "
        f"in {done['seconds']:.1f} s."
    )
    if done["init_db_because"]:
        print(f"Run `campusdesk init-db` before starting the API: {done['init_db_because']}.")
    return 0


def mail_worker(args, settings: Settings) -> int:
    """Send the outbox's e-mail notices until stopped (or once, with --once)."""
    import signal
    import threading

    from ticket_api import mail_worker as worker
    from ticket_api.db import open_database
    from ticket_api.migrations import require_current

    if not settings.mail_enabled:
        print(
            "campusdesk: e-mail notifications are not set up: set CAMPUSDESK_SMTP_URL "
            "(see docs/configuration.md)",
            file=sys.stderr,
        )
        return 2
    db = open_database(settings)
    require_current(db, settings.zone)
    db.close()
    if args.once:
        print(f"Sent {worker.send_due(settings)} e-mail notices.")
        return 0
    from prometheus_client import REGISTRY, start_http_server

    port = _port(args, settings)
    start_http_server(port, addr=args.host, registry=REGISTRY)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(
        f"CampusDesk mail worker sending through {settings.smtp_url.split('@')[-1]} "
        f"(metrics on http://{args.host}:{port}/metrics).",
        flush=True,
    )
    worker.run(settings, stop)
    return 0


def retention(args, settings: Settings) -> int:
    """Erase the personal data of tickets closed more than CAMPUSDESK_RETENTION_MONTHS ago."""
    from ticket_api import retention as rules
    from ticket_api.db import open_database
    from ticket_api.migrations import require_current

    db = open_database(settings)
    try:
        require_current(db, settings.zone)
        done = rules.apply(settings.retention_months, data_dir=settings.data_dir)
    finally:
        db.close()
    print(rules.summary(done, settings.retention_months), flush=True)
    return 0


def run(args, settings: Settings) -> int:
    """Start every part of the system, each in its own process."""
    from campusdesk.supervisor import run_system

    return run_system(settings, host=args.host, demo=args.demo)


COMMANDS = {
    "init-db": init_db,
    "seed": seed,
    "api": api,
    "metrics": metrics,
    "analytics": analytics,
    "dashboard": dashboard,
    "run": run,
    "mail-worker": mail_worker,
    "retention": retention,
    "backup": backup,
    "restore": restore,
}
