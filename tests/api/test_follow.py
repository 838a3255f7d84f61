"""Private follow links: the token comes once with the new ticket, opens it whatever its
status, lets its reporter read and answer the conversation, and is stored only as a hash."""

from __future__ import annotations

import hashlib

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create
from ticket_api.db import database


def report(client, **fields) -> dict:
    response = client.post(
        "/api/tickets",
        json={"title": "Lift stuck", "description": "The lift in C is stuck.", **fields},
        headers=USER,
    )
    assert response.status_code == 201
    return response.get_json()


def test_the_token_comes_once_and_only_its_hash_is_kept(client):
    ticket = report(client)
    token = ticket["follow_token"]
    assert len(token) == 43
    assert "follow_token" not in client.get(f"/api/tickets/{ticket['id']}", headers=USER).json
    listed = client.get("/api/tickets", headers=HELPDESK).json["items"]
    assert all("follow_token" not in item and "follow_hash" not in item for item in listed)
    stored = database.execute_sql(
        f"SELECT follow_hash FROM ticket WHERE id = {database.param}", [ticket["id"]]
    ).fetchone()[0]
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert report(client)["follow_token"] != token


def test_the_link_opens_the_ticket_whatever_its_status(client):
    ticket = report(client, reporter_name="Ada")
    token = ticket["follow_token"]
    opened = client.get(f"/api/follow/{token}")
    assert opened.status_code == 200 and opened.headers["ETag"] == '"1"'
    assert opened.json["id"] == ticket["id"] and opened.json["status"] == "open"
    assert opened.json["last_message_id"] is None
    advance(client, ticket, "active", "closed")
    # closed tickets no longer exist for simple users, but their reporter sees how it ended
    assert_problem(client.get(f"/api/tickets/{ticket['id']}", headers=USER), 404)
    ended = client.get(f"/api/follow/{token}").json
    assert ended["status"] == "closed" and ended["closed_at"] is not None


def test_the_reporter_reads_and_answers_the_conversation(client):
    ticket = report(client, reporter_name="Ada")
    token = ticket["follow_token"]
    mine = client.post(f"/api/follow/{token}/messages", json={"body": "Still stuck."})
    assert mine.status_code == 201
    assert mine.json["author_role"] == "user" and mine.json["author_name"] == "Ada"
    assert mine.headers["Location"].endswith(
        f"/api/follow/{token}/messages?after_id={mine.json['id'] - 1}"
    )
    signed = client.post(
        f"/api/follow/{token}/messages", json={"body": "My friend too.", "author_name": "Bea"}
    )
    assert signed.json["author_name"] == "Bea"
    theirs = client.post(
        f"/api/tickets/{ticket['id']}/messages", json={"body": "On our way."}, headers=HELPDESK
    ).json
    followed = client.get(f"/api/follow/{token}").json
    assert followed["last_message_id"] == theirs["id"]
    assert followed["last_helpdesk_message_id"] == theirs["id"]
    assert followed["first_response_at"] is not None
    thread = client.get(f"/api/follow/{token}/messages").json
    assert [m["body"] for m in thread["items"]] == ["Still stuck.", "My friend too.", "On our way."]
    assert thread["has_more"] is False
    page = client.get(f"/api/follow/{token}/messages?limit=2").json
    assert page["has_more"] is True and page["next_after_id"] == page["items"][-1]["id"]
    newer = client.get(f"/api/follow/{token}/messages?after_id={mine.json['id']}").json
    assert [m["body"] for m in newer["items"]] == ["My friend too.", "On our way."]


def test_no_answers_once_closed(client):
    ticket = report(client)
    advance(client, ticket, "active", "closed")
    refused = client.post(f"/api/follow/{ticket['follow_token']}/messages", json={"body": "Hi"})
    assert "closed" in assert_problem(refused, 409)["detail"]


