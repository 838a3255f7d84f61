"""Step 11: e-mail notifications. ``subscriber``: who asked for mail about a ticket (its
reporter, or a follower), with the SHA-256 of the private links their mails carry (never the
links); ``outbox``: the notices to send, written in the same transaction as the change they
tell of, and marked sent once the mail server accepted them."""

from __future__ import annotations

from peewee import Database

SUBSCRIBER = (
    "CREATE TABLE IF NOT EXISTS subscriber ({id}, ticket_id INTEGER NOT NULL "
    "REFERENCES ticket (id) ON DELETE CASCADE, email VARCHAR(254), "
    "kind VARCHAR(16) NOT NULL CHECK (kind IN ('reporter', 'follower')), "
    "unsubscribe_hash VARCHAR(64), follow_hash VARCHAR(64), created_at BIGINT NOT NULL, "
    "unsubscribed_at BIGINT)"
)
OUTBOX = (
    "CREATE TABLE IF NOT EXISTS outbox ({id}, subscriber_id INTEGER NOT NULL "
    "REFERENCES subscriber (id) ON DELETE CASCADE, ticket_id INTEGER NOT NULL "
    "REFERENCES ticket (id) ON DELETE CASCADE, event VARCHAR(16) NOT NULL, "
    "subject VARCHAR(200) NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, "
    "attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT, sent_at BIGINT, "
    "last_error TEXT)"
)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS subscriber_ticket_id ON subscriber (ticket_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS subscriber_unsubscribe_hash "
    "ON subscriber (unsubscribe_hash)",
    "CREATE UNIQUE INDEX IF NOT EXISTS subscriber_follow_hash ON subscriber (follow_hash)",
    # the worker's claim: the due notices not yet sent, oldest first
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL",
    "CREATE INDEX IF NOT EXISTS outbox_subscriber_id ON outbox (subscriber_id)",
    "CREATE INDEX IF NOT EXISTS outbox_ticket_id ON outbox (ticket_id)",
)


def apply(db: Database, postgres: bool) -> None:
    """The subscriber and outbox tables and the indexes the mail worker reads."""
    key = "id SERIAL PRIMARY KEY" if postgres else "id INTEGER PRIMARY KEY AUTOINCREMENT"
    db.execute_sql(SUBSCRIBER.format(id=key))
    db.execute_sql(OUTBOX.format(id=key))
    for statement in INDEXES:
        db.execute_sql(statement)
