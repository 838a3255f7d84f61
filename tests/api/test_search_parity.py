"""The same requests give the same answers on SQLite and PostgreSQL: text search (accents,
case, ligatures, scripts, punctuation), every sort in both directions, filters and totals.

Each backend gets the same tickets through the API; every answer is compared between the two
and, for searches, with what the words of each ticket say (a word of the query must begin a
word of the ticket, for every word of the query)."""

from __future__ import annotations

import random

import pytest

from tests.api.helpers import HELPDESK, TickingClock, advance, create, patch
from tests.apps import make_api
from ticket_api.schema.step_6_search_parity import fold, words
from ticket_api.schemas import SORT_KEYS
from ticket_api.search import estimated_share

#: Texts written the ways people on an Italian campus (and its visitors) write.
TEXTS = [
    ("Perché il Wi-Fi non va in aula?", "Università, edificio C: la rete cade sempre."),
    ("PERCHE IL WIFI NON VA", "universita edificio c, rete assente da lunedi"),
    ("Perche\u0301 la stampante è ferma", "Decomposed accents: cafe\u0301, citta\u0300."),
    ("Straße closed", "The Strasse entrance and STRASSE gate are locked."),
    ("Ærø visitor: œuvre café", "Æsthetic complaint about the Œuvre room."),
    ("Łódź exchange student", "Cannot log in from Lodz; l'aula 3 è chiusa."),
    ("İstanbul ve Iğdır", "Turkish dotted İ and dotless ı in names."),
    ("Πανεπιστήμιο: ΠΡΟΒΛΗΜΑ", "Greek text with accents: πρόβλημα στο δίκτυο."),
    ("Университет: ПРОБЛЕМА", "Кириллица: проблема с сетью в общежитии."),
    ("大学の図書館", "Wi-Fi が使えません 図書館 二階"),
    ("ﬁle server ①②", "Ligature ﬁ and circled digits ① in the title; Ⅻ roman."),
    ("room_101 3.5GHz", "Underscores and decimals: room_101, 3.5 GHz, v2.0.1, a-101."),
    ("Wi‑Fi with a non-breaking hyphen", "Wi‑Fi and Wi-Fi and WiFi and wifi."),
    ("Emoji 🙂 broken 🚪 door", "The door 🚪 of room B2.14 does not close 🙂."),
    ("x" * 70 + " long", "A word longer than sixty letters: " + "y" * 90),
    ("naïve coöperation", "NAÏVE COÖPERATION résumé Résumé RESUME"),
    ("Mensa: cibo freddo", "Il cibo della mensa era freddo e la pasta scotta."),
    ("Ascensore bloccato", "L'ascensore dell'edificio B è bloccato al secondo piano."),
    ("aula magna", "proiettore rotto"),
    ("Aula Magna", "Proiettore rotto anche qui"),
    ("Àula magna", "Proiettore: non si accende"),
    ("  spaced   title  ", "Title with spaces around and inside."),
]
QUERIES = [
    "perche",
    "perché",
    "PERCHÉ",
    "universita",
    "università wifi",
    "wi fi",
    "wifi",
    "wi-fi",
    "strasse",
    "straße",
    "STRASSE",
    "aero",
    "aer",
    "oeuvre",
    "œuvre",
    "lodz",
    "łódź",
    "istanbul",
    "igdir",
    "ıgdır",
    "πανεπιστημιο",
    "προβλημα",
    "проблема",
    "ПРОБЛ",
    "大学",
    "図書館",
    "file",
    "ﬁle",
    "1",
    "xii",
    "room 101",
    "room_101",
    "3 5",
    "3.5",
    "ghz",
    "v2 0 1",
    "a 101",
    "🙂",
    "door 🚪",
    "x" * 65,
    "y" * 60,
    "naive cooperation",
    "resume",
    "résumé",
    "cibo fred",
    "ascens",
    "l aula",
    "aula",
    "aula magna proiettore",
    "proiettore",
    "pr",
    "p",
    "e",
    "nothing-matches-this",
    "",
    "   ",
    "!!!",
]


def _all_ids(client, query: str) -> tuple[list[int], int]:
    ids, page, total = [], 1, None
    while True:
        body = client.get(f"/api/tickets?{query}&per_page=200&page={page}", headers=HELPDESK).json
        total = body["total"] if total is None else total
        ids += [t["id"] for t in body["items"]]
        if len(body["items"]) < 200:
            return ids, total
        page += 1


