"""Listing tickets: visibility, filters, text search, sorting and paging."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create, patch

TEXTS = [
    ("Projector broken", "The projector in Aula 3 shows no image.", "Aula 3"),
    ("Cold pasta again", "The canteen pasta was cold and overcooked today.", "Canteen"),
    ("Leaking radiator", "The radiator in room B2.14 is leaking water on the floor.", "B2.14"),
    ("Eduroam drops", "Eduroam disconnects every ten minutes in the library.", None),
]


@pytest.fixture
def tickets(client):
    made = [create(client, title=t, description=d, location=loc) for t, d, loc in TEXTS]
    made[1] = advance(client, made[1], "active")
    made[2] = advance(client, made[2], "active", "closed")
    return made


def ids(response):
    assert response.status_code == 200, response.json
    return [t["id"] for t in response.json["items"]]


def test_users_never_see_closed_tickets(client, tickets):
    listed = client.get("/api/tickets", headers=USER).json
    assert tickets[2]["id"] not in [t["id"] for t in listed["items"]] and listed["total"] == 3
    assert ids(client.get("/api/tickets?status=closed", headers=USER)) == []
    assert client.get("/api/tickets", headers=HELPDESK).json["total"] == 4


def test_filters(client, tickets):
    by_id = lambda i: tickets[i]["id"]  # noqa: E731
    assert ids(client.get("/api/tickets?status=active,closed&sort=id", headers=HELPDESK)) == [
        by_id(1),
        by_id(2),
    ]
    assert ids(client.get("/api/tickets?category=services")) == [by_id(1)]
    assert set(ids(client.get("/api/tickets?category=it,services"))) == {
        by_id(0),
        by_id(1),
        by_id(3),
    }


def test_text_search_in_title_description_location(client, tickets):
    assert ids(client.get("/api/tickets?q=projector")) == [tickets[0]["id"]]
    assert ids(client.get("/api/tickets?q=LIBRARY")) == [tickets[3]["id"]]
    assert ids(client.get("/api/tickets?q=canteen")) == [tickets[1]["id"]]
    assert ids(client.get("/api/tickets?q=aula%20image")) == [tickets[0]["id"]]
    assert ids(client.get("/api/tickets?q=100%25_")) == []
    assert len(ids(client.get("/api/tickets?q=%25%25%25"))) == 3  # no word: no text filter


def test_search_matches_word_beginnings_in_any_case(client, tickets):
    assert ids(client.get("/api/tickets?q=PROJ")) == [tickets[0]["id"]]
    assert ids(client.get("/api/tickets?q=jector")) == []
    assert ids(client.get("/api/tickets?q=edu%20libr")) == [tickets[3]["id"]]
    assert ids(client.get("/api/tickets?q=eduroam%20canteen")) == []


def test_search_follows_edits_and_deletes(client, tickets):
    ticket = client.get(f"/api/tickets/{tickets[0]['id']}").json
    patch(client, ticket, headers=USER, title="Beamer broken")
    assert ids(client.get("/api/tickets?q=beamer")) == [ticket["id"]]
    assert ids(client.get("/api/tickets?q=projector")) == [ticket["id"]]  # still in description
    client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert ids(client.get("/api/tickets?q=beamer", headers=HELPDESK)) == []


def test_opened_range(client, tickets):
    opened = tickets[0]["opened_at"]
    assert len(ids(client.get("/api/tickets", query_string={"opened_after": opened}))) == 3
    assert ids(client.get("/api/tickets", query_string={"opened_before": opened})) == []
    assert len(ids(client.get("/api/tickets?opened_after=2000-01-01"))) == 3


def test_sorting_and_paging(client, tickets):
    all_ids = [t["id"] for t in tickets]
    assert ids(client.get("/api/tickets?sort=id", headers=HELPDESK)) == all_ids
    assert ids(client.get("/api/tickets?sort=-id", headers=HELPDESK)) == all_ids[::-1]
    page = client.get("/api/tickets?sort=id&per_page=3&page=2", headers=HELPDESK).json
    assert [t["id"] for t in page["items"]] == all_ids[3:]
    assert (page["total"], page["page"], page["per_page"]) == (4, 2, 3)
    assert ids(client.get("/api/tickets?page=9", headers=HELPDESK)) == []
    titles = [
        t["title"] for t in client.get("/api/tickets?sort=title", headers=HELPDESK).json["items"]
    ]
    assert titles == sorted(titles)


def test_default_sort_is_most_recently_modified(client, tickets, monkeypatch):
    from datetime import timedelta

    from ticket_api import workflow
    from ticket_api.timefields import utcnow

    later = utcnow() + timedelta(minutes=5)
    monkeypatch.setattr(workflow, "utcnow", lambda: later)
    patch(
        client,
        client.get(f"/api/tickets/{tickets[0]['id']}").json,
        headers=USER,
        title="Projector still broken",
    )
    assert ids(client.get("/api/tickets"))[0] == tickets[0]["id"]


def test_low_confidence_first(client, tickets):
    items = client.get("/api/tickets?sort=category_confidence", headers=HELPDESK).json["items"]
    confidences = [t["category_confidence"] for t in items]
    assert confidences == sorted(confidences)


@pytest.mark.parametrize(
    "query",
    [
        "per_page=201",
        "per_page=0",
        "page=0",
        "page=x",
        "sort=colour",
        "status=pending",
        "status=open,",
        "category=food",
        "opened_after=yesterday",
        "unknown=1",
        "status=open&status=active",
        "q=" + "x" * 201,
    ],
)
def test_bad_query_values_are_400(client, query):
    body = assert_problem(client.get(f"/api/tickets?{query}"), 400)
    assert body["errors"]


@pytest.mark.parametrize(
    "status, category",
    [
        (None, None),
        ("open", None),
        ("active,closed", None),
        (None, "facility"),
        ("open,active", "it,services"),
        ("closed", "it"),
    ],
)
def test_totals_from_the_tallies_equal_counting_the_rows(client, status, category):
    from tests.api.helpers import HELPDESK, USER, advance, create

    tickets = [create(client) for _ in range(5)]
    advance(client, tickets[0], "active")
    advance(client, tickets[1], "active", "closed")
    moved = client.patch(
        f"/api/tickets/{tickets[2]['id']}",
        json={"category": "facility"},
        headers={**HELPDESK, "If-Match": '"1"'},
    )
    assert moved.status_code == 200
    client.delete(f"/api/tickets/{tickets[3]['id']}", headers=HELPDESK)
    query = {k: v for k, v in {"status": status, "category": category}.items() if v}
    for headers in (HELPDESK, USER):
        every = client.get("/api/tickets?per_page=200", headers=headers).json["items"]
        expected = [
            t
            for t in every
            if (not status or t["status"] in status.split(","))
            and (not category or t["category"] in category.split(","))
        ]
        body = client.get("/api/tickets", query_string={**query, "per_page": 1}, headers=headers)
        assert body.json["total"] == len(expected), (headers, query)
