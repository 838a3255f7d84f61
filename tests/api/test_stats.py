"""Aggregates answered by the database: status counts, unclosed, resolution time, by category."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create

UTC = timezone.utc


def put(status, opened, closed=None, category="it"):
    """A ticket placed directly in the database at a given time."""
    from ticket_api.db import database
    from ticket_api.models import Ticket

    database.connect(reuse_if_open=True)
    return Ticket.create(
        title="Placed ticket",
        description="placed",
        status=status,
        category=category,
        category_confidence=0.9,
        opened_at=opened,
        modified_at=closed or opened,
        closed_at=closed,
    )


@pytest.fixture
def db(app):
    from ticket_api.db import database

    database.connect(reuse_if_open=True)  # requests made meanwhile return it to the pool
    yield


def test_status_counts_by_role(client):
    tickets = [create(client) for _ in range(4)]
    advance(client, tickets[0], "active")
    advance(client, tickets[1], "active", "closed")
    assert client.get("/api/stats/status-counts", headers=HELPDESK).json == {
        "open": 2,
        "active": 1,
        "closed": 1,
    }
    assert client.get("/api/stats/status-counts", headers=USER).json == {
        "open": 2,
        "active": 1,
        "closed": 0,
    }


def test_unclosed_counts_open_and_active_since(client, db):
    now = datetime.now(UTC).replace(microsecond=0)
    put("open", now - timedelta(hours=1))
    put("active", now - timedelta(hours=5))
    put("closed", now - timedelta(hours=2), now - timedelta(hours=1))
    put("open", now - timedelta(days=3))
    since = (now - timedelta(hours=6)).isoformat()
    body = client.get("/api/stats/unclosed", query_string={"since": since}, headers=HELPDESK).json
    assert body == {"count": 2, "since": since, "until": None}
    earlier = (now - timedelta(days=4)).isoformat()
    both = client.get(
        "/api/stats/unclosed", query_string={"since": since, "previous": earlier}
    ).json
    assert both["previous"] == {"count": 1, "since": earlier, "until": since}
    edge = (now - timedelta(hours=5)).isoformat()  # the start of the window is included
    assert client.get("/api/stats/unclosed", query_string={"since": edge}).json["count"] == 2
    assert_problem(client.get("/api/stats/unclosed"), 400)
    assert_problem(client.get("/api/stats/unclosed?since=soon"), 400)


def test_resolution_time_by_campus_month(client, db):
    # 22:30 UTC on 31 March is already 1 April in Rome (UTC+2): it counts for April.
    put(
        "closed", datetime(2026, 3, 31, 22, 30, tzinfo=UTC), datetime(2026, 4, 1, 4, 30, tzinfo=UTC)
    )
    put("closed", datetime(2026, 4, 10, 8, tzinfo=UTC), datetime(2026, 4, 10, 20, tzinfo=UTC))
    put("closed", datetime(2026, 3, 5, 8, tzinfo=UTC), datetime(2026, 3, 5, 9, tzinfo=UTC))
    put("closed", datetime(2026, 1, 5, 8, tzinfo=UTC), datetime(2026, 1, 7, 8, tzinfo=UTC))
    put("active", datetime(2026, 2, 5, 8, tzinfo=UTC))
    body = client.get("/api/stats/resolution-time", headers=HELPDESK).json
    assert body["time_zone"] == "Europe/Rome"
    assert body["months"] == [
        {"month": "2026-01", "average_hours": 48.0, "closed_tickets": 1},
        {"month": "2026-03", "average_hours": 1.0, "closed_tickets": 1},
        {"month": "2026-04", "average_hours": 9.0, "closed_tickets": 2},
    ]
    ranged = client.get(
        "/api/stats/resolution-time?from_month=2026-02&to_month=2026-03", headers=HELPDESK
    ).json
    assert [m["month"] for m in ranged["months"]] == ["2026-03"]


def test_resolution_time_rules(client):
    assert client.get("/api/stats/resolution-time", headers=HELPDESK).json["months"] == []
    assert_problem(client.get("/api/stats/resolution-time", headers=USER), 403)
    assert_problem(
        client.get("/api/stats/resolution-time?from_month=2026-13", headers=HELPDESK), 400
    )
    empty = client.get(
        "/api/stats/resolution-time?from_month=2026-05&to_month=2026-01", headers=HELPDESK
    ).json
    assert empty["months"] == []


def test_active_by_category_lists_all_three(client, db):
    put("active", datetime.now(UTC), category="facility")
    put("active", datetime.now(UTC), category="facility")
    put("open", datetime.now(UTC), category="it")
    body = client.get("/api/stats/active-by-category", headers=HELPDESK).json
    assert body == {
        "categories": [
            {"category": "facility", "label": "Facility management", "active": 2},
            {"category": "it", "label": "Technical IT", "active": 0},
            {"category": "services", "label": "Services complaints", "active": 0},
        ]
    }


def test_resolution_time_follows_closing_and_deleting(client):
    ticket = advance(client, create(client), "active", "closed")
    months = client.get("/api/stats/resolution-time", headers=HELPDESK).json["months"]
    assert [m["closed_tickets"] for m in months] == [1]
    client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert client.get("/api/stats/resolution-time", headers=HELPDESK).json["months"] == []


@pytest.mark.parametrize(
    "zone", ["Europe/Rome", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "UTC"]
)
def test_resolution_time_matches_direct_computation(settings, zone):
    """Random closed tickets over two years, grouped by campus month in Python, must give
    exactly what the database answers, in zones with half- and quarter-hour offsets too."""
    import random
    from collections import defaultdict
    from zoneinfo import ZoneInfo

    from tests.apps import make_api

    app = make_api(settings.with_changes(time_zone=zone), testing=True)
    rng = random.Random(zone)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    sums = defaultdict(lambda: [0, 0])
    for _ in range(400):
        opened = start + timedelta(seconds=rng.randrange(0, 730 * 86400))
        closed = opened + timedelta(seconds=rng.randrange(60, 30 * 86400))
        put("closed", opened, closed)
        month = opened.astimezone(ZoneInfo(zone)).strftime("%Y-%m")
        sums[month][0] += 1
        sums[month][1] += int((closed - opened).total_seconds())
    expected = [
        {"month": m, "average_hours": s / n / 3600, "closed_tickets": n}
        for m, (n, s) in sorted(sums.items())
    ]
    body = app.test_client().get("/api/stats/resolution-time", headers=HELPDESK).json
    assert body["time_zone"] == zone
    assert [(m["month"], m["closed_tickets"]) for m in body["months"]] == [
        (m["month"], m["closed_tickets"]) for m in expected
    ]
    for got, want in zip(body["months"], expected):
        assert got["average_hours"] == pytest.approx(want["average_hours"], rel=1e-12)


def test_unclosed_by_age_takes_default_or_given_edges(client, db):
    now = datetime.now(UTC)
    put("open", now)
    put("active", now - timedelta(days=10))
    body = client.get("/api/stats/unclosed-by-age", headers=HELPDESK).json
    assert [b["unclosed"] for b in body["buckets"]] == [1, 0, 0, 1, 0, 0]
    body = client.get("/api/stats/unclosed-by-age?edges=5", headers=HELPDESK).json
    assert [(b["min_age_days"], b["max_age_days"], b["unclosed"]) for b in body["buckets"]] == [
        (0, 5, 1),
        (5, None, 1),
    ]
    assert_problem(client.get("/api/stats/unclosed-by-age?edges=5,3", headers=HELPDESK), 400)
    assert_problem(client.get("/api/stats/unclosed-by-age", headers=USER), 403)


def test_satisfaction_follows_each_rating_and_each_deletion(client):
    from ticket_api import rollups
    from ticket_api.db import database

    def rated():
        months = client.get("/api/stats/satisfaction", headers=HELPDESK).json["months"]
        return [m["stars"] for m in months if m["rated"]]

    made = client.post(
        "/api/tickets", json={"title": "Lift stuck", "description": "Stuck."}, headers=USER
    ).json
    ticket = advance(client, made, "active", "closed")
    assert rated() == []
    assert (
        client.post(f"/api/follow/{made['follow_token']}/rating", json={"stars": 4}).status_code
        == 201
    )
    assert rated() == [[0, 0, 0, 1, 0]]
    assert rollups.check(database.obj) == []
    deleted = client.delete(
        f"/api/tickets/{ticket['id']}", headers={**HELPDESK, "If-Match": f'"{ticket["version"]}"'}
    )
    assert deleted.status_code == 204
    assert rated() == [] and rollups.check(database.obj) == []
