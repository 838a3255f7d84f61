"""Similar tickets: while a person types a report, the open and active tickets that seem to
be about the same problem, so that they can follow one instead of reporting it again.

A ticket is similar when it shares key words with the text typed, as a campus notice does
(:mod:`ticket_api.notices`): whole words folded as search folds them, without stop words,
two short neighbours also read as one ("Wi-Fi" meets "wifi"). Tickets sharing more key words
come first; on a tie, those of the category the classifier gives the text, then the newest.

At a million tickets nothing is scanned: for each of the text's longest key words the
search index gives the newest open or active tickets having it (:data:`PER_WORD` at most,
for each of its :func:`spellings`), and only those are compared. Both databases find the
same candidates, so they give the same answer."""

from __future__ import annotations

import json

from ticket_api.db import database, is_postgres
from ticket_api.models import FOLLOWABLE_STATUSES
from ticket_api.notices import SHARED_WORDS, key_words
from ticket_api.queries import POSTGRES_SCAN_FROM, SELECT, row_dict, scope_total
from ticket_api.schema.step_6_search_parity import POSTGRES_DOCUMENT
from ticket_api.search import estimated_share, sqlite_scope, sqlite_word_columns

#: The longest key words of a text that are looked up (longer words tell problems apart).
MAX_WORDS = 8
#: Key words shorter than this (a building's letter, "pc") are too common to look up.
MIN_WORD = 3
#: A key word may also be written as two words of these lengths, each too short to be
#: looked up on its own ("wi fi" for "wifi").
SPLIT_PARTS = range(2, MIN_WORD)
#: The newest tickets having a key word that are compared with the text, per spelling.
PER_WORD = 30
#: Suggestions at most.
LIMIT = 3


def looked_up_words(text: str) -> list[str]:
    """The key words of text that are looked up, longest first (then alphabetically)."""
    found = sorted((w for w in key_words(text) if len(w) >= MIN_WORD), key=lambda w: (-len(w), w))
    return found[:MAX_WORDS]


def spellings(word: str) -> list[str]:
    """The ways a key word is found: as it is and split in two words that are each too
    short to be looked up on their own ("wifi" also as "wi fi"), as people write "Wi-Fi"
    or "wifi"."""
    splits = [
        f"{word[:i]} {word[i:]}"
        for i in range(1, len(word))
        if i in SPLIT_PARTS and len(word) - i in SPLIT_PARTS
    ]
    return [word, *splits]


def shared_words(wanted: list[str], search_text: str) -> int:
    """How many of the wanted key words a ticket has (its folded words), each as it is or
    as one of its other :func:`spellings`, as the index looks them up."""
    padded = f" {search_text} "
    return sum(
        1 for word in wanted if any(f" {spelling} " in padded for spelling in spellings(word))
    )


def _newest_with(spelling: str, backlog: int | None) -> list[int]:
    """The ids of the newest open or active tickets having the word (or, for two words,
    the one followed by the other); backlog: how many tickets are open or active
    (PostgreSQL)."""
    p = database.obj.param
    statuses = sorted(FOLLOWABLE_STATUSES)
    if not is_postgres():
        # the words are runs of letters and digits, and statuses keys: all safe to quote
        index, status_filter = sqlite_scope(statuses)
        match = f'{sqlite_word_columns(None)} : "{spelling}"{status_filter}'
        sql = f"SELECT rowid FROM {index} WHERE {index} MATCH {p} ORDER BY rowid DESC"
        sql += f" LIMIT {PER_WORD}"
        return [row[0] for row in database.execute_sql(sql, [match])]
    scope = f"status IN ({', '.join([p] * len(statuses))})"
    parts = spelling.split()
    phrase = f"strpos(' ' || search_text || ' ', {p}) > 0"
    share = estimated_share(parts, prefix=False)
    if share is not None and backlog and share * backlog >= POSTGRES_SCAN_FROM:
        # a common word: walking the ids from the newest meets enough of them within a few rows
        sql = f"SELECT id FROM ticket WHERE {scope} AND {phrase} ORDER BY id DESC LIMIT {p}"
        return [row[0] for row in database.execute_sql(sql, [*statuses, f" {spelling} ", PER_WORD])]
    # MATERIALIZED: the tickets come from the search index, not from a walk of the ids
    sql = (
        f"WITH found AS MATERIALIZED (SELECT id FROM ticket WHERE {scope} AND "
        f"{POSTGRES_DOCUMENT} @@ CAST({p} AS tsquery) AND {phrase}) "
        f"SELECT id FROM found ORDER BY id DESC LIMIT {p}"
    )
    query = " & ".join(f"'{w}'" for w in parts)
    return [
        row[0] for row in database.execute_sql(sql, [*statuses, query, f" {spelling} ", PER_WORD])
    ]


def similar_tickets(text: str, category: str | None, limit: int = LIMIT) -> list[dict]:
    """Up to limit open or active tickets similar to text, most similar first, each with
    ``shared_words``; category (the classifier's for text, if known) wins ties."""
    wanted = looked_up_words(text)
    if not wanted:
        return []
    needed = min(SHARED_WORDS, len(wanted))
    statuses = sorted(FOLLOWABLE_STATUSES)
    backlog = scope_total(statuses, []) if is_postgres() else None
    every = (spelling for word in wanted for spelling in spellings(word))
    candidates = sorted({found for spelling in every for found in _newest_with(spelling, backlog)})
    if not candidates:
        return []
    p = database.obj.param
    # up to MAX_WORDS x 2 spellings x PER_WORD ids: as one JSON array on SQLite, whose
    # parameters may be limited to 999
    if is_postgres():
        ids, id_params = ", ".join([p] * len(candidates)), candidates
    else:
        ids, id_params = f"SELECT value FROM json_each({p})", [json.dumps(candidates)]
    sql = (
        f"SELECT id, category, search_text FROM ticket WHERE id IN ({ids}) "
        f"AND status IN ({', '.join([p] * len(statuses))})"
    )
    scored = []
    for ticket_id, ticket_category, search_text in database.execute_sql(
        sql, [*id_params, *statuses]
    ):
        shared = shared_words(wanted, search_text)
        if shared >= needed:
            scored.append((-shared, ticket_category != category, -ticket_id))
    best = sorted(scored)[:limit]
    if not best:
        return []
    marks = ", ".join([p] * len(best))
    rows = database.execute_sql(f"{SELECT} WHERE id IN ({marks})", [-key[2] for key in best])
    tickets = {row[0]: row_dict(row) for row in rows}
    # a ticket closed or deleted since it was scored is left out
    return [
        tickets[-ticket_id] | {"shared_words": -shared}
        for shared, _other, ticket_id in best
        if tickets.get(-ticket_id, {}).get("status") in FOLLOWABLE_STATUSES
    ]
