"""Step 10: how the reporter rated the outcome of a closed ticket, once: 1 to 5 stars and an
optional comment, through the ticket's follow link."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS rating (ticket_id INTEGER NOT NULL PRIMARY KEY "
    "REFERENCES ticket (id) ON DELETE CASCADE, stars INTEGER NOT NULL "
    "CHECK (stars BETWEEN 1 AND 5), comment TEXT, rated_at BIGINT NOT NULL)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS rating (ticket_id INTEGER NOT NULL PRIMARY KEY "
    "REFERENCES ticket (id) ON DELETE CASCADE, stars SMALLINT NOT NULL "
    "CHECK (stars BETWEEN 1 AND 5), comment TEXT, rated_at BIGINT NOT NULL)"
)


def apply(db: Database, postgres: bool) -> None:
    """The ratings table."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
