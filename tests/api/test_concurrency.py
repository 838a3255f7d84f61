"""Concurrent writers through a real threaded server: exactly one edit wins, none is lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.apps import serving


@pytest.fixture
def server(app):
    with serving(app) as url:
        yield f"{url}/api"


def test_same_version_edits_one_wins_others_conflict(server):
    ticket = requests.post(
        f"{server}/tickets",
        json={"title": "Door lock broken", "description": "The lock of room 12 is broken."},
    ).json()

    def edit(n):
        return requests.patch(
            f"{server}/tickets/{ticket['id']}",
            json={"title": f"Edit {n}"},
            headers={"If-Match": '"1"'},
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(edit, range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1 and statuses.count(409) == 7, statuses
    winner = next(r.json() for r in responses if r.status_code == 200)
    current = requests.get(f"{server}/tickets/{ticket['id']}").json()
    assert current["title"] == winner["title"] and current["version"] == 2


def test_concurrent_messages_are_all_kept(server):
    ticket = requests.post(
        f"{server}/tickets",
        json={"title": "Heating off", "description": "No heating in the library."},
    ).json()

    def send(n):
        return requests.post(
            f"{server}/tickets/{ticket['id']}/messages", json={"body": f"message {n}"}, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(send, range(40))) == {201}
    items = requests.get(f"{server}/tickets/{ticket['id']}/messages").json()["items"]
    assert sorted(m["body"] for m in items) == sorted(f"message {n}" for n in range(40))


def test_retry_with_fresh_version_after_conflict_succeeds(server):
    url = f"{server}/tickets"
    ticket = requests.post(
        url, json={"title": "Broken chair", "description": "Chair in 3.1"}
    ).json()
    requests.patch(f"{url}/{ticket['id']}", json={"location": "3.1"}, headers={"If-Match": "1"})
    stale = requests.patch(
        f"{url}/{ticket['id']}", json={"title": "Two chairs"}, headers={"If-Match": "1"}
    )
    assert stale.status_code == 409
    current = stale.json()["current"]
    retry = requests.patch(
        f"{url}/{ticket['id']}",
        json={"title": "Two chairs"},
        headers={"If-Match": str(current["version"])},
    )
    assert retry.status_code == 200 and retry.json()["location"] == "3.1"
