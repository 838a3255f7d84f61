"""SQLite's search indexes keep a ticket's words in the column of its category (schema step
19): a search within categories reads those columns only, the indexes follow every report,
edit, re-categorisation, move between statuses, deletion and bulk load, and FTS5 finds them
equal to the tickets they index."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, advance, create, patch
from ticket_api import search
from ticket_api.db import database
from ticket_api.schema.step_19_search_by_category import INDEXES


def found(client, request: str) -> list[int]:
    body = client.get(f"/api/tickets?{request}&per_page=200", headers=HELPDESK).json
    assert "items" in body, body
    return sorted(t["id"] for t in body["items"])


def edit(client, ticket: dict, **fields) -> dict:
    response = patch(client, ticket, **fields)
    assert response.status_code == 200, response.json
    return response.json


#: SQLite's search indexes only: PostgreSQL filters the category in SQL.
sqlite_only = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


def check_indexes(settings) -> None:
    """SQLite: FTS5's own check of each index against the tickets its view gives (rank 1:
    compare with the content, not only within the index)."""
    if settings.database_url:
        return
    for index in INDEXES:
        database.execute_sql(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")


@sqlite_only
def test_a_category_search_reads_its_columns_only(client):
    with client.application.test_request_context():
        _, match = search.text_match(["heat"], None, ["facility"])
        assert match == '{facility_words} : ("heat"*)'
        _, match = search.text_match(["heat"], ["open"], ["services", "it"])
        assert match == '{it_words services_words} : ("heat"*) AND status : ("open")'
        _, match = search.text_match(["heat"])
        assert match == '{facility_words it_words services_words other_words} : ("heat"*)'


def test_the_indexes_follow_categories_through_every_change(settings, client):
    made = [
        create(client, title=f"Boiler {n} noisy", description="The boiler bangs at night.")
        for n in range(6)
    ]
    categories = ("facility", "it", "services", "facility", "it", "it")
    made = [edit(client, t, category=c) for t, c in zip(made, categories)]
    active = advance(client, made[1], "active")
    edit(client, active, category="facility")  # active, re-categorised
    edited = edit(client, made[2], description="About the kettle now.")
    advance(client, edited, "active", "closed")
    edit(client, made[3], title="Kettle noisy", description="The kettle whistles.")
    client.delete(f"/api/tickets/{made[4]['id']}", headers=HELPDESK)
    ids = [t["id"] for t in made]
    assert found(client, "q=boiler&category=facility") == [ids[0], ids[1]]
    assert found(client, "q=boiler&category=it") == [ids[5]]
    assert found(client, "q=boiler&category=services") == [ids[2]]  # its title still says so
    assert found(client, "q=kettle&category=facility") == [ids[3]]
    assert found(client, "q=kettle&category=services") == [ids[2]]
    assert found(client, "q=boiler&status=open,active&category=facility") == [ids[0], ids[1]]
    assert found(client, "q=boil&status=active&category=facility,services") == [ids[1]]
    assert found(client, "q=boiler") == [ids[0], ids[1], ids[2], ids[5]]
    check_indexes(settings)


@sqlite_only
def test_a_category_the_step_does_not_know_keeps_its_words_apart(settings, client):
    """A category added after the step (here written straight into the table) keeps its
    tickets' words in the column of other categories, and a search of it reads that."""
    ticket = create(client, title="Locker jammed", description="The locker door is stuck.")

    def matching(columns: str) -> list[int]:
        sql = "SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?"
        return [row[0] for row in database.execute_sql(sql, [f"{columns} : locker"])]

    database.execute_sql("UPDATE ticket SET category = 'library' WHERE id = ?", [ticket["id"]])
    assert search.sqlite_word_columns(["library"]) == "{other_words}"
    assert matching("{other_words}") == [ticket["id"]]
    assert matching(search.sqlite_word_columns(None)) == [ticket["id"]]
    assert matching(search.sqlite_word_columns(["facility", "it", "services"])) == []
    check_indexes(settings)
    database.execute_sql("UPDATE ticket SET category = 'it' WHERE id = ?", [ticket["id"]])
    assert matching("{other_words}") == []
    assert found(client, "q=locker&category=it") == [ticket["id"]]
    check_indexes(settings)


def test_bulk_loads_fill_the_category_columns(settings, app, client):
    from ticket_api.seed import seed

    with database.connection_context():
        classifier = app.extensions["campusdesk.classifier"]()
        seed(database.obj, classifier, 60, rng_seed=7, progress=False)
    check_indexes(settings)
    rows = database.execute_sql("SELECT id, category, search_text FROM ticket").fetchall()
    word = max(
        {w for _, _, text in rows for w in text.split() if len(w) > 4},
        key=lambda w: sum(w in text.split() for _, _, text in rows),
    )
    for category in ("facility", "it", "services"):
        expected = sorted(
            i
            for i, c, text in rows
            if c == category and any(w.startswith(word) for w in text.split())
        )
        assert expected, category
        assert found(client, f"q={word}&category={category}") == expected, category
