"""Step 17: SQLite lists the words its search index holds, so that a long query word can be
looked up as the words it begins.

A query word is a prefix. FTS5 reads words of up to four letters from its prefix index (step
15); for a longer one, ``"broken"*``, it merges the lists of every word starting with it, in
full, before handing back the first match: 2.1 ms for a word in 50,000 of a million tickets,
against 0.35 ms for the same word asked as it is, which FTS5 reads lazily
(docs/performance.md). With the words listed (``search_term``), a query names the words its
word begins: ``("broken")``, ``("projector" OR "projectors")``.

The list is kept by triggers on every ticket written, from the stored words (runs of letters
and digits, so they can be written into a JSON array as they are). Words are not taken out
when tickets change or go: a listed word that no ticket has any more matches nothing.
PostgreSQL's index (an array of words under GIN) has no such cost: nothing changes there.
"""

from __future__ import annotations

from peewee import Database

SQLITE_TERM_TABLE = "CREATE TABLE IF NOT EXISTS search_term (term TEXT PRIMARY KEY) WITHOUT ROWID"
#: The words of a ticket's stored words (NEW.search_text), one row each.
_WORDS = "json_each('[\"' || replace(NEW.search_text, ' ', '\",\"') || '\"]')"
SQLITE_TERM_TRIGGERS = {
    "search_term_insert": f"""CREATE TRIGGER IF NOT EXISTS search_term_insert
    AFTER INSERT ON ticket BEGIN
        INSERT OR IGNORE INTO search_term (term) SELECT value FROM {_WORDS} WHERE value != '';
    END""",
    "search_term_update": f"""CREATE TRIGGER IF NOT EXISTS search_term_update
    AFTER UPDATE OF search_text ON ticket BEGIN
        INSERT OR IGNORE INTO search_term (term) SELECT value FROM {_WORDS} WHERE value != '';
    END""",
}


def fill_terms(db: Database) -> None:
    """Add every word of the search index's words column to the list (for the step, and
    after loading many tickets at once with the triggers suspended)."""
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary "
        "USING fts5vocab(main, ticket_search, col)"
    )
    try:
        db.execute_sql(
            "INSERT OR IGNORE INTO search_term (term) SELECT DISTINCT term "
            "FROM temp.search_vocabulary WHERE col = 'search_text'"
        )
    finally:
        db.execute_sql("DROP TABLE IF EXISTS temp.search_vocabulary")


def apply(db: Database, postgres: bool) -> None:
    """The list of words, its triggers, and the words of every ticket."""
    if postgres:
        return
    db.execute_sql(SQLITE_TERM_TABLE)
    for statement in SQLITE_TERM_TRIGGERS.values():
        db.execute_sql(statement)
    fill_terms(db)
