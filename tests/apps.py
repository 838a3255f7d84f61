"""The ticket API as a test builds it: the schema brought up to date first, as
`campusdesk init-db` does before a deployment starts its workers; and the `campusdesk`
command run as an operator runs it, on the database of a test's settings."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

from kit.settings import Settings


def make_api(settings: Settings, **kwargs):
    """``create_app`` on a database migrated to this release (in the settings' zone)."""
    from ticket_api import create_app
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    db.close()
    return create_app(settings, **kwargs)


def rules_text(rules) -> str:
    """Rate limit rules as their variable writes them: '3/60 seconds, 5/3600 seconds'."""
    return ", ".join(f"{hits}/{seconds} seconds" for hits, seconds in rules) or "off"


def cli_env(settings: Settings) -> dict:
    """The environment that points ``campusdesk`` and gunicorn at the database of ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
    env.update(
        CAMPUSDESK_DATA_DIR=str(settings.data_dir),
        CAMPUSDESK_MODEL_DIR=settings.model_dir_override,
        CAMPUSDESK_TIME_ZONE=settings.time_zone,
        CAMPUSDESK_RATE_LIMITS="1" if settings.rate_limits else "0",
        CAMPUSDESK_TICKET_LIMITS=rules_text(settings.ticket_limits),
        CAMPUSDESK_MESSAGE_LIMITS=rules_text(settings.message_limits),
        CAMPUSDESK_RETENTION_MONTHS=str(settings.retention_months),
    )
    if settings.redis_url:
        env["CAMPUSDESK_REDIS_URL"] = settings.redis_url
    if settings.database_url:
        env["CAMPUSDESK_DATABASE_URL"] = settings.database_url
    if settings.smtp_url:
        env.update(
            CAMPUSDESK_SMTP_URL=settings.smtp_url,
            CAMPUSDESK_MAIL_FROM=settings.mail_from,
            CAMPUSDESK_MAIL_SECRET=settings.mail_secret,
            CAMPUSDESK_PUBLIC_URL=settings.public_url,
        )
    return env


def campusdesk(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    """``python -m campusdesk ARGS`` in a process of its own, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "campusdesk", *args],
        env=cli_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


@contextmanager
def serving(app):
    """``app`` over real HTTP on a free port, in a thread; yields its base address. Leaving
    waits for the requests still running."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
