"""Step 8: each ticket's private follow link, kept as the SHA-256 of its token (hex): the
token itself is shown once, to whoever reported the ticket, and is never stored, so the
database alone opens no ticket. Tickets reported before this step have none."""

from __future__ import annotations

from peewee import Database


def apply(db: Database, postgres: bool) -> None:
    """The follow link's hash, unique among tickets."""
    db.execute_sql("ALTER TABLE ticket ADD COLUMN follow_hash VARCHAR(64)")
    db.execute_sql("CREATE UNIQUE INDEX IF NOT EXISTS ticket_follow_hash ON ticket (follow_hash)")
