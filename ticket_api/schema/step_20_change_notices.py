"""Step 20: PostgreSQL tells the API's processes when the data changes.

Each API process keeps the answers of its hot reads (one ticket, a list) until the database
changes (``ticket_api.readcache``). On PostgreSQL it learns of changes made anywhere (another
machine, a command, the mail worker) from a notice on the channel ``campusdesk_changes``,
which it listens to: a trigger on every table whose rows an answer shows sends it once for
each statement that inserts, updates, deletes or truncates rows. PostgreSQL sends a
transaction's notices when it commits, and sends one notice of the same channel and text
once per transaction. The rate limit counts, the mail queue and the schema's version are
left out: no answer shows them.

SQLite needs nothing: every connection can ask whether another one committed since it last
looked (``PRAGMA data_version``).
"""

from __future__ import annotations

from peewee import Database

CHANNEL = "campusdesk_changes"
#: The tables whose changes reach the listening processes, as this step knows them.
TABLES = (
    "campus_offset",
    "campus_zone",
    "classifier_example",
    "follower",
    "message",
    "note",
    "notice",
    "photo",
    "rating",
    "rating_day",
    "subscriber",
    "ticket",
    "ticket_change",
    "ticket_day",
    "ticket_hour",
    "ticket_tally",
)
FUNCTION = (
    "CREATE OR REPLACE FUNCTION campusdesk_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
)


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION campusdesk_changed()"
    )


def apply(db: Database, postgres: bool) -> None:
    """The function that sends the notice, and a trigger on each table of TABLES."""
    if not postgres:
        return
    db.execute_sql(FUNCTION)
    for table in TABLES:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        db.execute_sql(_trigger(table))
