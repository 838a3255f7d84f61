"""Step 2 (release 0.1.0): helpdesk category corrections kept as labelled examples, and the
low-confidence-first sort."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    'CREATE TABLE IF NOT EXISTS "classifier_example" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"ticket_id" INTEGER, "text" TEXT NOT NULL, "category" VARCHAR(16) NOT NULL, '
    '"created_at" INTEGER NOT NULL, '
    'FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE SET NULL)'
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS classifier_example (id SERIAL NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER REFERENCES ticket (id) ON DELETE SET NULL, text TEXT NOT NULL, "
    "category VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL)"
)


def apply(db: Database, postgres: bool) -> None:
    """Helpdesk category overrides kept as labelled examples; low-confidence-first sort."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS ticket_category_confidence ON ticket (category_confidence)"
    )
