"""Followers: "This is my problem too" gives a person their own follow link to an open or
active ticket instead of a new report; the ticket counts everyone who reported it; a
follower reads and answers through the link, only the reporter rates."""

from __future__ import annotations

import hashlib

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create
from tests.api.test_rate_limits import limited, report  # noqa: F401 - a fixture
from ticket_api.db import database


def follow(client, ticket_id: int, **headers):
    return client.post(f"/api/tickets/{ticket_id}/followers", headers={**USER, **headers})


def test_a_follower_gets_a_link_of_their_own_and_is_counted(client):
    ticket = create(client)
    assert ticket["reported_by"] == 1
    first = follow(client, ticket["id"])
    assert first.status_code == 201
    token = first.json["follow_token"]
    assert len(token) == 43 and token != ticket["follow_token"]
    assert first.json["id"] == ticket["id"] and first.json["reported_by"] == 2
    # following changes no version: nobody's edit of the ticket conflicts with it
    assert first.json["version"] == ticket["version"]
    assert follow(client, ticket["id"]).json["reported_by"] == 3
    for headers in (USER, HELPDESK):
        shown = client.get(f"/api/tickets/{ticket['id']}", headers=headers).json
        assert shown["reported_by"] == 3
    listed = client.get("/api/tickets", headers=HELPDESK).json["items"]
    assert [item["reported_by"] for item in listed] == [3]
    searched = client.get("/api/tickets?q=drops", headers=USER).json["items"]
    assert [item["reported_by"] for item in searched] == [3]
    stored = database.execute_sql(
        f"SELECT ticket_id, follow_hash FROM follower WHERE follow_hash = {database.param}",
        [hashlib.sha256(token.encode()).hexdigest()],
    ).fetchall()
    assert stored == [(ticket["id"], hashlib.sha256(token.encode()).hexdigest())]


def test_the_followers_link_opens_the_ticket_to_read_and_answer(client):
    ticket = create(client, reporter_name="Ada")
    token = follow(client, ticket["id"]).json["follow_token"]
    opened = client.get(f"/api/follow/{token}").json
    assert opened["id"] == ticket["id"] and opened["link_role"] == "follower"
    assert opened["reported_by"] == 2 and opened["merged_from"] is None
    assert client.get(f"/api/follow/{ticket['follow_token']}").json["link_role"] == "reporter"
    anonymous = client.post(f"/api/follow/{token}/messages", json={"body": "Same in B3."})
    assert anonymous.status_code == 201 and anonymous.json["author_name"] is None
    signed = client.post(
        f"/api/follow/{token}/messages", json={"body": "And B4.", "author_name": "Bea"}
    )
    assert signed.json["author_name"] == "Bea"
    thread = client.get(f"/api/follow/{ticket['follow_token']}/messages").json["items"]
    assert [m["body"] for m in thread] == ["Same in B3.", "And B4."]


def test_only_the_reporter_rates(client):
    ticket = create(client)
    token = follow(client, ticket["id"]).json["follow_token"]
    advance(client, ticket, "active", "closed")
    assert client.get(f"/api/follow/{token}").json["status"] == "closed"
    refused = client.post(f"/api/follow/{token}/rating", json={"stars": 5})
    assert "reported" in assert_problem(refused, 403)["detail"]
    assert client.get(f"/api/follow/{token}").json["rating"] is None
    rated = client.post(f"/api/follow/{ticket['follow_token']}/rating", json={"stars": 4})
    assert rated.status_code == 201


def test_only_open_and_active_tickets_can_be_followed(client):
    ticket = create(client)
    advance(client, ticket, "active")
    assert follow(client, ticket["id"]).status_code == 201
    advance(client, client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json, "closed")
    # closed tickets do not exist for simple users; the helpdesk is told why
    assert_problem(follow(client, ticket["id"]), 404)
    refused = follow(client, ticket["id"], **HELPDESK)
    assert "closed" in assert_problem(refused, 409)["detail"]
    assert client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json["reported_by"] == 2
    assert_problem(follow(client, 999), 404)
    assert_problem(follow(client, 2**63), 404)


def test_deleting_a_ticket_deletes_its_followers(client):
    ticket = create(client)
    token = follow(client, ticket["id"]).json["follow_token"]
    assert client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK).status_code == 204
    assert_problem(client.get(f"/api/follow/{token}"), 404)
    assert database.execute_sql("SELECT COUNT(*) FROM follower").fetchone()[0] == 0


def test_following_counts_in_the_rate_limit_of_new_reports(limited):  # noqa: F811
    client, clock = limited
    ticket = report(client).json
    address = {"X-Forwarded-For": "10.0.0.9"}
    assert [follow(client, ticket["id"], **address).status_code for _ in range(2)] == [201, 201]
    # the report and two follows make the three a minute of this client
    refused = follow(client, ticket["id"], **address)
    assert assert_problem(refused, 429)["retry_after"] == 60
    assert follow(client, ticket["id"], **{"X-Forwarded-For": "10.0.0.10"}).status_code == 201
    clock.now += 60
    assert follow(client, ticket["id"], **address).status_code == 201


def test_fifty_people_with_the_same_problem_make_one_ticket_with_fifty_followers(app):
    """Fifty "This is my problem too" at once, over real HTTP: one ticket, fifty followers,
    each with a link of their own that opens it."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    from tests.apps import serving

    with serving(app) as url:
        api = f"{url}/api"
        ticket = requests.post(
            f"{api}/tickets",
            json={"title": "Wi-Fi down in building C", "description": "No network at all."},
            headers=USER,
            timeout=30,
        ).json()

        def me_too(_n):
            return requests.post(f"{api}/tickets/{ticket['id']}/followers", timeout=30)

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(me_too, range(50)))
        assert [a.status_code for a in answers] == [201] * 50
        tokens = {a.json()["follow_token"] for a in answers}
        assert len(tokens) == 50 and ticket["follow_token"] not in tokens
        shown = requests.get(f"{api}/tickets/{ticket['id']}", headers=USER, timeout=30).json()
        assert shown["reported_by"] == 51
        listed = requests.get(f"{api}/tickets", headers=USER, timeout=30).json()
        assert listed["total"] == 1 and listed["items"][0]["reported_by"] == 51
        for token in list(tokens)[:5]:
            opened = requests.get(f"{api}/follow/{token}", timeout=30).json()
            assert opened["id"] == ticket["id"] and opened["link_role"] == "follower"
