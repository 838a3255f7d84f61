"""Searches limited to open and active tickets read their own index (schema step 18): it follows
every report, edit, move between statuses, re-categorisation and deletion, on both
databases, and answers as the index of every ticket does."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, USER, advance, create, patch
from ticket_api import queries


def ids(client, request: str, headers=HELPDESK) -> list[int]:
    body = client.get(f"/api/tickets?{request}&per_page=200", headers=headers).json
    return [t["id"] for t in body["items"]]


@pytest.fixture
def moved(client):
    """Radiator tickets in every status, some edited, moved, re-categorised or deleted."""
    made = [
        create(client, title=f"Radiator {n} cold", description="The radiator stays cold.")
        for n in range(8)
    ]
    advance(client, made[0], "active")
    advance(client, made[1], "active", "closed")
    closed = advance(client, made[2], "active", "closed")
    patch(client, closed, description="Closed, and now about the boiler instead.")
    patch(client, made[3], description="No longer about heat: the boiler leaks.")
    patch(client, made[4], title="Radiator leaking", category="facility")
    active = advance(client, made[5], "active")
    patch(client, active, category="services")
    client.delete(f"/api/tickets/{made[6]['id']}", headers=HELPDESK)
    return made


REQUESTS = [
    f"q={q}{status}{category}"
    for q in ("radiator", "radi", "boiler", "radiator%20cold", "leak")
    for status in ("&status=open,active", "&status=open", "&status=active", "")
    for category in ("", "&category=facility", "&category=services,it")
]


def test_the_index_of_open_tickets_follows_every_change(client, moved, monkeypatch):
    every = client.get("/api/tickets?per_page=200", headers=HELPDESK).json["items"]
    words = {t["id"]: f"{t['title']} {t['description']}".lower() for t in every}
    for request in REQUESTS:
        query = dict(part.split("=") for part in request.split("&"))
        terms = query["q"].split("%20")
        expected = [
            t["id"]
            for t in every
            if all(any(w.startswith(term) for w in words[t["id"]].split()) for term in terms)
            and t["status"] in query.get("status", "open,active,closed").split(",")
            and t["category"] in query.get("category", "facility,it,services").split(",")
        ]
        assert sorted(ids(client, request)) == sorted(expected), request
    # students see open and active tickets only: the same answers as the helpdesk's
    for q in ("radiator", "boiler", "leak"):
        assert ids(client, f"q={q}", USER) == ids(client, f"q={q}&status=open,active")
    # beyond the count limit the same pages come from the plans for many matches
    expected = {r: ids(client, r) for r in REQUESTS}
    monkeypatch.setattr(queries, "COUNT_LIMIT", 1)
    for request in REQUESTS:
        assert ids(client, request) == expected[request], request


@pytest.mark.postgres
@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_postgres_reads_the_partial_index_for_open_and_active(client):
    """The planner proves the partial index's condition from the list's own filter only when
    both are written alike. Without the other indexes on the status (dropped in a
    transaction that is rolled back), the plan must read the partial index, not the index
    of every ticket."""
    from ticket_api.db import database
    from ticket_api.search import text_match

    create(client, title="Radiator cold", description="Room 3")
    p = database.obj.param
    for statuses in (["active", "open"], ["open"], ["active"]):
        clause, match = text_match(["radiator"], statuses, [])
        marks = ", ".join([p] * len(statuses))
        cursor = database.obj.connection().cursor()
        cursor.execute("BEGIN")
        try:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'ticket' "
                "AND indexdef LIKE '%%status%%' AND indexname != 'ticket_search_unclosed'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT id FROM ticket WHERE status IN ({marks}) AND {clause}",
                [*statuses, match],
            )
            plan = cursor.fetchall()
        finally:
            cursor.execute("ROLLBACK")
        text = "\n".join(row[0] for row in plan)
        assert "ticket_search_unclosed" in text, (statuses, text)