def answers(settings) -> dict:
    """Create the same tickets in the same order on one backend; every answer compared."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("ticket_api.workflow.utcnow", TickingClock())
        return _answers(settings)


def _answers(settings) -> dict:
    app = make_api(settings, testing=True)
    client = app.test_client()
    rng = random.Random(7)
    tickets = []
    for n, (title, description) in enumerate(TEXTS * 3):
        ticket = create(client, title=title, description=description, location=f"Room {n % 4}")
        if n % 3 == 1:
            ticket = advance(client, ticket, "active")
        elif n % 3 == 2:
            ticket = advance(client, ticket, "active", "closed")
        tickets.append(ticket)
    # an edit must move a ticket in the search index
    edited = patch(client, tickets[0], description="Edited: nessuna rete in biblioteca").json
    assert client.get("/api/tickets?q=biblioteca", headers=HELPDESK).json["total"] == 1
    rng.shuffle(tickets)
    found = {}
    for q in QUERIES:
        for status in ("", "&status=open,active"):
            found[f"q={q}{status}"] = _all_ids(client, f"q={q}{status}")
    for key in SORT_KEYS:
        for sort in (key, f"-{key}"):
            found[f"sort={sort}"] = _all_ids(client, f"sort={sort}")
            found[f"sort={sort}&q=aula"] = _all_ids(client, f"sort={sort}&q=aula")
            found[f"sort={sort}&status=closed"] = _all_ids(client, f"sort={sort}&status=closed")
    # Beyond the count limit: "more than N", and the pages come from one of the plans for
    # many matches (ticket_api/queries.py): sorting them all, walking the sort's index and
    # keeping those the search index names, or walking it and reading each ticket's words.
    # Every plan gives the same tickets in the same order. PostgreSQL picks its plan from
    # its statistics of the index's words: ANALYZE, and read them anew.
    from ticket_api.db import database

    database.execute_sql("ANALYZE ticket")
    limited = ("q=aula", "q=perche&status=open,active", "q=wi&sort=title", "q=e&sort=-closed_at")
    sorted_matches = {request: _all_ids(client, request)[0] for request in limited}
    plans = {
        "sort": {},
        "walk": {"SQLITE_SORT_UNTIL": 0},
        "scan": {"SQLITE_SORT_UNTIL": 0, "SQLITE_SCAN_FROM": 0, "POSTGRES_SCAN_FROM": 0},
    }
    for plan, thresholds in plans.items():
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("ticket_api.queries.COUNT_LIMIT", 5)
            mp.setattr("ticket_api.search.STATISTICS_TTL", -1.0)
            for name, value in thresholds.items():
                mp.setattr(f"ticket_api.queries.{name}", value)
            if plan == "scan" and settings.database_url:  # the statistics must be there
                assert estimated_share(["aula"]) > 0
            for request in limited:
                body = client.get(f"/api/tickets?{request}&per_page=200", headers=HELPDESK).json
                found[f"{plan} {request}"] = ([t["id"] for t in body["items"]], body["total"])
                assert body["total_exact"] is False and body["total"] == 5, (plan, request)
                assert [t["id"] for t in body["items"]] == sorted_matches[request], plan
            if plan != "scan":
                continue
            for q in QUERIES:  # every query, with or without a status filter
                for status in ("", "&status=open,active"):
                    request = f"q={q}{status}"
                    page = client.get(f"/api/tickets?{request}&per_page=200", headers=HELPDESK)
                    ids = [t["id"] for t in page.json["items"]]
                    assert ids == found[request][0], (plan, request)
    for path in ("status-counts", "active-by-category"):
        found[path] = client.get(f"/api/stats/{path}", headers=HELPDESK).json
    everything = client.get("/api/tickets?per_page=200", headers=HELPDESK).json["items"]
    documents = {t["id"]: f"{t['title']} {t['description']} {t['location']}" for t in everything}
    assert documents[edited["id"]].startswith(edited["title"] + " Edited")
    database.obj.close_all()
    return {
        "found": found,
        "documents": documents,
        "titles": {t["id"]: t["title"] for t in everything},
    }


@pytest.fixture(scope="module")
def both(tmp_path_factory, postgres_url, model_dir):
    from kit.settings import Settings
    from tests.conftest import _empty_postgres, _ensure_postgres_database

    postgres_url += "_parity"
    assert _ensure_postgres_database(postgres_url) is None

    base = Settings(
        data_dir=tmp_path_factory.mktemp("parity"),
        model_dir_override=str(model_dir),
        rate_limits=False,
    )
    sqlite = answers(base)
    _empty_postgres(postgres_url)
    postgres = answers(base.with_changes(database_url=postgres_url))
    return sqlite, postgres


pytestmark = pytest.mark.postgres


def test_every_answer_is_the_same_on_both_backends(both):
    sqlite, postgres = both
    assert sqlite["documents"] == postgres["documents"]
    differing = [
        (request, sqlite["found"][request], postgres["found"][request])
        for request in sqlite["found"]
        if sqlite["found"][request] != postgres["found"][request]
    ]
    assert differing == []


def test_search_finds_exactly_the_tickets_whose_words_begin_with_the_query_words(both):
    sqlite, _ = both
    for q in QUERIES:
        wanted = words(q)[:20]
        expected = {
            ticket_id
            for ticket_id, text in sqlite["documents"].items()
            if all(any(w.startswith(x) for w in words(text)) for x in wanted)
        }
        ids, total = sqlite["found"][f"q={q}"]
        assert set(ids) == expected, q
        assert total == len(expected), q


def test_accents_case_and_ligatures_do_not_matter(both):
    found = both[0]["found"]
    for a, b in (("perche", "PERCHÉ"), ("strasse", "straße"), ("oeuvre", "œuvre")):
        assert found[f"q={a}"] == found[f"q={b}"] and found[f"q={a}"][1] > 0
    assert found["q=lodz"] == found["q=łódź"] and found["q=igdir"] == found["q=ıgdır"]


def test_titles_sort_by_their_letters_whatever_the_case_and_accents(both):
    sqlite, _ = both
    ids, _ = sqlite["found"]["sort=title"]
    keys = [" ".join(fold(sqlite["titles"][i]).split()) for i in ids]
    assert keys == sorted(keys)
    # "aula magna", "Aula Magna" and "Àula magna" sit together
    magna = [n for n, k in enumerate(keys) if k.startswith("aula magna")]
    assert magna == list(range(magna[0], magna[0] + len(magna))) and len(magna) == 9


def test_folding_is_stable():
    for title, description in TEXTS:
        text = f"{title} {description}"
        assert fold(fold(text)) == fold(text)
        assert words(" ".join(words(text))) == words(text)
