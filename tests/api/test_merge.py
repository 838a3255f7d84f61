"""Merging a duplicate into the ticket kept: helpdesk only, on the duplicate's version; the
duplicate closes by the workflow's moves and names the kept ticket; its followers and its
reporter follow the kept ticket; both histories say so; racing merges have one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create
from tests.apps import serving


def merge(client, ticket: dict, into: int, version=None, headers=HELPDESK):
    body = {"into": into, "version": ticket["version"] if version is None else version}
    return client.post(f"/api/tickets/{ticket['id']}/merge", json=body, headers=headers)


def test_the_duplicate_closes_and_its_people_follow_the_kept_ticket(client):
    kept = create(client, title="Wi-Fi down in the library")
    duplicate = create(client, title="No Wi-Fi in the library", reporter_name="Ada")
    follower = client.post(f"/api/tickets/{duplicate['id']}/followers", headers=USER).json
    client.post(f"/api/tickets/{duplicate['id']}/messages", json={"body": "Since 9."})
    merged = merge(client, duplicate, kept["id"])
    assert merged.status_code == 200, merged.json
    assert merged.json["status"] == "closed" and merged.json["closed_at"] is not None
    assert merged.json["merged_into"] == kept["id"] and merged.json["reported_by"] == 1
    assert merged.json["version"] == duplicate["version"] + 1
    assert merged.headers["ETag"] == f'"{merged.json["version"]}"'
    now = client.get(f"/api/tickets/{kept['id']}", headers=HELPDESK).json
    # the kept ticket's reporter, the duplicate's reporter and the duplicate's follower
    assert now["reported_by"] == 3 and now["status"] == "open"
    assert now["version"] == kept["version"]
    assert now["merged"] == [{"id": duplicate["id"], "title": duplicate["title"]}]
    # the duplicate's reporter's link opens the kept ticket, saying which one it came from
    theirs = client.get(f"/api/follow/{duplicate['follow_token']}").json
    assert theirs["id"] == kept["id"] and theirs["merged_from"] == duplicate["id"]
    assert theirs["link_role"] == "follower" and theirs["merged"] == now["merged"]
    assert client.get(f"/api/follow/{follower['follow_token']}").json["id"] == kept["id"]
    # the messages stay under the duplicate
    thread = client.get(f"/api/tickets/{duplicate['id']}/messages", headers=HELPDESK).json
    assert [m["body"] for m in thread["items"]] == ["Since 9."]
    counts = client.get("/api/stats/status-counts", headers=HELPDESK).json
    assert counts == {"open": 1, "active": 0, "closed": 1}


def test_both_histories_record_the_merge_through_the_workflow(client):
    kept = create(client)
    duplicate = create(client)
    merge(client, duplicate, kept["id"])
    moves = client.get(f"/api/tickets/{duplicate['id']}/history", headers=HELPDESK).json["items"]
    assert [(c["field"], c["old_value"], c["new_value"]) for c in moves[2:]] == [
        ("status", "open", "active"),
        ("status", "active", "closed"),
        ("merged_into", None, str(kept["id"])),
    ]
    assert all(c["role"] == "helpdesk" for c in moves[2:])
    history = client.get(f"/api/tickets/{kept['id']}/history", headers=HELPDESK).json["items"]
    assert (history[-1]["field"], history[-1]["new_value"]) == ("merged_from", str(duplicate["id"]))


def test_an_active_duplicate_moves_once_and_merges_chain(client):
    first, second, third = create(client), create(client), create(client)
    second = advance(client, second, "active")
    assert merge(client, first, second["id"]).status_code == 200
    assert merge(client, second, third["id"]).status_code == 200
    moves = client.get(f"/api/tickets/{second['id']}/history", headers=HELPDESK).json["items"]
    assert [(c["old_value"], c["new_value"]) for c in moves if c["field"] == "status"][-1] == (
        "active",
        "closed",
    )
    now = client.get(f"/api/tickets/{third['id']}", headers=HELPDESK).json
    assert now["reported_by"] == 3 and [m["id"] for m in now["merged"]] == [second["id"]]
    assert client.get(f"/api/follow/{first['follow_token']}").json["id"] == third["id"]


def test_merge_rules(client):
    kept, duplicate, closed = create(client), create(client), create(client)
    closed = advance(client, closed, "active", "closed")
    refused = merge(client, duplicate, kept["id"], headers=USER)
    assert "helpdesk" in assert_problem(refused, 403)["detail"]
    assert "itself" in assert_problem(merge(client, duplicate, duplicate["id"]), 422)["detail"]
    assert "no ticket 999" in assert_problem(merge(client, duplicate, 999), 422)["detail"]
    into_closed = assert_problem(merge(client, duplicate, closed["id"]), 409)
    assert f"{closed['id']} is closed" in into_closed["detail"]
    from_closed = assert_problem(merge(client, closed, kept["id"]), 409)
    assert f"{closed['id']} is closed" in from_closed["detail"]
    stale = assert_problem(merge(client, duplicate, kept["id"], version=7), 409)
    assert stale["current"]["version"] == duplicate["version"]
    missing = {"id": 999, "version": 1}
    assert_problem(merge(client, missing, kept["id"]), 404)
    for body in ({"into": kept["id"]}, {"into": "2", "version": 1}, {"into": 0, "version": 1}):
        assert_problem(
            client.post(f"/api/tickets/{duplicate['id']}/merge", json=body, headers=HELPDESK),
            422,
        )
    # nothing moved
    assert client.get(f"/api/tickets/{duplicate['id']}", headers=HELPDESK).json["status"] == "open"
    assert client.get(f"/api/tickets/{kept['id']}", headers=HELPDESK).json["reported_by"] == 1


def test_a_merged_duplicate_is_no_longer_followed_or_edited(client):
    kept, duplicate = create(client), create(client)
    duplicate = merge(client, duplicate, kept["id"]).json
    assert_problem(client.post(f"/api/tickets/{duplicate['id']}/followers", headers=HELPDESK), 409)
    assert_problem(merge(client, duplicate, kept["id"]), 409)


@pytest.fixture
def server(app):
    with serving(app) as url:
        yield f"{url}/api"


def test_racing_merges_have_one_winner(server):
    def new(title):
        body = {"title": title, "description": "The projector in room 4 is broken."}
        return requests.post(f"{server}/tickets", json=body, timeout=30).json()

    duplicate = new("Projector broken")
    targets = [new(f"Projector in room 4, report {n}") for n in range(6)]

    def attempt(target):
        return requests.post(
            f"{server}/tickets/{duplicate['id']}/merge",
            json={"into": target["id"], "version": duplicate["version"]},
            headers=HELPDESK,
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(attempt, targets))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 5, statuses
    winner = next(r.json()["merged_into"] for r in responses if r.status_code == 200)
    counted = {
        t["id"]: requests.get(f"{server}/tickets/{t['id']}", timeout=30).json()["reported_by"]
        for t in targets
    }
    assert counted == {t["id"]: 2 if t["id"] == winner else 1 for t in targets}
    followed = requests.get(f"{server}/follow/{duplicate['follow_token']}", timeout=30).json()
    assert followed["id"] == winner


def test_two_tickets_merged_into_each_other_at_once_one_wins(server):
    def new(title):
        body = {"title": title, "description": "The heating in hall B is off."}
        return requests.post(f"{server}/tickets", json=body, timeout=30).json()

    first, second = new("Heating off in hall B"), new("Hall B is cold")

    def attempt(pair):
        duplicate, kept = pair
        return requests.post(
            f"{server}/tickets/{duplicate['id']}/merge",
            json={"into": kept["id"], "version": duplicate["version"]},
            headers=HELPDESK,
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(attempt, [(first, second), (second, first)]))
    assert sorted(r.status_code for r in responses) == [200, 409]
    merged = next(r.json() for r in responses if r.status_code == 200)
    kept = requests.get(f"{server}/tickets/{merged['merged_into']}", timeout=30).json()
    assert kept["status"] == "open" and kept["reported_by"] == 2 and kept["merged_into"] is None


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_one_ticket_reads_its_duplicates_by_the_index(client):
    """Almost no ticket is a duplicate, so SQLite's statistics find the column empty almost
    everywhere; looked up by a value not known in advance, it must still be read by its
    index, not by reading every ticket (a million of them: 0.45 s)."""
    from ticket_api import queries
    from ticket_api.db import database

    for _ in range(30):
        create(client)
    database.execute_sql("ANALYZE")
    plan = " ".join(
        row[-1]
        for row in database.execute_sql(f"EXPLAIN QUERY PLAN {queries.detail_sql(True)}", [1])
    )
    assert "ticket_merged_into" in plan and "SCAN" not in plan, plan
