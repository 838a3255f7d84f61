"""The API's /metrics: outside /api, with its requests, the tickets and messages it created
and the classifier's timing."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.api.helpers import HELPDESK, USER


def value(name: str, labels: dict | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_the_api_counts_created_tickets_and_messages(client):
    tickets = value("campusdesk_tickets_created_total")
    messages = value("campusdesk_messages_created_total")
    notes = value("campusdesk_notes_created_total")
    classified = value("campusdesk_classifier_duration_seconds_count")
    created = {"process": "api", "route": "/api/tickets", "status": "201"}
    requests_before = value("campusdesk_http_requests_total", created)

    ticket = client.post(
        "/api/tickets",
        json={"title": "Printer jam", "description": "The library printer jams."},
        headers=USER,
    )
    assert ticket.status_code == 201, ticket.text
    message = client.post(
        f"/api/tickets/{ticket.json['id']}/messages", json={"body": "Still jammed."}, headers=USER
    )
    assert message.status_code == 201, message.text
    note = client.post(
        f"/api/tickets/{ticket.json['id']}/notes", json={"body": "Toner ordered."}, headers=HELPDESK
    )
    assert note.status_code == 201, note.text

    assert value("campusdesk_tickets_created_total") == tickets + 1
    assert value("campusdesk_messages_created_total") == messages + 1
    assert value("campusdesk_notes_created_total") == notes + 1
    assert value("campusdesk_classifier_duration_seconds_count") >= classified + 1
    assert value("campusdesk_http_requests_total", created) == requests_before + 1
    scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.mimetype == "text/plain"
    assert "campusdesk_tickets_created_total" in scraped.get_data(as_text=True)
    assert client.get("/api/metrics").status_code == 404
