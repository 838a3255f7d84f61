"""Step 4: a full-text index of title, description and location for the `q` filter
(replaced by step 6)."""

from __future__ import annotations

from peewee import Database

SEARCH_DOCUMENT = "title || ' ' || description || ' ' || coalesce(location, '')"
SQLITE_SEARCH_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5(title,
    description, location, content='ticket', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3')"""
SQLITE_SEARCH_TRIGGERS = {
    "ticket_search_insert": """CREATE TRIGGER IF NOT EXISTS ticket_search_insert
    AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_search (rowid, title, description, location)
        VALUES (NEW.id, NEW.title, NEW.description, NEW.location);
    END""",
    "ticket_search_delete": """CREATE TRIGGER IF NOT EXISTS ticket_search_delete
    AFTER DELETE ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, title, description, location)
        VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.location);
    END""",
    "ticket_search_update": """CREATE TRIGGER IF NOT EXISTS ticket_search_update
    AFTER UPDATE OF title, description, location ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, title, description, location)
        VALUES ('delete', OLD.id, OLD.title, OLD.description, OLD.location);
        INSERT INTO ticket_search (rowid, title, description, location)
        VALUES (NEW.id, NEW.title, NEW.description, NEW.location);
    END""",
}


def apply(db: Database, postgres: bool) -> None:
    """A full-text index of title, description and location for the `q` filter."""
    if postgres:
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS ticket_search ON ticket USING GIN "
            f"(to_tsvector('simple', {SEARCH_DOCUMENT}))"
        )
        return
    db.execute_sql(SQLITE_SEARCH_TABLE)
    for statement in SQLITE_SEARCH_TRIGGERS.values():
        db.execute_sql(statement)
    db.execute_sql("INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')")
