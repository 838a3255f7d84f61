"""Step 15: SQLite's search index keeps the four-letter prefixes of words too.

A query word is a prefix ("aula" finds "aula" and "aulas"). Without an index of its
prefixes, FTS5 merges the lists of every word that starts with it before the first match can
be read: for a four-letter word in 159,000 of a million tickets, 7.2 ms for the first 1,001
matches, against 0.7 ms with the prefix indexed (docs/performance.md). Words of two and three
letters were indexed so already (step 6); longer words have shorter lists. The index is
rebuilt from the tickets' stored words, as the same table with one more prefix length.
PostgreSQL's index (an array of words under GIN) has no such cost: nothing changes there.
"""

from __future__ import annotations

from peewee import Database

SQLITE_SEARCH_TABLE = (
    "CREATE VIRTUAL TABLE ticket_search USING fts5(search_text, status, category, "
    "content='ticket', content_rowid='id', tokenize='ascii', prefix='2 3 4')"
)


def apply(db: Database, postgres: bool) -> None:
    """The search index again, with four-letter prefixes, filled from the tickets."""
    if postgres:
        return
    db.execute_sql("DROP TABLE IF EXISTS ticket_search")
    db.execute_sql(SQLITE_SEARCH_TABLE)
    db.execute_sql("INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')")
