"""Versioned schema: ``migrate`` creates the database or upgrades it step by step, keeping rows.

Each step is idempotent (it looks at what exists before it creates), so a database created by
a newer release at step 1 and one upgraded through every step end up the same.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from peewee import Database

from ticket_api import rollups
from ticket_api.db import is_postgres
from ticket_api.models import ClassifierExample, Message, SchemaVersion, Ticket, TicketChange

log = logging.getLogger("campusdesk.api")
LOCK_KEY = 0x43444553  # PostgreSQL advisory lock held while migrating


def _step_1_tickets(db: Database) -> None:
    """Tickets, messages and the change history."""
    db.create_tables([Ticket, Message, TicketChange], safe=True)


def _step_2_classifier_feedback(db: Database) -> None:
    """Helpdesk category overrides kept as labelled examples; low-confidence-first sort."""
    db.create_tables([ClassifierExample], safe=True)
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS ticket_category_confidence ON ticket (category_confidence)"
    )


BUCKET_SECONDS = 900  # every time zone offset in use is a whole number of quarter hours

SQLITE_ROLLUP_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_insert AFTER INSERT ON ticket
    WHEN NEW.status = 'closed' BEGIN
        INSERT INTO resolution_rollup (bucket, tickets, seconds)
        VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
        ON CONFLICT (bucket) DO UPDATE SET tickets = tickets + 1,
            seconds = seconds + excluded.seconds;
    END""",
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_close AFTER UPDATE OF status ON ticket
    WHEN NEW.status = 'closed' AND OLD.status != 'closed' BEGIN
        INSERT INTO resolution_rollup (bucket, tickets, seconds)
        VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
        ON CONFLICT (bucket) DO UPDATE SET tickets = tickets + 1,
            seconds = seconds + excluded.seconds;
    END""",
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_delete AFTER DELETE ON ticket
    WHEN OLD.status = 'closed' BEGIN
        UPDATE resolution_rollup SET tickets = tickets - 1,
            seconds = seconds - (OLD.closed_at - OLD.opened_at)
        WHERE bucket = OLD.opened_at / 900;
    END""",
)
POSTGRES_ROLLUP_TRIGGER = (
    """CREATE OR REPLACE FUNCTION resolution_rollup_apply() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'closed' THEN
                UPDATE resolution_rollup SET tickets = tickets - 1,
                    seconds = seconds - (OLD.closed_at - OLD.opened_at)
                WHERE bucket = OLD.opened_at / 900;
            END IF;
            RETURN OLD;
        END IF;
        IF NEW.status = 'closed' AND (TG_OP = 'INSERT' OR OLD.status != 'closed') THEN
            INSERT INTO resolution_rollup (bucket, tickets, seconds)
            VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
            ON CONFLICT (bucket) DO UPDATE SET tickets = resolution_rollup.tickets + 1,
                seconds = resolution_rollup.seconds + excluded.seconds;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS resolution_rollup_change ON ticket",
    """CREATE TRIGGER resolution_rollup_change AFTER INSERT OR DELETE OR UPDATE OF status
    ON ticket FOR EACH ROW EXECUTE FUNCTION resolution_rollup_apply()""",
)


def _step_3_grid_sorts_and_resolution_rollup(db: Database) -> None:
    """Indexes for every sortable grid column, and closed-ticket totals per quarter hour of
    opening, kept by triggers, so monthly resolution times cost the same at any history size."""
    for name, columns in (
        ("title", "title, id"),
        ("status_id", "status, id"),
        ("category_id", "category, id"),
        ("closed_at", "closed_at"),
    ):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS ticket_{name} ON ticket ({columns})")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS resolution_rollup (bucket BIGINT PRIMARY KEY, "
        "tickets BIGINT NOT NULL, seconds BIGINT NOT NULL)"
    )
    for statement in POSTGRES_ROLLUP_TRIGGER if is_postgres(db) else SQLITE_ROLLUP_TRIGGERS:
        db.execute_sql(statement)
    db.execute_sql("DELETE FROM resolution_rollup")
    db.execute_sql(
        f"INSERT INTO resolution_rollup (bucket, tickets, seconds) "
        f"SELECT opened_at / {BUCKET_SECONDS}, COUNT(*), SUM(closed_at - opened_at) "
        f"FROM ticket WHERE status = 'closed' GROUP BY opened_at / {BUCKET_SECONDS}"
    )


SEARCH_DOCUMENT = "title || ' ' || description || ' ' || coalesce(location, '')"
SQLITE_SEARCH_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5(title,
    description, location, content='ticket', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3')"""
SQLITE_SEARCH_TRIGGERS = {
    "ticket_search_insert": """CREATE TRIGGER IF NOT EXISTS ticket_search_insert
    AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_search (rowid, title, description, location)
        VALUES (NEW.id, NEW.title, NEW.description, NEW.location);
    END""",
    "ticket_search_delete": """CREATE TRIGGER IF NOT EXISTS ticket_search_delete
    AFTER DELETE ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, title, description, location)
        VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.location);
    END""",
    "ticket_search_update": """CREATE TRIGGER IF NOT EXISTS ticket_search_update
    AFTER UPDATE OF title, description, location ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, title, description, location)
        VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.location);
        INSERT INTO ticket_search (rowid, title, description, location)
        VALUES (NEW.id, NEW.title, NEW.description, NEW.location);
    END""",
}


@contextmanager
def bulk_search_indexing(db: Database):
    """For bulk inserts inside one write transaction: row-by-row index triggers cost 20x
    more than indexing the new rows at once, so suspend them and hand back an indexer
    ``index(first_id, last_id)``. Other writers wait for the transaction, so none is missed."""
    if is_postgres(db):  # the GIN expression index follows by itself
        yield lambda first, last: None
        return
    for name in SQLITE_SEARCH_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")

    def index(first: int, last: int) -> None:
        db.execute_sql(
            "INSERT INTO ticket_search (rowid, title, description, location) "
            "SELECT id, title, description, location FROM ticket "
            "WHERE id >= ? AND id <= ?",
            (first, last),
        )

    try:
        yield index
    finally:
        for statement in SQLITE_SEARCH_TRIGGERS.values():
            db.execute_sql(statement)


def _step_4_text_search(db: Database) -> None:
    """A full-text index of title, description and location for the `q` filter."""
    if is_postgres(db):
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS ticket_search ON ticket USING GIN "
            f"(to_tsvector('simple', {SEARCH_DOCUMENT}))"
        )
        return
    db.execute_sql(SQLITE_SEARCH_TABLE)
    for statement in SQLITE_SEARCH_TRIGGERS.values():
        db.execute_sql(statement)
    db.execute_sql("INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')")


