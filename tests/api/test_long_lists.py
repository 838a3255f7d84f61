"""Long lists say they are cut: a long thread pages with has_more and next_after_id."""

from __future__ import annotations

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create, patch

THREAD = 250


def add_messages(app, ticket_id: int, count: int, first: int = 0) -> None:
    """Store count messages under a ticket at once (as the API would, in a write transaction)."""
    from ticket_api.db import database, write_transaction
    from ticket_api.models import Message
    from ticket_api.timefields import utcnow

    now = utcnow()
    rows = [
        {
            "ticket": ticket_id,
            "body": f"message {n}",
            "author_role": ("user", "helpdesk")[n % 2],
            "author_name": None,
            "created_at": now,
        }
        for n in range(first, first + count)
    ]
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            with write_transaction():
                for start in range(0, len(rows), 100):
                    Message.insert_many(rows[start : start + 100]).execute()
        finally:
            database.close()


def long_thread(client, app) -> dict:
    """A ticket with THREAD messages, another ticket's messages stored in between."""
    ticket, other = create(client), create(client)
    add_messages(app, ticket["id"], 120)
    add_messages(app, other["id"], 30)
    add_messages(app, ticket["id"], THREAD - 120, first=120)
    return ticket


def url(ticket: dict, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/tickets/{ticket['id']}/messages" + (f"?{query}" if query else "")


def read_all(client, ticket: dict, headers=USER, **params) -> tuple[list[dict], int]:
    """Follow next_after_id until has_more is false: every message and the requests made."""
    items, requests, after = [], 0, 0
    while True:
        body = client.get(url(ticket, after_id=after, **params), headers=headers).json
        requests += 1
        items += body["items"]
        if not body["has_more"]:
            assert body["next_after_id"] is None
            return items, requests
        assert body["next_after_id"] == body["items"][-1]["id"]
        after = body["next_after_id"]
        assert requests <= THREAD


def test_default_limit_says_more_follow_and_where(client, app):
    ticket = long_thread(client, app)
    body = client.get(url(ticket)).json
    assert len(body["items"]) == 200 and body["has_more"] is True
    assert body["next_after_id"] == body["items"][-1]["id"]
    assert [m["body"] for m in body["items"]] == [f"message {n}" for n in range(200)]
    rest = client.get(url(ticket, after_id=body["next_after_id"])).json
    assert [m["body"] for m in rest["items"]] == [f"message {n}" for n in range(200, THREAD)]
    assert rest["has_more"] is False and rest["next_after_id"] is None


def test_following_the_cursor_gives_every_message_once_in_order(client, app):
    ticket = long_thread(client, app)
    for headers in (USER, HELPDESK):
        items, requests = read_all(client, ticket, headers)
        assert requests == 2
        assert [m["body"] for m in items] == [f"message {n}" for n in range(THREAD)]
        assert len({m["id"] for m in items}) == THREAD
        assert [m["id"] for m in items] == sorted(m["id"] for m in items)
        assert {m["ticket_id"] for m in items} == {ticket["id"]}


def test_one_message_per_page(client, app):
    ticket = long_thread(client, app)
    items, requests = read_all(client, ticket, limit=1)
    assert requests == THREAD
    assert [m["body"] for m in items] == [f"message {n}" for n in range(THREAD)]
    largest = client.get(url(ticket, limit=500)).json
    assert len(largest["items"]) == THREAD and largest["has_more"] is False


def test_an_exact_fit_and_the_end_of_the_thread_say_nothing_more(client, app):
    ticket = create(client)
    add_messages(app, ticket["id"], 3)
    exact = client.get(url(ticket, limit=3)).json
    assert len(exact["items"]) == 3 and exact["has_more"] is False
    assert exact["next_after_id"] is None
    last = exact["items"][-1]["id"]
    after_last = client.get(url(ticket, after_id=last)).json
    assert after_last == {"items": [], "has_more": False, "next_after_id": None}
    empty = client.get(url(create(client))).json
    assert empty == {"items": [], "has_more": False, "next_after_id": None}


def test_polling_after_the_last_page_finds_new_messages(client, app):
    ticket = long_thread(client, app)
    items, _ = read_all(client, ticket)
    posted = client.post(url(ticket), json={"body": "one more"}, headers=HELPDESK).json
    polled = client.get(url(ticket, after_id=items[-1]["id"])).json
    assert [m["id"] for m in polled["items"]] == [posted["id"]]
    assert polled["has_more"] is False and polled["next_after_id"] is None


def test_role_rules_are_unchanged_for_long_threads(client, app):
    ticket = long_thread(client, app)
    closed = advance(client, ticket, "active", "closed")
    assert_problem(client.get(url(closed), headers=USER), 404)
    assert_problem(client.get(url(closed, after_id=1), headers=USER), 404)
    body = client.get(url(closed), headers=HELPDESK).json
    assert len(body["items"]) == 200 and body["has_more"] is True
    assert_problem(client.get(url({"id": 424242}), headers=HELPDESK), 404)
    assert_problem(client.get(url(ticket, limit=0)), 400)
    assert_problem(client.get(url(ticket, limit=501)), 400)


def test_history_is_never_cut(client):
    ticket = create(client)
    for n in range(30):
        response = patch(client, ticket, headers=USER, title=f"The Wi-Fi drops, take {n}")
        assert response.status_code == 200, response.json
        ticket = response.json
    items = client.get(f"/api/tickets/{ticket['id']}/history").json["items"]
    titles = [item for item in items if item["field"] == "title"]
    assert len(titles) == 30 and titles[-1]["new_value"] == "The Wi-Fi drops, take 29"


def test_the_contract_documents_the_cursor(client):
    doc = client.get("/api/openapi.json").json
    operation = doc["paths"]["/api/tickets/{ticket_id}/messages"]["get"]
    assert "next_after_id" in operation["description"]
    listed = doc["components"]["schemas"]["MessageList"]
    assert set(listed["required"]) >= {"items", "has_more", "next_after_id"}
    assert "after_id" in listed["properties"]["next_after_id"]["description"]
