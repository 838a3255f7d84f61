"""Step 18: a search index of the tickets not yet closed, beside the index of all of them.

People search the tickets still open or in hand far more than the history: students see only
those, and they are the helpdesk's queue. In a history of a million tickets they are a few
percent, yet a search limited to them ran through the index of every ticket: on SQLite, the
list of a word met the list of the statuses across all million (2.0 ms for ``proj`` among
the open and active tickets); on PostgreSQL, the word's matches were combined with the
statuses' index (15 ms). Their own index holds only them (0.1-0.4 ms and 1.4 ms,
docs/performance.md).

SQLite: a second FTS5 index over the same stored words, of the tickets whose status is open
or active, kept by triggers as a ticket is reported, changes, moves between statuses or is
deleted. PostgreSQL: a partial GIN index of the same document, whose condition is written
exactly as the list's filter on those two statuses, so that the planner reads it alone.
"""

from __future__ import annotations

from peewee import Database

#: The statuses of the tickets this index holds (a query on these statuses, or on some of
#: them, may use it).
UNCLOSED = ("active", "open")
SQLITE_UNCLOSED_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search_unclosed USING fts5(search_text, status, "
    "category, content='ticket', content_rowid='id', tokenize='ascii', prefix='2 3 4')"
)
_ADD = (
    "INSERT INTO ticket_search_unclosed (rowid, search_text, status, category) "
    "SELECT NEW.id, NEW.search_text, NEW.status, NEW.category "
    "WHERE NEW.status IN ('active', 'open');"
)
_REMOVE = (
    "INSERT INTO ticket_search_unclosed (ticket_search_unclosed, rowid, search_text, status, "
    "category) SELECT 'delete', OLD.id, OLD.search_text, OLD.status, OLD.category "
    "WHERE OLD.status IN ('active', 'open');"
)
SQLITE_UNCLOSED_TRIGGERS = {
    "ticket_search_unclosed_insert": f"""CREATE TRIGGER IF NOT EXISTS
    ticket_search_unclosed_insert AFTER INSERT ON ticket BEGIN {_ADD} END""",
    "ticket_search_unclosed_delete": f"""CREATE TRIGGER IF NOT EXISTS
    ticket_search_unclosed_delete AFTER DELETE ON ticket BEGIN {_REMOVE} END""",
    "ticket_search_unclosed_update": f"""CREATE TRIGGER IF NOT EXISTS
    ticket_search_unclosed_update AFTER UPDATE OF search_text, status, category ON ticket
    BEGIN {_REMOVE} {_ADD} END""",
}
POSTGRES_UNCLOSED_INDEX = (
    "CREATE INDEX IF NOT EXISTS ticket_search_unclosed ON ticket USING GIN "
    "(array_to_tsvector(string_to_array(search_text, ' '))) WHERE status IN ('active', 'open')"
)


def index_unclosed(db: Database, first: int, last: int) -> None:
    """Add the tickets not closed whose ids are from first to last to SQLite's index."""
    db.execute_sql(
        "INSERT INTO ticket_search_unclosed (rowid, search_text, status, category) "
        "SELECT id, search_text, status, category FROM ticket "
        "WHERE id >= ? AND id <= ? AND status IN ('active', 'open')",
        (first, last),
    )


def apply(db: Database, postgres: bool) -> None:
    """The index of the tickets not closed, filled from them."""
    if postgres:
        db.execute_sql(POSTGRES_UNCLOSED_INDEX)
        return
    db.execute_sql(SQLITE_UNCLOSED_TABLE)
    for statement in SQLITE_UNCLOSED_TRIGGERS.values():
        db.execute_sql(statement)
    index_unclosed(db, 0, 2**63 - 1)
