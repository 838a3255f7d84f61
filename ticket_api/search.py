"""Text search: the words of a query and the SQL that finds the tickets having them.

The folding of words and the index are schema step 6's (``schema/step_6_search_parity.py``);
a document and a query are folded by the same function, on either database."""

from __future__ import annotations

from contextlib import contextmanager

from peewee import Database

from ticket_api.db import database, is_postgres
from ticket_api.schema.step_6_search_parity import (
    MAX_QUERY_WORDS,
    POSTGRES_DOCUMENT,
    SQLITE_SEARCH_TRIGGERS,
    derived_columns,
    words,
)

__all__ = ["bulk_search_indexing", "derived_columns", "query_words", "text_match"]


def query_words(q: str | None) -> list[str]:
    """The searchable words of a query, folded as the tickets' words are."""
    return words(q)[:MAX_QUERY_WORDS] if q else []


def text_match(
    found: list[str], statuses: list[str] | None = None, categories: list[str] | None = None
) -> tuple[str, str]:
    """SQL matching tickets having, for each word, a word that starts with it, and the one
    parameter it takes. The words are runs of letters and digits, and statuses and
    categories keys of closed lists: all safe to quote. On SQLite the index also narrows
    to the statuses and categories asked for (the caller still filters on them)."""
    p = database.obj.param
    if is_postgres():
        query = " & ".join(f"'{w}':*" for w in found)
        return f"{POSTGRES_DOCUMENT} @@ CAST({p} AS tsquery)", query
    query = "search_text : (" + " AND ".join(f'"{w}"*' for w in found) + ")"
    for column, keys in (("status", statuses), ("category", categories)):
        if keys:
            query += f" AND {column} : (" + " OR ".join(f'"{k}"' for k in keys) + ")"
    return f"id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH {p})", query


@contextmanager
def bulk_search_indexing(db: Database):
    """For bulk inserts inside one write transaction: row-by-row index triggers cost 20x
    more than indexing the new rows at once, so suspend them and hand back an indexer
    ``index(first_id, last_id)``. Other writers wait for the transaction, so none is missed."""
    if is_postgres(db):  # the GIN expression index follows by itself
        yield lambda first, last: None
        return
    for name in SQLITE_SEARCH_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")

    def index(first: int, last: int) -> None:
        db.execute_sql(
            "INSERT INTO ticket_search (rowid, search_text, status, category) "
            "SELECT id, search_text, status, category FROM ticket WHERE id >= ? AND id <= ?",
            (first, last),
        )

    try:
        yield index
    finally:
        for statement in SQLITE_SEARCH_TRIGGERS.values():
            db.execute_sql(statement)
