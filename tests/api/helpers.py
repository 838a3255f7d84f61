"""Small helpers for talking to the API as each role."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

USER = {"X-Role": "user"}
HELPDESK = {"X-Role": "helpdesk"}
PROBLEM = "application/problem+json"


def create(
    client,
    title="The Wi-Fi drops in room B2.14",
    description="Every few minutes the Wi-Fi disconnects and I lose my work.",
    headers=None,
    **fields,
) -> dict:
    """Create a ticket as a simple user and return it."""
    response = client.post(
        "/api/tickets",
        json={"title": title, "description": description, **fields},
        headers=headers or USER,
    )
    assert response.status_code == 201, response.json
    return response.json


def patch(client, ticket: dict, headers=HELPDESK, version=None, **fields):
    """PATCH a ticket with If-Match set to its known version."""
    version = ticket["version"] if version is None else version
    return client.patch(
        f"/api/tickets/{ticket['id']}", json=fields, headers={**headers, "If-Match": f'"{version}"'}
    )


def advance(client, ticket: dict, *statuses: str) -> dict:
    """Move a ticket through statuses as the helpdesk; returns the ticket after."""
    for status in statuses:
        response = patch(client, ticket, status=status)
        assert response.status_code == 200, response.json
        ticket = response.json
    return ticket


def assert_problem(response, status: int) -> dict:
    """The response is a problem document with this status; returns it."""
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    return body


class TickingClock:
    """A clock for the API (``ticket_api.workflow.utcnow``): one second later at every call,
    from the same instant in every run, so that every change has its own time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now
