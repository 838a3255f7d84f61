"""Campus notices through the API: the helpdesk posts and takes them down, everyone reads the
active ones, and a typed text finds the notices it is about."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api.helpers import HELPDESK, USER, assert_problem
from ticket_api.notices import key_words, matches

WIFI = "Wi-Fi down in building C, we are on it"


def post(client, text=WIFI, **fields):
    response = client.post(
        "/api/notices", json={"text": text, **fields}, headers={**HELPDESK, "X-User-Name": "Marco"}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_the_helpdesk_posts_and_everyone_reads(client):
    notice = post(client)
    assert notice["author_name"] == "Marco" and notice["ends_at"] is None
    later = post(client, "Canteen closed at lunch today for cleaning")
    for headers in (USER, HELPDESK, {}):
        items = client.get("/api/notices", headers=headers).json["items"]
        assert [n["id"] for n in items] == [later["id"], notice["id"]]  # newest first


def test_a_notice_ends_by_itself_or_is_taken_down(client):
    soon = datetime.now(timezone.utc) + timedelta(seconds=2)
    ending = post(client, "Heating off in building A this morning", ends_at=soon.isoformat())
    kept = post(client)
    assert ending["ends_at"] is not None
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            "ticket_api.notices.utcnow", lambda: datetime.now(timezone.utc) + timedelta(hours=1)
        )
        shown = client.get("/api/notices").json["items"]
        assert [n["id"] for n in shown] == [kept["id"]]
        everything = client.get("/api/notices?ended=true", headers=HELPDESK).json["items"]
        assert {n["id"] for n in everything} == {ending["id"], kept["id"]}
    assert client.delete(f"/api/notices/{kept['id']}", headers=HELPDESK).status_code == 204
    assert kept["id"] not in [n["id"] for n in client.get("/api/notices").json["items"]]
    assert_problem(client.delete(f"/api/notices/{kept['id']}", headers=HELPDESK), 404)


def test_simple_users_cannot_post_remove_or_see_ended_ones(client):
    notice = post(client)
    assert_problem(client.post("/api/notices", json={"text": WIFI}, headers=USER), 403)
    assert_problem(client.delete(f"/api/notices/{notice['id']}", headers=USER), 403)
    assert_problem(client.get("/api/notices?ended=true", headers=USER), 403)
    assert len(client.get("/api/notices").json["items"]) == 1


def test_bad_notices_are_refused(client):
    for body in (
        {"text": "ab"},
        {"text": "x" * 301},
        {"text": "Lift\u0000stuck"},
        {"text": WIFI, "ends_at": "tomorrow"},
        {"text": WIFI, "ends_at": "2001-01-01T00:00:00+00:00"},
        {"text": WIFI, "colour": "red"},
    ):
        assert_problem(client.post("/api/notices", json=body, headers=HELPDESK), 422)
    assert client.get("/api/notices").json["items"] == []


def test_typed_text_finds_the_notices_it_is_about(client):
    wifi = post(client)
    post(client, "Canteen closed at lunch today for cleaning")
    for typed in (
        "the wifi keeps dropping in building C",
        "WIFI DOWN",
        "la wi-fi non va nell'edificio C, è giù",
    ):
        found = client.get("/api/notices", query_string={"matching": typed}).json["items"]
        assert [n["id"] for n in found] == [wifi["id"]], typed
    for typed in ("the projector in room B2 is broken", "", "building"):
        assert client.get("/api/notices", query_string={"matching": typed}).json["items"] == []


def test_matching_rules():
    assert {"wi", "fi", "wifi", "down", "building", "c"} <= key_words(WIFI)
    assert not {"in", "we", "are", "on", "it"} & key_words(WIFI)
    assert matches("Perché l'ascensore è fermo", "PERCHE L ASCENSORE")
    assert matches("Lifts", "lifts out")  # a notice of one word needs only that one
    assert not matches("the and of", "the and of")  # no words that tell problems apart
