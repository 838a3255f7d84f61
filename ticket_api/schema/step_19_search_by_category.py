"""Step 19: SQLite's search indexes keep a ticket's words under its category.

A search within a category narrowed the word's list by the category's, which FTS5 keeps as a
word of its own column: for each ticket having the word, the list of a third of all tickets
was searched for it. ``proj`` within ``it`` took 4.0 ms at a million tickets, against 0.8 ms
for ``proj`` alone, and a word in 1,859 tickets, within one category, 1.5 ms (step 18 worked
around it by reading such words' tickets one by one, 0.45 µs each, docs/performance.md).

Now each index has one column of words per category, and a ticket's words are in the column
of its category (a category this step does not know goes to ``other_words``). A search
within categories names their columns: FTS5 reads the word's own list and keeps the entries
of those columns as it goes (0.09 ms for that word within its category). The status stays a
column of its own. The indexes read the tickets through views that give each column, so that
FTS5 can rebuild and check them from the tickets; the triggers write the same values.
PostgreSQL's index and its filters are unchanged.
"""

from __future__ import annotations

from peewee import Database

#: The words column of each category's tickets, as this step knows the categories.
CATEGORY_COLUMNS = {"facility": "facility_words", "it": "it_words", "services": "services_words"}
#: The words column of the tickets of any other category.
OTHER_COLUMN = "other_words"
WORD_COLUMNS = (*CATEGORY_COLUMNS.values(), OTHER_COLUMN)
_KNOWN = ", ".join(f"'{key}'" for key in CATEGORY_COLUMNS)


def _values(row: str) -> list[str]:
    """The indexed columns' values of a ticket row (``NEW.``, ``OLD.``, or ``""`` in a
    query of the table), in the order of the index's columns."""
    words = [
        f"CASE WHEN {row}category = '{key}' THEN {row}search_text END" for key in CATEGORY_COLUMNS
    ]
    words.append(f"CASE WHEN {row}category NOT IN ({_KNOWN}) THEN {row}search_text END")
    return [*words, f"{row}status"]


_COLUMNS = ", ".join([*WORD_COLUMNS, "status"])
#: Each index, the view it reads the tickets through, and which tickets it holds.
INDEXES = {
    "ticket_search": ("ticket_search_source", ""),
    "ticket_search_unclosed": (
        "ticket_search_unclosed_source",
        "status IN ('active', 'open')",
    ),
}


def _view(index: str) -> str:
    view, condition = INDEXES[index]
    named = zip(_values(""), [*WORD_COLUMNS, "status"])
    columns = ", ".join(f"{value} AS {name}" for value, name in named)
    where = f" WHERE {condition}" if condition else ""
    return f"CREATE VIEW IF NOT EXISTS {view} AS SELECT id, {columns} FROM ticket{where}"


def _table(index: str) -> str:
    view, _ = INDEXES[index]
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5({_COLUMNS}, "
        f"content='{view}', content_rowid='id', tokenize='ascii', prefix='2 3 4')"
    )


def _add(index: str, row: str) -> str:
    _, condition = INDEXES[index]
    only = f" WHERE {row}{condition}" if condition else ""
    return (
        f"INSERT INTO {index} (rowid, {_COLUMNS}) SELECT {row}id, {', '.join(_values(row))}{only};"
    )


def _remove(index: str) -> str:
    _, condition = INDEXES[index]
    only = f" WHERE OLD.{condition}" if condition else ""
    return (
        f"INSERT INTO {index} ({index}, rowid, {_COLUMNS}) "
        f"SELECT 'delete', OLD.id, {', '.join(_values('OLD.'))}{only};"
    )


SQLITE_SEARCH_TRIGGERS = {}
for _index in INDEXES:
    SQLITE_SEARCH_TRIGGERS |= {
        f"{_index}_insert": f"CREATE TRIGGER IF NOT EXISTS {_index}_insert AFTER INSERT ON ticket "
        f"BEGIN {_add(_index, 'NEW.')} END",
        f"{_index}_delete": f"CREATE TRIGGER IF NOT EXISTS {_index}_delete AFTER DELETE ON ticket "
        f"BEGIN {_remove(_index)} END",
        f"{_index}_update": f"CREATE TRIGGER IF NOT EXISTS {_index}_update "
        "AFTER UPDATE OF search_text, status, category ON ticket "
        f"BEGIN {_remove(_index)} {_add(_index, 'NEW.')} END",
    }


def index_tickets(db: Database, first: int, last: int) -> None:
    """Add the tickets whose ids are from first to last to both indexes (each takes those
    its view gives)."""
    for index, (view, _) in INDEXES.items():
        db.execute_sql(
            f"INSERT INTO {index} (rowid, {_COLUMNS}) SELECT id, {_COLUMNS} FROM {view} "
            "WHERE id >= ? AND id <= ?",
            (first, last),
        )


def fill_terms(db: Database) -> None:
    """Add every word of the search index's words columns to the list of words (step 17's
    ``search_term``), after loading many tickets at once with the triggers suspended."""
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary "
        "USING fts5vocab(main, ticket_search, col)"
    )
    columns = ", ".join(f"'{name}'" for name in WORD_COLUMNS)
    try:
        db.execute_sql(
            "INSERT OR IGNORE INTO search_term (term) SELECT DISTINCT term "
            f"FROM temp.search_vocabulary WHERE col IN ({columns})"
        )
    finally:
        db.execute_sql("DROP TABLE IF EXISTS temp.search_vocabulary")


def apply(db: Database, postgres: bool) -> None:
    """Both search indexes again, with the words under the category's column, their views
    and triggers, filled from the tickets."""
    if postgres:
        return
    for name in SQLITE_SEARCH_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    for index in INDEXES:
        db.execute_sql(f"DROP TABLE IF EXISTS {index}")
        db.execute_sql(_view(index))
        db.execute_sql(_table(index))
        db.execute_sql(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    for statement in SQLITE_SEARCH_TRIGGERS.values():
        db.execute_sql(statement)
