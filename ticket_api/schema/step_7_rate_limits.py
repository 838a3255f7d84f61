"""Step 7: the rate limit counters every API process and instance shares when no Redis is
configured (``ticket_api.ratelimit``): one row per client, action and window length.

The counts are worth keeping only for a day at most, so PostgreSQL keeps them out of its
write-ahead log (an unlogged table, emptied by a crash); SQLite keeps them in a table
clustered on its key.
"""

from __future__ import annotations

from peewee import Database

SQLITE = (
    "CREATE TABLE IF NOT EXISTS rate_limit (bucket VARCHAR(200) NOT NULL PRIMARY KEY, "
    "window_end BIGINT NOT NULL, hits INTEGER NOT NULL) WITHOUT ROWID"
)
POSTGRES = (
    "CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit (bucket VARCHAR(200) NOT NULL PRIMARY KEY, "
    "window_end BIGINT NOT NULL, hits INTEGER NOT NULL)"
)


def apply(db: Database, postgres: bool) -> None:
    """The shared rate limit counters."""
    db.execute_sql(POSTGRES if postgres else SQLITE)
