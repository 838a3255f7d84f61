"""The answers of the hot reads that each API process keeps (ticket_api.readcache): served
again while nothing changed, and never once the data changed, whoever changed it: the same
process, another worker of the same gunicorn, or another program on its own connection
(SQLite sees it at once; PostgreSQL when its notice arrives, moments after the commit)."""

from __future__ import annotations

import sqlite3
import time

import psycopg2
import pytest
import requests
from prometheus_client import REGISTRY

from kit.settings import Settings, SettingsError
from tests.api.helpers import HELPDESK, USER, advance, create, patch
from tests.api.test_crash import running_api
from tests.apps import make_api
from ticket_api.readcache import EXTENSION, Answers, PostgresChanges

LIST = "/api/tickets?per_page=50&status=open,active"


def answered(result: str) -> float:
    """How many answers of the hot reads this process served from memory ("hit") or read
    from the database ("miss")."""
    value = REGISTRY.get_sample_value("campusdesk_read_cache_answers_total", {"result": result})
    return value or 0.0


def external_change(settings: Settings, statement: str, params: tuple) -> None:
    """A change committed by another program on a connection of its own."""
    if settings.database_url:
        conn = psycopg2.connect(settings.database_url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(statement.replace("?", "%s"), params)
        conn.close()
        return
    conn = sqlite3.connect(settings.data_dir / "campusdesk.sqlite3")
    with conn:
        conn.execute(statement, params)
    conn.close()


def until(condition, within: float = 10.0):
    """condition() once it is true, polled without a fixed sleep; fails after ``within``."""
    deadline = time.monotonic() + within
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            assert value, "not within the time allowed"
            return value


def test_an_answer_is_served_again_until_the_data_changes(client):
    ticket = create(client)
    url = f"/api/tickets/{ticket['id']}"
    first = client.get(url, headers=HELPDESK)
    hits = answered("hit")
    again = client.get(url, headers=HELPDESK)
    assert answered("hit") == hits + 1
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == "application/json"
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    listed = client.get(LIST, headers=HELPDESK).json
    assert [item["title"] for item in listed["items"]] == [ticket["title"]]

    changed = patch(client, first.json, title="The Wi-Fi drops in room B2.15")
    assert changed.status_code == 200
    now = client.get(url, headers=HELPDESK)
    assert now.json["title"] == "The Wi-Fi drops in room B2.15"
    assert now.headers["ETag"] == f'"{ticket["version"] + 1}"'
    listed = client.get(LIST, headers=HELPDESK).json
    assert [item["title"] for item in listed["items"]] == ["The Wi-Fi drops in room B2.15"]
    # a message changes no ticket field shown here, yet any change drops every answer
    misses = answered("miss")
    client.post(f"{url}/messages", json={"body": "Still down."}, headers=USER)
    client.get(url, headers=HELPDESK)
    assert answered("miss") == misses + 1


def test_a_change_by_another_program_is_seen(settings, client):
    ticket = create(client)
    url = f"/api/tickets/{ticket['id']}"
    for _ in range(2):
        assert client.get(url, headers=HELPDESK).json["title"] == ticket["title"]
        assert client.get(LIST, headers=HELPDESK).json["total"] == 1
    external_change(settings, "UPDATE ticket SET title = ? WHERE id = ?", ("Renamed", ticket["id"]))
    if settings.database_url:
        until(lambda: client.get(url, headers=HELPDESK).json["title"] == "Renamed")
    assert client.get(url, headers=HELPDESK).json["title"] == "Renamed"
    hits = answered("hit")
    assert client.get(url, headers=HELPDESK).json["title"] == "Renamed"
    assert answered("hit") == hits + 1

    external_change(settings, "UPDATE ticket SET status = 'closed' WHERE id = ?", (ticket["id"],))
    until(lambda: client.get(LIST, headers=HELPDESK).json["total"] == 0)


def test_roles_and_queries_are_kept_apart(client):
    closed = advance(client, create(client, title="Projector broken"), "active", "closed")
    create(client, title="Heating off")
    url = f"/api/tickets/{closed['id']}"
    for _ in range(2):
        assert client.get(url, headers=HELPDESK).status_code == 200
        assert client.get(url, headers=USER).status_code == 404
        everything = client.get("/api/tickets", headers=HELPDESK).json
        assert everything["total"] == 2 and "category_to_check" in everything["items"][0]
        theirs = client.get("/api/tickets", headers=USER).json
        assert theirs["total"] == 1 and "category_to_check" not in theirs["items"][0]
        assert client.get("/api/tickets?status=closed", headers=HELPDESK).json["total"] == 1
        assert client.get("/api/tickets?status=open", headers=HELPDESK).json["total"] == 1


def test_nothing_is_kept_when_the_setting_is_0(settings):
    from ticket_api.db import database

    app = make_api(settings.with_changes(read_cache_entries=0), testing=True)
    try:
        client = app.test_client()
        ticket = create(client)
        misses = answered("miss")
        for _ in range(3):
            assert client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).status_code == 200
        assert EXTENSION not in app.extensions and answered("miss") == misses
    finally:
        database.obj.close_all()


