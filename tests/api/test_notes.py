"""Internal notes: helpdesk staff write and read them under a ticket; a simple user never
learns anything of them, whatever route, filter or link it tries."""

from __future__ import annotations

import re

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create

SECRET = "Spare part ordered from Rossi srl, invoice 4471-ZQX"


def note(client, ticket_id: int, body: str = SECRET, headers=HELPDESK):
    return client.post(f"/api/tickets/{ticket_id}/notes", json={"body": body}, headers=headers)


def notes(client, ticket_id: int, headers=HELPDESK, **query):
    return client.get(f"/api/tickets/{ticket_id}/notes", query_string=query, headers=headers)


def test_helpdesk_staff_write_and_read_notes_in_order(client):
    ticket = create(client)
    first = note(client, ticket["id"], headers={**HELPDESK, "X-User-Name": "Marco"})
    assert first.status_code == 201
    assert first.json["author_name"] == "Marco" and first.json["body"] == SECRET
    assert first.headers["Location"].endswith(
        f"/api/tickets/{ticket['id']}/notes?after_id={first.json['id'] - 1}"
    )
    second = note(client, ticket["id"], "Called the contractor: Thursday.").json
    listed = notes(client, ticket["id"]).json
    assert [n["id"] for n in listed["items"]] == [first.json["id"], second["id"]]
    assert listed["has_more"] is False and listed["next_after_id"] is None
    page = notes(client, ticket["id"], limit=1).json
    assert page["has_more"] and page["next_after_id"] == first.json["id"]
    rest = notes(client, ticket["id"], after_id=page["next_after_id"]).json
    assert [n["id"] for n in rest["items"]] == [second["id"]]


def test_a_note_changes_nothing_the_reporter_can_see(client):
    ticket = create(client)
    before = client.get(f"/api/tickets/{ticket['id']}", headers=USER)
    assert note(client, ticket["id"]).status_code == 201
    after = client.get(f"/api/tickets/{ticket['id']}", headers=USER)
    assert after.json == before.json and after.headers["ETag"] == before.headers["ETag"]
    # not an answer: the first response time and the "answered" filter ignore notes
    assert after.json["first_response_at"] is None
    unanswered = client.get("/api/tickets?answered=false", headers=HELPDESK).json["items"]
    assert [t["id"] for t in unanswered] == [ticket["id"]]


def test_notes_can_be_written_under_a_closed_ticket(client):
    ticket = advance(client, create(client), "active", "closed")
    assert note(client, ticket["id"], "Invoice filed.").status_code == 201
    assert notes(client, ticket["id"]).json["items"][0]["body"] == "Invoice filed."


def test_a_simple_user_can_neither_read_nor_write_notes(client):
    ticket = create(client)
    note(client, ticket["id"])
    body = assert_problem(notes(client, ticket["id"], headers=USER), 403)
    assert body["detail"] == "Internal notes are for helpdesk staff."
    assert_problem(note(client, ticket["id"], "Mine", headers=USER), 403)
    assert_problem(note(client, ticket["id"], "Mine", headers={}), 403)
    assert [n["body"] for n in notes(client, ticket["id"]).json["items"]] == [SECRET]


def test_bad_notes_are_problems_and_unknown_tickets_404(client):
    ticket = create(client)
    assert_problem(note(client, ticket["id"], "   "), 422)
    assert_problem(note(client, ticket["id"], "x" * 5001), 422)
    assert_problem(
        client.post(f"/api/tickets/{ticket['id']}/notes", json={}, headers=HELPDESK), 422
    )
    assert_problem(note(client, 999_999), 404)
    assert_problem(notes(client, 999_999), 404)
    assert_problem(notes(client, ticket["id"], limit=0), 400)


def test_deleting_a_ticket_deletes_its_notes(client):
    from ticket_api.db import database

    ticket = create(client)
    note(client, ticket["id"])
    client.delete(f"/api/tickets/{ticket['id']}", headers={**HELPDESK, "If-Match": '"1"'})
    left = database.execute_sql("SELECT COUNT(*) FROM note").fetchone()[0]
    assert left == 0


def _get_routes(client) -> list[str]:
    """Every GET route of the API's OpenAPI document."""
    document = client.get("/api/openapi.json").json
    return [path for path, item in document["paths"].items() if "get" in item]


def test_no_route_shows_a_note_to_a_simple_user(client):
    """Every GET route of the OpenAPI document, as a simple user and through the follow
    link, with the ticket's id and token filled in and the note's words as search text:
    the note's words appear in no answer, and no answer names notes at all."""
    reported = client.post(
        "/api/tickets",
        json={"title": "Heating off", "description": "Room 12 is cold.", "reporter_name": "Ada"},
        headers=USER,
    ).json
    ticket_id, token = reported["id"], reported["follow_token"]
    assert note(client, ticket_id).status_code == 201
    client.post(f"/api/tickets/{ticket_id}/messages", json={"body": "On it."}, headers=HELPDESK)
    values = {
        "ticket_id": ticket_id,
        "id": ticket_id,
        "token": token,
        "notice_id": 1,
        "photo_id": 1,
    }
    routes = _get_routes(client)
    assert "/api/tickets/{ticket_id}/notes" in routes and "/api/follow/{token}" in routes
    seen = 0
    for path in routes:
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        for query in ({}, {"q": "Rossi invoice"}, {"after_id": 0}):
            response = client.get(url, query_string=query, headers=USER)
            text = response.get_data(as_text=True)
            assert "Rossi" not in text and "4471" not in text, (url, query)
            if response.status_code == 200 and "notes" not in path:
                seen += 1
                assert '"note' not in text.lower(), (url, query)
    assert seen > 10
    # and once the ticket is closed, its reporter still reads only the conversation
    advance(
        client, client.get(f"/api/tickets/{ticket_id}", headers=HELPDESK).json, "active", "closed"
    )
    followed = client.get(f"/api/follow/{token}").get_data(as_text=True)
    thread = client.get(f"/api/follow/{token}/messages").get_data(as_text=True)
    assert "Rossi" not in followed + thread and "On it." in thread
