"""Text search: the words of a query and the SQL that finds the tickets having them.

The folding of words and the index are schema step 6's (``schema/step_6_search_parity.py``);
a document and a query are folded by the same function, on either database."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from flask import g, has_app_context
from peewee import Database

from ticket_api.db import database, is_postgres
from ticket_api.schema.step_6_search_parity import (
    MAX_QUERY_WORDS,
    POSTGRES_DOCUMENT,
    derived_columns,
    words,
)
from ticket_api.schema.step_17_search_terms import SQLITE_TERM_TRIGGERS
from ticket_api.schema.step_18_unclosed_search import UNCLOSED
from ticket_api.schema.step_19_search_by_category import (
    CATEGORY_COLUMNS,
    OTHER_COLUMN,
    SQLITE_SEARCH_TRIGGERS,
    WORD_COLUMNS,
    fill_terms,
    index_tickets,
)

__all__ = [
    "bulk_search_indexing",
    "derived_columns",
    "estimated_share",
    "query_words",
    "search_index",
    "sqlite_scope",
    "sqlite_word_columns",
    "text_match",
    "word_scan",
]
#: How long a process keeps PostgreSQL's word statistics before reading them again (s).
STATISTICS_TTL = 600.0


def query_words(q: str | None) -> list[str]:
    """The searchable words of a query, folded as the tickets' words are."""
    return words(q)[:MAX_QUERY_WORDS] if q else []


def text_match(
    found: list[str],
    statuses: list[str] | None = None,
    categories: list[str] | None = None,
    narrow: bool = True,
) -> tuple[str, str]:
    """SQL matching tickets having, for each word, a word that starts with it, and the one
    parameter it takes. The words are runs of letters and digits, and statuses and
    categories keys of closed lists: all safe to quote. On SQLite the index also narrows
    to the categories asked for, by reading their words columns only (step 19), and to the
    statuses, unless ``narrow`` is False: then it gives every ticket having the words in
    the categories, in the index chosen for the statuses. The caller still filters on
    both."""
    p = database.obj.param
    if is_postgres():
        query = " & ".join(f"'{w}':*" for w in found)
        return f"{POSTGRES_DOCUMENT} @@ CAST({p} AS tsquery)", query
    index, status_filter = sqlite_scope(statuses)
    query = f"{sqlite_word_columns(categories)} : ("
    query += " AND ".join(_sqlite_word(w) for w in found) + ")"
    if narrow:
        query += status_filter
    return f"id IN (SELECT rowid FROM {index} WHERE {index} MATCH {p})", query


def sqlite_word_columns(categories: list[str] | None) -> str:
    """The FTS5 column filter of the words of the tickets of the categories (none: of every
    category), which SQLite's search indexes keep in a column per category (step 19)."""
    names = {CATEGORY_COLUMNS.get(key, OTHER_COLUMN) for key in categories or ()}
    return "{" + " ".join(name for name in WORD_COLUMNS if name in names or not names) + "}"


def sqlite_scope(statuses: list[str] | None) -> tuple[str, str]:
    """SQLite's search index for a search limited to statuses (None: every status), and the
    part of its FTS5 query that keeps those statuses: none where the index holds exactly
    those tickets. Statuses are keys of a closed list, safe to quote."""
    index = search_index(statuses)
    if not statuses or (index != "ticket_search" and set(statuses) == set(UNCLOSED)):
        return index, ""
    return index, " AND status : (" + " OR ".join(f'"{k}"' for k in statuses) + ")"


def search_index(statuses: list[str] | None) -> str:
    """SQLite's search index for a search limited to statuses (None: every status): the
    index of the tickets not closed when those are all it asks for (schema step 18)."""
    if statuses and set(statuses) <= set(UNCLOSED):
        return "ticket_search_unclosed"
    return "ticket_search"


#: SQLite's search index keeps the prefixes of words up to this many letters (step 15).
SQLITE_PREFIX_LETTERS = 4
#: A longer query word is asked as the listed words it begins when there are at most this
#: many (step 17); more, and merging their lists costs no more than the prefix does.
SQLITE_WORDS_NAMED = 8


