"""Step 16: photos of the broken thing. A report or a message may carry a few photos; each
row describes one re-encoded image whose file (and thumbnail) lives in the data folder under
a random name, never the uploaded one. Each ticket counts its photos, kept in the same
transaction as the rows, so that lists say which tickets have photos without counting rows."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS photo (id INTEGER NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, "
    "message_id INTEGER REFERENCES message (id) ON DELETE CASCADE, "
    "file_id VARCHAR(32) NOT NULL UNIQUE, content_type VARCHAR(16) NOT NULL, "
    "width INTEGER NOT NULL, height INTEGER NOT NULL, bytes INTEGER NOT NULL, "
    "created_at BIGINT NOT NULL)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS photo (id SERIAL NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, "
    "message_id INTEGER REFERENCES message (id) ON DELETE CASCADE, "
    "file_id VARCHAR(32) NOT NULL UNIQUE, content_type VARCHAR(16) NOT NULL, "
    "width INTEGER NOT NULL, height INTEGER NOT NULL, bytes INTEGER NOT NULL, "
    "created_at BIGINT NOT NULL)"
)
COLUMNS = ("ALTER TABLE ticket ADD COLUMN photos INTEGER NOT NULL DEFAULT 0",)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS photo_ticket_id_id ON photo (ticket_id, id)",
    "CREATE INDEX IF NOT EXISTS photo_message_id ON photo (message_id)",
)


def apply(db: Database, postgres: bool) -> None:
    """The photo table and each ticket's count of photos."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
    for statement in COLUMNS + INDEXES:
        db.execute_sql(statement)
