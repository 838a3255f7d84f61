"""Query words longer than SQLite's indexed prefixes are asked as the listed words they begin
(schema step 17): every word written, by a report, an edit or a bulk load, is listed, and
the answers are those of the plain prefix."""

from __future__ import annotations

from tests.api.helpers import HELPDESK, create, patch
from ticket_api import search
from ticket_api.db import database


def found(client, q: str) -> list[int]:
    body = client.get(f"/api/tickets?q={q}&per_page=200", headers=HELPDESK).json
    return sorted(t["id"] for t in body["items"])


def test_long_words_find_what_their_prefix_finds(client, settings, monkeypatch):
    a = create(client, title="Projector broken", description="The projector shows nothing")
    b = create(client, title="Projectors missing", description="Two projectors were taken")
    c = create(client, title="Heating off", description="No heating in the library")
    d = create(client, title="Wi-Fi slow", description="Nothing loads")
    patch(client, d, description="Now the projectionist's booth has no Wi-Fi either")
    expected = {
        "projector": [a["id"], b["id"]],
        "projectors": [b["id"]],
        "projection": [d["id"]],
        "projec": [a["id"], b["id"], d["id"]],
        "heating%20library": [c["id"]],
        "heatingx": [],
        "broke": [a["id"]],
    }
    assert {q: found(client, q) for q in expected} == expected
    if settings.database_url:
        return
    terms = {row[0] for row in database.execute_sql("SELECT term FROM search_term")}
    assert {"projector", "projectors", "projectionist", "heating", "library"} <= terms
    # a word with more continuations than are named is asked as a prefix: the same answers
    monkeypatch.setattr(search, "SQLITE_WORDS_NAMED", 1)
    assert {q: found(client, q) for q in expected} == expected
    assert search._sqlite_word("projec") == '"projec"*'
    monkeypatch.setattr(search, "SQLITE_WORDS_NAMED", 8)
    assert search._sqlite_word("projector") == '("projector" OR "projectors")'
    assert search._sqlite_word("heat") == '"heat"*'  # short words: from the prefix index


def test_bulk_loads_list_their_words(app, client):
    """The demo seed loads tickets with the word list's triggers suspended; a long word of
    theirs is still found, exactly where its prefix is."""
    from ticket_api.seed import seed

    with database.connection_context():
        classifier = app.extensions["campusdesk.classifier"]()
        seed(database.obj, classifier, 40, rng_seed=5, progress=False)
    rows = database.execute_sql("SELECT id, search_text FROM ticket").fetchall()
    words = sorted({w for _, text in rows for w in text.split() if len(w) > 6})
    assert len(words) >= 5
    for word in words[::3]:
        query = word[:-1]  # a prefix longer than the index's
        expected = sorted(i for i, text in rows if any(w.startswith(query) for w in text.split()))
        assert found(client, query) == expected, word
