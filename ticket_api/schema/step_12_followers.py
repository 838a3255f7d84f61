"""Followers and merged tickets: people who have the same problem as a ticket's reporter
follow it instead of reporting it again, each through a private follow link of their own
(kept, as the reporter's, only as the SHA-256 of its token); each ticket counts its
followers, so that lists show how many people reported it without counting rows; and a
duplicate the helpdesk merged into another ticket names the ticket it was merged into."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS follower (id INTEGER NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, "
    "follow_hash VARCHAR(64) NOT NULL UNIQUE, created_at BIGINT NOT NULL)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS follower (id SERIAL NOT NULL PRIMARY KEY, "
    "ticket_id INTEGER NOT NULL REFERENCES ticket (id) ON DELETE CASCADE, "
    "follow_hash VARCHAR(64) NOT NULL UNIQUE, created_at BIGINT NOT NULL)"
)
COLUMNS = (
    "ALTER TABLE ticket ADD COLUMN followers INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE ticket ADD COLUMN merged_into INTEGER REFERENCES ticket (id) ON DELETE SET NULL",
)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS follower_ticket_id ON follower (ticket_id)",
    "CREATE INDEX IF NOT EXISTS ticket_merged_into ON ticket (merged_into)",
)


def apply(db: Database, postgres: bool) -> None:
    """The followers table, each ticket's count of followers and the ticket it was merged
    into."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
    for statement in COLUMNS + INDEXES:
        db.execute_sql(statement)
