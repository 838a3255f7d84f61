"""Demo data: realistic, consistent with the workflow, and spread over past months."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ticket_api.seed import title_of


@pytest.fixture
def seeded(app):
    from ticket_api.db import database
    from ticket_api.seed import seed

    classifier = app.extensions["campusdesk.classifier"]()
    with database.connection_context():
        totals = seed(database.obj, classifier, 1500, months=18, rng_seed=7, progress=False)
    return app, totals


def test_seed_counts_and_consistency(seeded):
    from ticket_api.db import database
    from ticket_api.models import Message, Ticket, TicketChange

    app, totals = seeded
    with database.connection_context():
        assert Ticket.select().count() == totals["tickets"] == 1500
        assert Message.select().count() == totals["messages"] > 0
        assert TicketChange.select().count() == totals["changes"] > 3000
        closed = Ticket.select().where(Ticket.status == "closed").count()
        rated, stars, wrong = database.execute_sql(
            "SELECT COUNT(*), COUNT(DISTINCT stars), SUM(CASE WHEN t.status <> 'closed' "
            "OR r.rated_at < t.closed_at THEN 1 ELSE 0 END) "
            "FROM rating r JOIN ticket t ON t.id = r.ticket_id"
        ).fetchone()
        assert rated == totals["ratings"] and 0.2 < rated / closed < 0.4
        assert (stars, wrong) == (5, 0)
        statuses = {s for (s,) in Ticket.select(Ticket.status).distinct().tuples()}
        categories = {c for (c,) in Ticket.select(Ticket.category).distinct().tuples()}
        assert statuses == {"open", "active", "closed"}
        assert categories == {"facility", "it", "services"}
        for ticket in Ticket.select().limit(300):
            assert (ticket.closed_at is not None) == (ticket.status == "closed")
            if ticket.closed_at:
                assert ticket.closed_at > ticket.opened_at
            assert ticket.modified_at >= ticket.opened_at
            changes = [c.field for c in TicketChange.history(ticket.id)]
            assert changes[:2] == ["status", "category"]
            assert ticket.version == 1 + changes.count("status") - 1


def test_seeded_data_feeds_every_analysis(seeded):
    app, totals = seeded
    client = app.test_client()
    helpdesk = {"X-Role": "helpdesk"}
    months = client.get("/api/stats/resolution-time", headers=helpdesk).json["months"]
    assert len(months) >= 15
    active = client.get("/api/stats/active-by-category", headers=helpdesk).json["categories"]
    assert sum(c["active"] for c in active) > 0
    unclosed = client.get("/api/stats/unclosed?since=2000-01-01", headers=helpdesk).json
    assert unclosed["count"] > 0
    rated = client.get("/api/stats/satisfaction", headers=helpdesk).json["months"]
    assert sum(sum(m["stars"]) for m in rated) == totals["ratings"] > 0


def test_new_tickets_after_seeding_get_fresh_ids_and_are_searchable(seeded):
    app, _ = seeded
    client = app.test_client()
    response = client.post(
        "/api/tickets",
        json={"title": "After seeding", "description": "The zanzibarian tap in the kitchen drips."},
    )
    assert response.status_code == 201 and response.json["id"] == 1501
    found = client.get("/api/tickets?q=zanzibarian", headers={"X-Role": "helpdesk"}).json
    assert [t["id"] for t in found["items"]] == [1501]


def test_seeded_tickets_are_in_the_search_index(seeded):
    app, _ = seeded
    client = app.test_client()
    helpdesk = {"X-Role": "helpdesk"}
    ticket = client.get("/api/tickets/700", headers=helpdesk).json
    word = max(ticket["title"].split(), key=len).strip(".,!?;:()'\"")
    opened = datetime.fromisoformat(ticket["opened_at"])
    window = {
        "q": word,
        "opened_after": opened.isoformat(),
        "opened_before": (opened + timedelta(seconds=1)).isoformat(),
        "per_page": 200,
    }
    found = client.get("/api/tickets", query_string=window, headers=helpdesk).json
    assert 700 in [t["id"] for t in found["items"]]


@pytest.mark.parametrize(
    "text, title",
    [
        ("The elevator is stuck. Please help!", "The elevator is stuck"),
        ("wifi down", "Wifi down"),
        ("ok", "Problem report"),
        ("Hi. The projector in B4 is broken", "Hi. The projector in B4 is broken"),
        ("x " * 60, "X " + "x " * 33 + "x…"),
    ],
)
def test_titles_from_text(text, title):
    assert title_of(text) == title
