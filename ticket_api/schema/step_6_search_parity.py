"""Step 6: the same search answers and the same orders on SQLite and PostgreSQL.

Search: each ticket stores its searchable words, folded once in Python (``search_text``):
lower case, accents and other marks removed, compatibility forms and a few letters without
a decomposition spelled out (``ß`` → ``ss``, ``æ`` → ``ae``, ``ł`` → ``l``), split into runs
of letters and digits. Both databases index exactly those words without folding them again
(SQLite: FTS5 with the ``ascii`` tokenizer, which only splits at spaces here; PostgreSQL: a
GIN index of ``array_to_tsvector``, which takes the words as they are), and a query is
folded by the same function, so the same query finds the same tickets on both. Folding in
each database instead differs: PostgreSQL's ``unaccent`` and SQLite's ``unicode61``
tokenizer fold 932 of the 6,411 letters and digits below U+3000 differently.

Title order: ``title_key`` is the title folded the same way, compared byte by byte on both
databases (``COLLATE "C"`` on PostgreSQL, whose default collation follows the server's
locale), so "Aula", "aula" and "Àula" sort together whatever the server's locale.

Sorts on columns that may be empty put the empty ones last in both directions; PostgreSQL
needs a descending index for that, SQLite walks its one index in two passes.
"""

from __future__ import annotations

import re
import unicodedata

from peewee import Database

#: Letters that have no decomposition but are read as their base letters.
SPELLED_OUT = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
    }
)
WORD = re.compile(r"[^\W_]+")
#: Longer runs are cut: PostgreSQL refuses lexemes over 2 KB, and nobody types such a word.
MAX_WORD = 60
#: A query uses at most this many words.
MAX_QUERY_WORDS = 20


def fold(text: str) -> str:
    """``text`` in lower case without accents or other marks."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).translate(SPELLED_OUT)


def words(text: str) -> list[str]:
    """The searchable words of ``text``: folded runs of letters and digits."""
    return [w[:MAX_WORD] for w in WORD.findall(fold(text))]


def search_text(title: str, description: str, location: str | None) -> str:
    """What a ticket stores for search: its words, separated by single spaces."""
    return " ".join(words(f"{title} {description} {location or ''}"))


def title_key(title: str) -> str:
    """What a ticket stores to sort by title."""
    return " ".join(fold(title).split())


def derived_columns(title: str, description: str, location: str | None) -> dict:
    """The columns a ticket's text determines."""
    return {
        "search_text": search_text(title, description, location),
        "title_key": title_key(title),
    }


#: On SQLite the index holds each ticket's status and category beside its words, so that a
#: search within some statuses or categories is answered by the index alone.
SQLITE_SEARCH_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5(search_text, status, "
    "category, content='ticket', content_rowid='id', tokenize='ascii', prefix='2 3')"
)
SQLITE_SEARCH_TRIGGERS = {
    "ticket_search_insert": """CREATE TRIGGER IF NOT EXISTS ticket_search_insert
    AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_search (rowid, search_text, status, category)
        VALUES (NEW.id, NEW.search_text, NEW.status, NEW.category);
    END""",
    "ticket_search_delete": """CREATE TRIGGER IF NOT EXISTS ticket_search_delete
    AFTER DELETE ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, search_text, status, category)
        VALUES ('delete', OLD.id, OLD.search_text, OLD.status, OLD.category);
    END""",
    "ticket_search_update": """CREATE TRIGGER IF NOT EXISTS ticket_search_update
    AFTER UPDATE OF search_text, status, category ON ticket BEGIN
        INSERT INTO ticket_search (ticket_search, rowid, search_text, status, category)
        VALUES ('delete', OLD.id, OLD.search_text, OLD.status, OLD.category);
        INSERT INTO ticket_search (rowid, search_text, status, category)
        VALUES (NEW.id, NEW.search_text, NEW.status, NEW.category);
    END""",
}
#: The PostgreSQL document of the search index; queries must use the same expression.
POSTGRES_DOCUMENT = "array_to_tsvector(string_to_array(search_text, ' '))"
SORT_INDEXES = {
    "sqlite": (
        "CREATE INDEX IF NOT EXISTS ticket_title_key ON ticket (title_key, id)",
        "CREATE INDEX IF NOT EXISTS ticket_closed_at_id ON ticket (closed_at, id)",
        "CREATE INDEX IF NOT EXISTS ticket_confidence_id ON ticket (category_confidence, id)",
    ),
    "postgres": (
        'CREATE INDEX IF NOT EXISTS ticket_title_key ON ticket (title_key COLLATE "C", id)',
        "CREATE INDEX IF NOT EXISTS ticket_closed_at_id ON ticket (closed_at, id)",
        "CREATE INDEX IF NOT EXISTS ticket_closed_at_desc ON ticket "
        "(closed_at DESC NULLS LAST, id DESC)",
        "CREATE INDEX IF NOT EXISTS ticket_confidence_id ON ticket (category_confidence, id)",
        "CREATE INDEX IF NOT EXISTS ticket_confidence_desc ON ticket "
        "(category_confidence DESC NULLS LAST, id DESC)",
    ),
}
#: Indexes the new ones replace.
REPLACED = ("ticket_title", "ticket_closed_at", "ticket_category_confidence")
BATCH = 5000


def _fill(db: Database, postgres: bool) -> None:
    """Compute the derived columns of every ticket, a batch at a time."""
    p = db.param
    last = 0
    while True:
        rows = db.execute_sql(
            f"SELECT id, title, description, location FROM ticket WHERE id > {p} "
            f"ORDER BY id LIMIT {BATCH}",
            (last,),
        ).fetchall()
        if not rows:
            return
        values = [
            (search_text(title, description, location), title_key(title), ticket_id)
            for ticket_id, title, description, location in rows
        ]
        cursor = db.cursor()
        if postgres:
            from psycopg2.extras import execute_values

            execute_values(
                cursor,
                "UPDATE ticket SET search_text = v.s, title_key = v.k FROM (VALUES %s) "
                "AS v (s, k, id) WHERE ticket.id = v.id",
                values,
                page_size=BATCH,
            )
        else:
            cursor.executemany(
                "UPDATE ticket SET search_text = ?, title_key = ? WHERE id = ?", values
            )
        last = rows[-1][0]


def create_search_index(db: Database, postgres: bool) -> None:
    """The search index over ``search_text`` and, on SQLite, the triggers that keep it."""
    if postgres:
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS ticket_search ON ticket USING GIN ({POSTGRES_DOCUMENT})"
        )
        return
    db.execute_sql(SQLITE_SEARCH_TABLE)
    for statement in SQLITE_SEARCH_TRIGGERS.values():
        db.execute_sql(statement)


def apply(db: Database, postgres: bool) -> None:
    """Searchable words and title sort keys folded once for both databases; indexes for
    every sort in both directions."""
    if postgres:
        db.execute_sql("DROP INDEX IF EXISTS ticket_search")
    else:
        for name in SQLITE_SEARCH_TRIGGERS:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql("DROP TABLE IF EXISTS ticket_search")
    columns = {c.name for c in db.get_columns("ticket")}
    for name in ("search_text", "title_key"):
        if name not in columns:
            db.execute_sql(f"ALTER TABLE ticket ADD COLUMN {name} TEXT NOT NULL DEFAULT ''")
    _fill(db, postgres)
    for name in REPLACED:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    for statement in SORT_INDEXES["postgres" if postgres else "sqlite"]:
        db.execute_sql(statement)
    create_search_index(db, postgres)
    if not postgres:
        db.execute_sql("INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')")