def test_a_wrong_link_opens_nothing(client):
    ticket = report(client)
    token = ticket["follow_token"]
    wrong = (
        "x",
        token[:-1],
        token + "A",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "%00" * 43,
    )
    for other in wrong:
        for path in (f"/api/follow/{other}", f"/api/follow/{other}/messages"):
            problem = assert_problem(client.get(path), 404)
            assert "follow link" in problem["detail"]
        assert_problem(client.post(f"/api/follow/{other}/messages", json={"body": "x"}), 404)
    client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert_problem(client.get(f"/api/follow/{token}"), 404)


def test_tickets_reported_before_follow_links_have_none(client):
    ticket = create(client)
    database.execute_sql(
        f"UPDATE ticket SET follow_hash = NULL WHERE id = {database.param}", [ticket["id"]]
    )
    assert_problem(client.get(f"/api/follow/{ticket['follow_token']}"), 404)


def test_answers_through_the_link_are_validated(client):
    token = report(client)["follow_token"]
    assert_problem(client.post(f"/api/follow/{token}/messages", json={"body": ""}), 422)
    assert_problem(client.post(f"/api/follow/{token}/messages", json=["x"]), 422)


def test_the_follow_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert set(paths["/api/follow/{token}"]) == {"get"}
    assert set(paths["/api/follow/{token}/messages"]) == {"get", "post"}
    assert set(paths["/api/follow/{token}/rating"]) == {"post"}
    created = paths["/api/tickets"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["$ref"].endswith("/TicketCreated")


def test_the_reporter_rates_a_closed_ticket_once(client):
    ticket = report(client)
    token = ticket["follow_token"]
    early = client.post(f"/api/follow/{token}/rating", json={"stars": 5})
    assert "once it is closed" in assert_problem(early, 409)["detail"]
    advance(client, ticket, "active", "closed")
    assert client.get(f"/api/follow/{token}").json["rating"] is None
    rated = client.post(
        f"/api/follow/{token}/rating", json={"stars": 4, "comment": "  Fixed fast, thanks.  "}
    )
    assert rated.status_code == 201
    assert rated.json["stars"] == 4 and rated.json["comment"] == "Fixed fast, thanks."
    shown = client.get(f"/api/follow/{token}").json["rating"]
    assert shown == rated.json
    again = client.post(f"/api/follow/{token}/rating", json={"stars": 1})
    assert "already been rated" in assert_problem(again, 409)["detail"]
    assert client.get(f"/api/follow/{token}").json["rating"]["stars"] == 4


def test_bad_ratings_are_refused(client):
    ticket = report(client)
    advance(client, ticket, "active", "closed")
    token = ticket["follow_token"]
    for body in (
        {"stars": 0},
        {"stars": 6},
        {"stars": "5"},
        {},
        {"stars": 3, "comment": "x" * 1001},
    ):
        assert_problem(client.post(f"/api/follow/{token}/rating", json=body), 422)
    assert_problem(client.post(f"/api/follow/{'A' * 43}/rating", json={"stars": 3}), 404)
    assert client.get(f"/api/follow/{token}").json["rating"] is None


def test_my_reports_asks_for_all_its_links_in_one_request(client):
    first = report(client)
    second = report(client, title="Printer jam")
    follower = client.post(f"/api/tickets/{second['id']}/followers").json["follow_token"]
    advance(client, first, "active", "closed")  # closed: still opened by its link
    unknown, malformed = "Z" * 43, "not-a-token"
    asked = [first["follow_token"], follower, unknown, malformed, first["follow_token"]]
    answer = client.post("/api/follow", json={"tokens": asked})
    assert answer.status_code == 200, answer.json
    tickets = answer.json["tickets"]
    assert set(tickets) == {first["follow_token"], follower}
    assert tickets[first["follow_token"]]["status"] == "closed"
    assert tickets[first["follow_token"]]["link_role"] == "reporter"
    assert tickets[follower]["id"] == second["id"] and tickets[follower]["link_role"] == "follower"
    one = client.get(f"/api/follow/{follower}").json
    assert tickets[follower] == one
    assert_problem(client.post("/api/follow", json={"tokens": []}), 422)
    assert_problem(client.post("/api/follow", json={"tokens": [unknown] * 21}), 422)
    assert_problem(client.post("/api/follow", json={}), 422)
