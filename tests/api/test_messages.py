"""Messages under a ticket: both roles, oldest first, polling with after_id."""

from __future__ import annotations

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create


def post(client, ticket, body, headers=USER, **extra):
    return client.post(
        f"/api/tickets/{ticket['id']}/messages", json={"body": body, **extra}, headers=headers
    )


def test_both_roles_exchange_messages_oldest_first(client):
    ticket = create(client)
    first = post(client, ticket, "Still broken", headers={**USER, "X-User-Name": "Anna"})
    assert first.status_code == 201 and first.headers["Location"]
    second = post(client, ticket, "  We are on it  ", headers=HELPDESK, author_name="Marco")
    items = client.get(f"/api/tickets/{ticket['id']}/messages").json["items"]
    assert [(m["body"], m["author_role"], m["author_name"]) for m in items] == [
        ("Still broken", "user", "Anna"),
        ("We are on it", "helpdesk", "Marco"),
    ]
    assert items[1]["id"] == second.json["id"] and items[0]["ticket_id"] == ticket["id"]


def test_after_id_returns_only_newer_messages(client):
    ticket = create(client)
    ids = [post(client, ticket, f"message {n}").json["id"] for n in range(3)]
    url = f"/api/tickets/{ticket['id']}/messages"
    assert [m["id"] for m in client.get(f"{url}?after_id={ids[0]}").json["items"]] == ids[1:]
    assert client.get(f"{url}?after_id={ids[-1]}").json["items"] == []
    assert [m["id"] for m in client.get(f"{url}?limit=2").json["items"]] == ids[:2]
    assert_problem(client.get(f"{url}?after_id=-1"), 400)
    assert_problem(client.get(f"{url}?after_id=abc"), 400)


def test_message_updates_modified_at_but_not_version(client):
    ticket = create(client)
    post(client, ticket, "hello")
    after = client.get(f"/api/tickets/{ticket['id']}").json
    assert after["version"] == 1 and after["modified_at"] >= ticket["modified_at"]


def test_no_messages_on_closed_tickets(client):
    closed = advance(client, create(client), "active", "closed")
    assert_problem(post(client, closed, "Reopen please", headers=HELPDESK), 409)
    assert_problem(post(client, closed, "Reopen please", headers=USER), 404)
    assert_problem(client.get(f"/api/tickets/{closed['id']}/messages", headers=USER), 404)


def test_message_validation(client):
    ticket = create(client)
    body = assert_problem(post(client, ticket, "   "), 422)
    assert body["errors"][0]["field"] == "body"
    assert_problem(post(client, ticket, "x" * 5001), 422)
    assert post(client, ticket, "x" * 5000).status_code == 201
    assert_problem(post(client, ticket, "hi", author_name="n" * 81), 422)
    assert_problem(post(client, {"id": 424242}, "hi"), 404)
