"""Step 9: campus notices, the known problems the helpdesk announces to everyone ("Wi-Fi
down in building C, we are on it"), each shown until its optional end."""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS notice (id INTEGER NOT NULL PRIMARY KEY, text TEXT NOT NULL, "
    "author_name VARCHAR(80), created_at BIGINT NOT NULL, ends_at BIGINT)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS notice (id SERIAL NOT NULL PRIMARY KEY, text TEXT NOT NULL, "
    "author_name VARCHAR(80), created_at BIGINT NOT NULL, ends_at BIGINT)"
)


def apply(db: Database, postgres: bool) -> None:
    """The notices table."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