def test_the_setting_is_read_and_checked():
    assert Settings.from_env({}).read_cache_entries == 256
    assert Settings.from_env({"CAMPUSDESK_READ_CACHE_ENTRIES": "0"}).read_cache_entries == 0
    with pytest.raises(SettingsError, match="READ_CACHE_ENTRIES"):
        Settings.from_env({"CAMPUSDESK_READ_CACHE_ENTRIES": "-1"})


def test_the_least_recently_used_answer_goes_first():
    answers = Answers(2)
    assert answers.get("a", 1) is None
    answers.put("a", 1, "A")
    answers.put("b", 1, "B")
    assert answers.get("a", 1) == "A"
    answers.put("c", 1, "C")
    assert [answers.get(key, 1) for key in ("a", "b", "c")] == ["A", None, "C"]
    answers.put("d", 0, "D")  # read before the data changed: not kept
    assert answers.get("d", 1) is None
    assert answers.get("a", 2) is None and len(answers) == 0  # a change drops them all


@pytest.mark.postgres
@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_answers_are_kept_only_while_postgresql_is_heard(settings, app, client, monkeypatch):
    monkeypatch.setattr(PostgresChanges, "RETRY_SECONDS", 0.0)
    ticket = create(client)
    url = f"/api/tickets/{ticket['id']}"
    client.get(url, headers=HELPDESK)
    listener = app.extensions[EXTENSION].changes._listener
    assert listener is not None
    external_change(settings, "SELECT pg_terminate_backend(?)", (listener.get_backend_pid(),))
    # The lost connection is noticed by a later request, which drops the answers kept: a
    # change made meanwhile by another program reached nobody.

    def noticed() -> bool:
        assert client.get(url, headers=HELPDESK).status_code == 200
        return bool(listener.closed)

    until(noticed)
    external_change(settings, "UPDATE ticket SET title = ? WHERE id = ?", ("Renamed", ticket["id"]))
    assert client.get(url, headers=HELPDESK).json["title"] == "Renamed"
    until(lambda: app.extensions[EXTENSION].changes._listener is not None)
    hits = answered("hit")

    def served_again() -> bool:
        assert client.get(url, headers=HELPDESK).json["title"] == "Renamed"
        return answered("hit") > hits

    until(served_again)


def test_every_worker_reads_a_change_at_once(settings, tmp_path):
    """Three gunicorn workers keep answers: a change made through any of them is read by
    every one from the next request on, on both databases."""
    session = requests.Session()
    with running_api(settings, tmp_path / "api.log", workers=3) as api:
        ticket = session.post(
            f"{api.base}/tickets",
            json={"title": "Lift stuck", "description": "Between floors 2 and 3."},
            headers=USER,
            timeout=10,
        ).json()
        url = f"{api.base}/tickets/{ticket['id']}"
        for n in range(12):
            for _ in range(6):  # every worker has kept the answers by now, most likely
                one = requests.get(url, headers=HELPDESK, timeout=10).json()
                listed = requests.get(api.base + LIST[4:], headers=HELPDESK, timeout=10).json()
                assert one["title"] == listed["items"][0]["title"] == ticket["title"]
            changed = requests.patch(
                url,
                json={"title": f"Lift stuck, day {n}"},
                headers={**HELPDESK, "If-Match": f'"{ticket["version"]}"'},
                timeout=10,
            )
            assert changed.status_code == 200, changed.text
            ticket = changed.json()
            for _ in range(6):
                one = requests.get(url, headers=HELPDESK, timeout=10)
                assert one.json()["title"] == f"Lift stuck, day {n}"
                assert one.headers["ETag"] == f'"{ticket["version"]}"'
                listed = requests.get(api.base + LIST[4:], headers=HELPDESK, timeout=10).json()
                assert listed["items"][0]["title"] == f"Lift stuck, day {n}"
        metrics = session.get(f"{api.base[:-4]}/metrics", timeout=10).text
        assert 'campusdesk_read_cache_answers_total{result="hit"}' in metrics
