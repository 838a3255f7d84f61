"""The change history: who changed which field from what to what, and when."""

from __future__ import annotations

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create, patch


def test_history_records_every_change(client):
    ticket = create(client, headers={**USER, "X-User-Name": "Anna"})
    ticket = patch(
        client, ticket, headers={**USER, "X-User-Name": "Anna"}, title="Wi-Fi down in B2.14"
    ).json
    ticket = patch(
        client, ticket, headers={**HELPDESK, "X-User-Name": "Marco"}, category="facility"
    ).json
    advance(client, ticket, "active", "closed")
    items = client.get(f"/api/tickets/{ticket['id']}/history", headers=HELPDESK).json["items"]
    rows = [(i["role"], i["name"], i["field"], i["old_value"], i["new_value"]) for i in items]
    assert rows == [
        ("user", "Anna", "status", None, "open"),
        ("user", "Anna", "category", None, "it"),
        ("user", "Anna", "title", "The Wi-Fi drops in room B2.14", "Wi-Fi down in B2.14"),
        ("helpdesk", "Marco", "category", "it", "facility"),
        ("helpdesk", None, "status", "open", "active"),
        ("helpdesk", None, "status", "active", "closed"),
    ]
    assert all(i["at"].endswith("+00:00") for i in items)


def test_history_of_closed_ticket_is_hidden_from_users(client):
    closed = advance(client, create(client), "active", "closed")
    assert_problem(client.get(f"/api/tickets/{closed['id']}/history", headers=USER), 404)
