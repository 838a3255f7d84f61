"""Versioned schema: ``migrate`` creates the database or upgrades it step by step, keeping
rows; ``require_current`` is what a serving process checks instead.

The steps are the modules of ``ticket_api/schema/``, each frozen once released. Migrating is
the job of ``campusdesk init-db`` and ``campusdesk run``, one process under a lock, never of
every API worker at start: a worker on an older schema refuses to start and says what to run.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from peewee import Database

from kit.settings import SchemaError
from ticket_api import rollups
from ticket_api.db import is_postgres
from ticket_api.schema import STEPS

__all__ = ["LATEST", "SchemaError", "current_version", "migrate", "require_current"]

log = logging.getLogger("campusdesk.api")
LOCK_KEY = 0x43444553  # PostgreSQL advisory lock held while migrating
LATEST = len(STEPS)
VERSION_TABLE = {
    "sqlite": 'CREATE TABLE IF NOT EXISTS "campusdesk_schema" '
    '("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL)',
    "postgres": "CREATE TABLE IF NOT EXISTS campusdesk_schema "
    "(id SERIAL NOT NULL PRIMARY KEY, version INTEGER NOT NULL)",
}


def current_version(db: Database) -> int:
    """The schema version of the database; 0 when it is empty."""
    if not db.table_exists("campusdesk_schema"):
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM campusdesk_schema").fetchone()
    return row[0] or 0


def migrate(
    db: Database, target: int | None = None, zone: ZoneInfo | None = None
) -> tuple[int, int]:
    """Bring the schema up to ``target`` (the latest by default) and, given the campus
    ``zone``, count the analytics totals in it; returns (before, after)."""
    target = LATEST if target is None else target
    postgres = is_postgres(db)
    lock = {} if postgres else {"lock_type": "IMMEDIATE"}
    with db.atomic(**lock):
        if postgres:
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        db.execute_sql(VERSION_TABLE["postgres" if postgres else "sqlite"])
        before = current_version(db)
        if before > LATEST:
            raise SchemaError(
                f"The database has schema version {before}, newer than this release of "
                f"CampusDesk ({LATEST}); install the release that created it."
            )
        for number in range(before + 1, target + 1):
            log.info("applying schema step %d", number)
            STEPS[number - 1](db, postgres)
            db.execute_sql("DELETE FROM campusdesk_schema")
            db.execute_sql(
                f"INSERT INTO campusdesk_schema (version) VALUES ({db.param})", (number,)
            )
        if zone is not None and max(before, target) >= 5 and rollups.sync_zone(db, zone):
            log.info("analytics totals recounted in the campus time zone %s", zone.key)
    if target > before:
        db.execute_sql("ANALYZE")  # the planner needs statistics for indexes a step added
    return before, max(before, target)


def require_current(db: Database, zone: ZoneInfo) -> int:
    """Check, without changing anything, that the database is at this release's schema and
    counts its totals in ``zone``; the version, or :class:`SchemaError` saying what to run."""
    version = current_version(db)
    if version > LATEST:
        raise SchemaError(
            f"The database has schema version {version}, newer than this release of "
            f"CampusDesk ({LATEST}); install the release that created it."
        )
    if version < LATEST:
        where = "is empty" if version == 0 else f"has schema version {version}"
        raise SchemaError(
            f"The database {where}; this release needs version {LATEST}. "
            "Run `campusdesk init-db` once (it keeps every row), then start the API."
        )
    stored = rollups.stored_zone(db)
    if stored != zone.key:
        raise SchemaError(
            f"The analytics totals are counted in the time zone {stored}, but "
            f"CAMPUSDESK_TIME_ZONE is {zone.key}. Run `campusdesk init-db` once to recount "
            "them, then start the API."
        )
    return version
