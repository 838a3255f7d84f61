"""Step 1 (release 0.1.0): tickets, messages and the change history."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    'CREATE TABLE IF NOT EXISTS "ticket" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"title" VARCHAR(120) NOT NULL, "description" TEXT NOT NULL, "location" VARCHAR(120), '
    '"reporter_name" VARCHAR(80), "status" VARCHAR(16) NOT NULL, '
    '"category" VARCHAR(16) NOT NULL, "category_confidence" REAL, '
    '"category_source" VARCHAR(16) NOT NULL, "opened_at" INTEGER NOT NULL, '
    '"modified_at" INTEGER NOT NULL, "closed_at" INTEGER, "version" INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "message" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"ticket_id" INTEGER NOT NULL, "body" TEXT NOT NULL, "author_role" VARCHAR(16) NOT NULL, '
    '"author_name" VARCHAR(80), "created_at" INTEGER NOT NULL, '
    'FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE CASCADE)',
    'CREATE TABLE IF NOT EXISTS "ticket_change" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"ticket_id" INTEGER NOT NULL, "at" INTEGER NOT NULL, "role" VARCHAR(16) NOT NULL, '
    '"name" VARCHAR(80), "field" VARCHAR(32) NOT NULL, "old_value" TEXT, "new_value" TEXT, '
    'FOREIGN KEY ("ticket_id") REFERENCES "ticket" ("id") ON DELETE CASCADE)',
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS ticket (id SERIAL NOT NULL PRIMARY KEY, "
    "title VARCHAR(120) NOT NULL, description TEXT NOT NULL, location VARCHAR(120), "
    "reporter_name VARCHAR(80), status VARCHAR(16) NOT NULL, category VARCHAR(16) NOT NULL, "
    "category_confidence REAL, category_source VARCHAR(16) NOT NULL, "
    "opened_at BIGINT NOT NULL, modified_at BIGINT NOT NULL, closed_at BIGINT, "
    "version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS message (id SERIAL NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, body TEXT NOT NULL, "
    "author_role VARCHAR(16) NOT NULL, author_name VARCHAR(80), created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ticket_change (id SERIAL NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, "
    "at BIGINT NOT NULL, role VARCHAR(16) NOT NULL, name VARCHAR(80), "
    "field VARCHAR(32) NOT NULL, old_value TEXT, new_value TEXT)",
)
INDEXES = (
    ("ticket_status_modified_at", "ticket", "status, modified_at"),
    ("ticket_modified_at", "ticket", "modified_at"),
    ("ticket_opened_at", "ticket", "opened_at"),
    ("ticket_status_opened_at_closed_at", "ticket", "status, opened_at, closed_at"),
    ("ticket_status_category", "ticket", "status, category"),
    ("message_ticket_id_id", "message", "ticket_id, id"),
    ("ticket_change_ticket_id_id", "ticket_change", "ticket_id, id"),
)


def apply(db: Database, postgres: bool) -> None:
    """Tickets, messages and the change history."""
    for statement in POSTGRES if postgres else SQLITE:
        db.execute_sql(statement)
    for name, table, columns in INDEXES:
        quoted = ", ".join(f'"{c.strip()}"' for c in columns.split(","))
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({quoted})')