def _step_5_analytics_totals(db: Database) -> None:
    """When the helpdesk first answered each ticket; analytics totals per campus day, hour,
    status and category, kept by triggers (see rollups.py), replacing the quarter-hour
    resolution rollup; counted in UTC until :func:`migrate` is given the campus zone."""
    if "first_response_at" not in {c.name for c in db.get_columns("ticket")}:
        db.execute_sql("ALTER TABLE ticket ADD COLUMN first_response_at BIGINT")
    db.execute_sql(
        "UPDATE ticket SET first_response_at = (SELECT MIN(created_at) FROM message "
        "WHERE message.ticket_id = ticket.id AND message.author_role = 'helpdesk') "
        "WHERE first_response_at IS NULL"
    )
    if is_postgres(db):
        db.execute_sql("DROP TRIGGER IF EXISTS resolution_rollup_change ON ticket")
        db.execute_sql("DROP FUNCTION IF EXISTS resolution_rollup_apply()")
    else:
        for name in ("insert", "close", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS resolution_rollup_{name}")
    db.execute_sql("DROP TABLE IF EXISTS resolution_rollup")
    for statement in rollups.TABLES:
        db.execute_sql(statement)
    if rollups.stored_zone(db) is None:
        rollups.fill_offsets(db, ZoneInfo("UTC"))
    rollups.rebuild(db)
    rollups.create_triggers(db)


STEPS = (
    _step_1_tickets,
    _step_2_classifier_feedback,
    _step_3_grid_sorts_and_resolution_rollup,
    _step_4_text_search,
    _step_5_analytics_totals,
)
LATEST = len(STEPS)


def current_version(db: Database) -> int:
    """The schema version of the database; 0 when it is empty."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(
    db: Database, target: int | None = None, zone: ZoneInfo | None = None
) -> tuple[int, int]:
    """Bring the schema up to ``target`` (the latest by default) and, given the campus
    ``zone``, count the analytics totals in it; returns (before, after)."""
    target = LATEST if target is None else target
    lock = {"lock_type": "IMMEDIATE"} if not is_postgres(db) else {}
    with db.atomic(**lock):
        if is_postgres(db):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        db.create_tables([SchemaVersion], safe=True)
        before = current_version(db)
        if before > LATEST:
            raise RuntimeError(
                f"the database has schema version {before}, newer than this release ({LATEST})"
            )
        for number in range(before + 1, target + 1):
            STEPS[number - 1](db)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=number)
        if zone is not None and max(before, target) >= 5 and rollups.sync_zone(db, zone):
            log.info("analytics totals recounted in the campus time zone %s", zone.key)
    if target > before:
        db.execute_sql("ANALYZE")  # the planner needs statistics for indexes a step added
    return before, max(before, target)
