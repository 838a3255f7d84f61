"""The three analytics services: every number leads to exactly its tickets, answers follow
every write at once, bad parameters are 400 problems, a missing API a 503 problem."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, advance, create, patch

ANALYSES = {
    "unclosed": [
        ("/unclosed", {"last": 30, "unit": "days"}),
        ("/backlog", {}),
        ("/backlog-age", {}),
    ],
    "resolution": [("/resolution-time", {}), ("/first-response", {}), ("/satisfaction", {})],
    "by-category": [
        ("/active-by-category", {}),
        ("/weekly", {}),
        ("/category-months", {}),
        ("/opening-hours", {}),
    ],
}


def numbers(body, path=""):
    """Every (number, filters) pair of an answer: counts sit beside a `tickets` member."""
    if isinstance(body, list):
        for item in body:
            yield from numbers(item, path)
        return
    if not isinstance(body, dict):
        return
    links = body.get("tickets")
    if isinstance(links, dict) and links and all(isinstance(v, dict) for v in links.values()):
        counts = body.get("counts") or body
        for name, filters in links.items():
            yield counts[name], filters
    elif isinstance(links, dict):
        for key in ("count", "backlog", "active", "closed_tickets", "opened"):
            if key in body:
                yield body[key], links
                break
    for key, value in body.items():
        if key != "tickets":
            yield from numbers(value, path + "/" + key)


@pytest.fixture
def seeded(api_server):
    """Three hundred demo tickets over eight months, with messages and history."""
    from ticket_api.db import database
    from ticket_api.seed import seed

    app = api_server[1]
    classifier = app.extensions["campusdesk.classifier"]()
    with database.connection_context():
        seed(database.obj, classifier, 300, months=8, rng_seed=11, progress=False)


def answer(services, name, path, query=None):
    response = services[name].get(path, query_string=query or {})
    assert response.status_code == 200, response.get_data(True)
    return response.json


@pytest.mark.parametrize(
    "name, path, query", [(n, p, q) for n, items in ANALYSES.items() for p, q in items]
)
def test_every_number_leads_to_exactly_its_tickets(services, api, seeded, name, path, query):
    body = answer(services, name, path, query)
    pairs = list(numbers(body))
    assert pairs, body
    assert sum(n for n, _ in pairs) > 0
    for number, filters in pairs:
        listed = api.get("/api/tickets", query_string={**filters, "per_page": 1}, headers=HELPDESK)
        assert listed.status_code == 200, (filters, listed.json)
        assert listed.json["total"] == number, (path, filters)


def _unclosed(services):
    return answer(services, "unclosed", "/unclosed", {"last": 2, "unit": "hours"})["count"]


def _active(services, category):
    body = answer(services, "by-category", "/active-by-category")
    return {c["category"]: c["active"] for c in body["categories"]}[category]


def _closed_this_month(services):
    months = answer(services, "resolution", "/resolution-time")["months"]
    return sum(m["closed_tickets"] for m in months)


def _answered(services):
    return sum(m["answered"] for m in answer(services, "resolution", "/first-response")["months"])


def test_answers_follow_every_write_at_once(services, api):
    assert _unclosed(services) == 0
    ticket = create(api)
    assert _unclosed(services) == 1
    age = answer(services, "unclosed", "/backlog-age")["buckets"][0]
    assert (age["label"], age["count"]) == ("Opened today", 1)
    assert answer(services, "by-category", "/weekly")["weeks"][-1]["opened"] == 1
    ticket = advance(api, ticket, "active")
    assert _active(services, ticket["category"]) == 1
    other = "facility" if ticket["category"] != "facility" else "services"
    moved = patch(api, ticket, category=other)
    assert moved.status_code == 200
    assert (_active(services, ticket["category"]), _active(services, other)) == (0, 1)
    assert _answered(services) == 0
    api.post(f"/api/tickets/{ticket['id']}/messages", json={"body": "On it"}, headers=HELPDESK)
    assert _answered(services) == 1
    advance(api, moved.json, "closed")
    assert _closed_this_month(services) == 1 and _unclosed(services) == 0
    assert answer(services, "by-category", "/weekly")["weeks"][-1]["closed"] == 1
    api.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert _closed_this_month(services) == 0 and _answered(services) == 0
    assert answer(services, "by-category", "/weekly")["weeks"][-1] | {"tickets": None} == {
        **answer(services, "by-category", "/weekly")["weeks"][-1],
        "opened": 0,
        "closed": 0,
        "tickets": None,
    }


@pytest.mark.parametrize(
    "name, path, query",
    [
        ("unclosed", "/unclosed", {}),
        ("unclosed", "/unclosed", {"last": 0}),
        ("unclosed", "/unclosed", {"last": 8761}),
        ("unclosed", "/unclosed", {"last": 3651, "unit": "days"}),
        ("unclosed", "/unclosed", {"last": 3, "unit": "weeks"}),
        ("unclosed", "/unclosed", {"last": "two"}),
        ("unclosed", "/unclosed", {"last": 3, "extra": 1}),
        ("unclosed", "/backlog", {"from": "2026-02-30"}),
        ("unclosed", "/backlog", {"from": "2026-03-02", "to": "2026-03-01"}),
        ("resolution", "/resolution-time", {"from_month": "2026-13"}),
        ("resolution", "/resolution-time", {"from_month": "2026-05", "to_month": "2026-01"}),
        ("by-category", "/weekly", {"category": "food"}),
        ("by-category", "/opening-hours", {"from": "yesterday"}),
    ],
)
def test_bad_parameters_are_400_problems(services, name, path, query):
    response = services[name].get(path, query_string=query)
    assert response.status_code == 400, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] and response.json["errors"]


def test_the_unclosed_window_holds_the_spec_members(services, api):
    create(api)
    body = answer(services, "unclosed", "/unclosed", {"last": 24})
    assert {"count", "from", "to", "last", "unit", "previous"} <= set(body)
    assert (body["count"], body["last"], body["unit"]) == (1, 24, "hours")
    assert body["previous"]["to"] == body["from"]
