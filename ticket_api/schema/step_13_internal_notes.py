"""Step 13: internal notes, what helpdesk staff write under a ticket for each other ("spare
part ordered, ask Marco"). They live in a table of their own, apart from the messages that
the reporter reads, so that no route, e-mail or count made for messages can carry them."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS note (id INTEGER NOT NULL PRIMARY KEY, ticket_id INTEGER NOT "
    "NULL REFERENCES ticket (id) ON DELETE CASCADE, body TEXT NOT NULL, author_name "
    "VARCHAR(80), created_at BIGINT NOT NULL)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS note (id SERIAL NOT NULL PRIMARY KEY, ticket_id INTEGER NOT "
    "NULL REFERENCES ticket (id) ON DELETE CASCADE, body TEXT NOT NULL, author_name "
    "VARCHAR(80), created_at BIGINT NOT NULL)"
)


def apply(db: Database, postgres: bool) -> None:
    """The notes table, read a ticket at a time in order."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
    db.execute_sql("CREATE INDEX IF NOT EXISTS note_ticket_id_id ON note (ticket_id, id)")
