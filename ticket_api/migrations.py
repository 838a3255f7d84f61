"""Versioned schema: ``migrate`` creates the database or upgrades it step by step, keeping rows.

Each step is idempotent (it looks at what exists before it creates), so a database created by
a newer release at step 1 and one upgraded through every step end up the same.
"""

from __future__ import annotations

from peewee import Database

from ticket_api.db import is_postgres
from ticket_api.models import ClassifierExample, Message, SchemaVersion, Ticket, TicketChange

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


STEPS = (_step_1_tickets, _step_2_classifier_feedback)
LATEST = len(STEPS)


def current_version(db: Database) -> int:
    """The schema version of the database; 0 when it is empty."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: Database, target: int | None = None) -> tuple[int, int]:
    """Bring the schema up to ``target`` (the latest by default); returns (before, after)."""
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
    return before, max(before, target)
