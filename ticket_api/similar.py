"""Similar tickets: while a person types a report, the open and active tickets that seem to
be about the same problem, so that they can follow one instead of reporting it again.

A ticket is similar when it shares key words with the text typed (folded as search folds
them, without stop words: :func:`ticket_api.notices.key_words`), a ticket's key word
matching a key word that starts it, as searches match ("Wi-Fi" and "wifi" meet). Tickets
sharing more key words come first; on a tie, those of the category the classifier gives the
text, then the newest.

At a million tickets nothing is scanned: for each of the text's longest key words the
search index gives the newest open or active tickets having it (:data:`PER_WORD` at most,
for each of its :func:`spellings`), and only those are compared. Both databases find the
same candidates, so they give the same answer."""

from __future__ import annotations

from ticket_api.db import database, is_postgres
from ticket_api.models import FOLLOWABLE_STATUSES
from ticket_api.notices import SHARED_WORDS, key_words
from ticket_api.queries import POSTGRES_SCAN_FROM, SELECT, _scope_total, row_dict
from ticket_api.search import estimated_share, text_match, word_scan

#: The longest key words of a text that are looked up (longer words tell problems apart).
MAX_WORDS = 8
#: Key words shorter than this (a building's letter, "pc") are too common to look up.
MIN_WORD = 3
#: The newest tickets having a key word that are compared with the text, per word.
PER_WORD = 50
#: Suggestions at most.
LIMIT = 3


def looked_up_words(text: str) -> list[str]:
    """The key words of text that are looked up, longest first (then alphabetically)."""
    found = sorted((w for w in key_words(text) if len(w) >= MIN_WORD), key=lambda w: (-len(w), w))
    return found[:MAX_WORDS]


def spellings(word: str) -> list[str]:
    """The ways a key word is looked up: as it is and, when short, split in two words of two
    letters or more ("wifi" also as "wi fi"), as people write "Wi-Fi" or "wifi"."""
    if len(word) > 6:
        return [word]
    return [word] + [f"{word[:i]} {word[i:]}" for i in range(2, len(word) - 1)]


def shared_words(wanted: list[str], search_text: str) -> int:
    """How many of the wanted key words start one of a ticket's key words (its folded words,
    and two short neighbours read as one, as :func:`key_words` reads the text typed)."""
    have = key_words(search_text)
    return sum(1 for word in wanted if any(w.startswith(word) for w in have))


def _newest_with(spelling: str) -> list[int]:
    """The ids of the newest open or active tickets having a word starting with spelling
    (or, for two words, the first followed by one starting with the second)."""
    p = database.obj.param
    statuses = sorted(FOLLOWABLE_STATUSES)
    if not is_postgres():
        _, match = text_match([spelling], statuses)  # two words: an FTS5 phrase
        sql = (
            f"SELECT rowid FROM ticket_search WHERE ticket_search MATCH {p} "
            f"ORDER BY rowid DESC LIMIT {PER_WORD}"
        )
        return [row[0] for row in database.execute_sql(sql, [match])]
    scope = f"status IN ({', '.join([p] * len(statuses))})"
    parts = spelling.split()
    phrase, phrase_params = word_scan([spelling])
    share = estimated_share(parts)
    if share is not None and share * _scope_total(statuses, []) >= POSTGRES_SCAN_FROM:
        # common word: walking the ids from the newest meets enough of them within a few rows
        sql = f"SELECT id FROM ticket WHERE {scope} AND {phrase} ORDER BY id DESC LIMIT {p}"
        return [row[0] for row in database.execute_sql(sql, [*statuses, *phrase_params, PER_WORD])]
    clause, match = text_match(parts)
    if len(parts) > 1:  # the index has both words; the text, the one after the other
        clause, params = f"{clause} AND {phrase}", [match, *phrase_params]
    else:
        params = [match]
    sql = (
        f"WITH found AS MATERIALIZED (SELECT id FROM ticket WHERE {scope} AND {clause}) "
        f"SELECT id FROM found ORDER BY id DESC LIMIT {p}"
    )
    return [row[0] for row in database.execute_sql(sql, [*statuses, *params, PER_WORD])]


def similar_tickets(text: str, category: str | None, limit: int = LIMIT) -> list[dict]:
    """Up to limit open or active tickets similar to text, most similar first, each with
    ``shared_words``; category (the classifier's for text, if known) wins ties."""
    wanted = looked_up_words(text)
    if not wanted:
        return []
    needed = min(SHARED_WORDS, len(wanted))
    every = (spelling for word in wanted for spelling in spellings(word))
    candidates = sorted({found for spelling in every for found in _newest_with(spelling)})
    if not candidates:
        return []
    p = database.obj.param
    statuses = sorted(FOLLOWABLE_STATUSES)
    marks = ", ".join([p] * len(candidates))
    sql = (
        f"{SELECT.replace(' FROM ticket', ', search_text FROM ticket')} WHERE id IN ({marks}) "
        f"AND status IN ({', '.join([p] * len(statuses))})"
    )
    scored = []
    for row in database.execute_sql(sql, [*candidates, *statuses]):
        ticket = row_dict(row[:-1])
        shared = shared_words(wanted, row[-1])
        if shared >= needed:
            scored.append((-shared, ticket["category"] != category, -ticket["id"], ticket, shared))
    scored.sort(key=lambda item: item[:3])
    return [ticket | {"shared_words": shared} for *_key, ticket, shared in scored[:limit]]