def _sqlite_word(word: str) -> str:
    """A query word as SQLite's search index reads it fastest: a prefix (``"aul"*``) where its
    prefixes are indexed or too many words begin with it, else the words it begins, named
    (``("projector" OR "projectors")``), which the index reads lazily."""
    if len(word) <= SQLITE_PREFIX_LETTERS:
        return f'"{word}"*'
    # a request builds its search's SQL more than once (count, plan, page): look up once
    asked = g.setdefault("search_words", {}) if has_app_context() else {}
    if word not in asked:
        asked[word] = _named(word)
    return asked[word]


def _named(word: str) -> str:
    """:func:`_sqlite_word` for a word longer than the indexed prefixes."""
    p = database.obj.param
    after = word[:-1] + chr(ord(word[-1]) + 1)
    terms = database.execute_sql(
        f"SELECT term FROM search_term WHERE term >= {p} AND term < {p} "
        f"LIMIT {SQLITE_WORDS_NAMED + 1}",
        [word, after],
    ).fetchall()
    if not terms or len(terms) > SQLITE_WORDS_NAMED:
        return f'"{word}"*'
    return "(" + " OR ".join(f'"{term}"' for (term,) in terms) + ")"


def word_scan(found: list[str]) -> tuple[str, list[str]]:
    """SQL matching the same tickets as :func:`text_match` without the index, row by row:
    for each word, the ticket's folded words (one space between each) hold one starting with
    it. For walking a sort's index when so many tickets match that the first page is found
    within a few rows; the same text on both databases."""
    p = database.obj.param
    find = "strpos" if is_postgres() else "instr"
    clauses = [f"{find}(' ' || search_text, {p}) > 0" for _ in found]
    return "(" + " AND ".join(clauses) + ")", [f" {w}" for w in found]


class _WordStatistics:
    """PostgreSQL's statistics of the search index: the share of tickets having each of its
    most common words (``pg_stats.most_common_elems`` of the index's expression), read at
    most every STATISTICS_TTL seconds per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_at = -STATISTICS_TTL
        self._shares: dict[str, float] = {}
        self._floor = 0.0

    def _refresh(self) -> None:
        row = database.execute_sql(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'ticket_search'"
        ).fetchone()
        if row and row[0] and row[1]:
            elements, shares = row
            self._shares = dict(zip(elements, shares))
            # after one share per element: the smallest and largest share, and the share of
            # empty documents; a word not listed is rarer than the smallest
            self._floor = float(shares[len(elements)]) if len(shares) > len(elements) else 0.0
        else:
            self._shares, self._floor = {}, 0.0

    def share(self, found: list[str], prefix: bool = True) -> float | None:
        """The estimated share of tickets having every word of found (as a prefix, or as
        it is); None without statistics (a new or small database: ANALYZE has not listed
        any word)."""
        with self._lock:
            if time.monotonic() - self._read_at > STATISTICS_TTL:
                self._refresh()
                self._read_at = time.monotonic()
            shares, floor = self._shares, self._floor
        if not shares:
            return None
        estimate = 1.0
        for word in found:
            if prefix:
                listed = sum(s for element, s in shares.items() if element.startswith(word))
            else:
                listed = shares.get(word, 0.0)
            estimate *= min(1.0, max(listed, 0.0)) if listed else floor / 2
        return estimate


_statistics = _WordStatistics()


def estimated_share(found: list[str], prefix: bool = True) -> float | None:
    """On PostgreSQL, the estimated share of tickets matching found (words taken as
    independent; each as a prefix, or as it is); None on SQLite or without statistics."""
    if not is_postgres() or not found:
        return None
    return _statistics.share(found, prefix)


@contextmanager
def bulk_search_indexing(db: Database):
    """For bulk inserts inside one write transaction: row-by-row index triggers cost 20x
    more than indexing the new rows at once, so suspend them and hand back an indexer
    ``index(first_id, last_id)``. Other writers wait for the transaction, so none is missed."""
    if is_postgres(db):  # the GIN expression index follows by itself
        yield lambda first, last: None
        return
    triggers = {**SQLITE_SEARCH_TRIGGERS, **SQLITE_TERM_TRIGGERS}
    for name in triggers:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield lambda first, last: index_tickets(db, first, last)
        fill_terms(db)
    finally:
        for statement in triggers.values():
            db.execute_sql(statement)
