"""E-mail notifications: the optional address of a report, seen by the helpdesk only; the
notices written in the same transaction as the change they tell of; unsubscribe links."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, USER, advance, assert_problem, patch
from tests.apps import make_api
from ticket_api import mail
from ticket_api.db import database, is_postgres
from ticket_api.follow import token_hash

SECRET = "s" * 40
MAIL = {"smtp_url": "smtp://127.0.0.1:2525", "mail_from": "helpdesk@campus.example"}


@pytest.fixture
def settings(settings):
    """Mail set up (the server is never reached here: nothing sends)."""
    return settings.with_changes(**MAIL, mail_secret=SECRET, public_url="https://desk.example")


def report(client, **fields) -> dict:
    response = client.post(
        "/api/tickets",
        json={"title": "Lift stuck", "description": "The lift in C is stuck.", **fields},
        headers=USER,
    )
    assert response.status_code == 201, response.json
    return response.json


def outbox() -> list[tuple]:
    return database.execute_sql(
        "SELECT o.event, s.email, o.subject, o.body FROM outbox o "
        "JOIN subscriber s ON s.id = o.subscriber_id ORDER BY o.id"
    ).fetchall()


def links(subscriber_id: int) -> tuple[str, str]:
    """A subscriber's follow and unsubscribe tokens, as the mail worker writes them."""
    row = database.execute_sql(
        f"SELECT id, ticket_id, created_at FROM subscriber WHERE id = {database.param}",
        [subscriber_id],
    ).fetchone()
    subscriber = {"id": row[0], "ticket_id": row[1], "created_at": row[2]}
    return (
        mail.link_token(SECRET, "follow", subscriber),
        mail.link_token(SECRET, "unsubscribe", subscriber),
    )


def test_the_api_says_whether_mail_is_set_up(client, settings):
    assert client.get("/api/mail").json == {"notifications": True, "email_max_length": 254}
    off = make_api(settings.with_changes(smtp_url="")).test_client()
    assert off.get("/api/mail").json["notifications"] is False
    refused = off.post(
        "/api/tickets",
        json={"title": "Lift stuck", "description": "Stuck.", "email": "ada@campus.example"},
        headers=USER,
    )
    problem = assert_problem(refused, 422)
    assert problem["errors"][0]["field"] == "email" and "not set up" in problem["detail"]
    assert database.execute_sql("SELECT COUNT(*) FROM ticket").fetchone()[0] == 0
    # without an address a report works as ever
    assert (
        off.post(
            "/api/tickets", json={"title": "Lift stuck", "description": "Stuck."}, headers=USER
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "email",
    [
        "ada",
        "ada@",
        "@campus.example",
        "ada@campus",
        "ada @campus.example",
        "a<b>@c.example",
        "ada@campus.example\nBcc: eve@x.example",
        "x" * 65 + "@campus.example",
        "a@" + "b" * 250 + ".example",
        42,
    ],
)
def test_a_bad_address_is_a_clear_422(client, email):
    response = client.post(
        "/api/tickets",
        json={"title": "Lift stuck", "description": "Stuck.", "email": email},
        headers=USER,
    )
    problem = assert_problem(response, 422)
    assert any(error["field"] == "email" for error in problem["errors"])
    assert database.execute_sql("SELECT COUNT(*) FROM subscriber").fetchone()[0] == 0


def test_the_address_is_seen_by_the_helpdesk_only(client):
    ticket = report(client, email="  ada@campus.example ", reporter_name="Ada")
    assert "email" not in ticket and "reporter_email" not in ticket
    one = f"/api/tickets/{ticket['id']}"
    assert client.get(one, headers=HELPDESK).json["reporter_email"] == "ada@campus.example"
    assert "reporter_email" not in client.get(one, headers=USER).json
    assert "reporter_email" not in client.get(f"/api/follow/{ticket['follow_token']}").json
    answers = [
        client.get("/api/tickets", headers=role).get_data(True) for role in (USER, HELPDESK)
    ] + [
        client.get("/api/tickets?q=lift", headers=HELPDESK).get_data(True),
        client.get(f"{one}/history", headers=HELPDESK).get_data(True),
        advance(client, ticket, "active").__repr__(),
    ]
    assert all("ada@campus.example" not in answer for answer in answers)
    # blank is no address
    plain = report(client, email="  ")
    assert (
        client.get(f"/api/tickets/{plain['id']}", headers=HELPDESK).json["reporter_email"] is None
    )


def test_notices_are_written_with_the_change(client):
    ticket = report(client, email="ada@campus.example")
    other = report(client)
    assert outbox() == []
    # the reporter's own answer and changes by users tell nothing
    client.post(f"/api/follow/{ticket['follow_token']}/messages", json={"body": "Still."})
    assert patch(client, ticket, headers=USER, title="Lift stuck in C").status_code == 200
    assert outbox() == []
    ticket = client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json
    ticket = advance(client, ticket, "active")
    client.post(
        f"/api/tickets/{ticket['id']}/messages", json={"body": "On our way."}, headers=HELPDESK
    )
    advance(client, other, "active", "closed")  # no subscriber: no notice
    advance(client, ticket, "closed")
    rows = outbox()
    assert [(event, email) for event, email, _s, _b in rows] == [
        ("started", "ada@campus.example"),
        ("answered", "ada@campus.example"),
        ("closed", "ada@campus.example"),
    ]
    for _event, _email, subject, body in rows:
        assert f"#{ticket['id']}" in subject and "Lift stuck in C" in subject
        assert "Lift stuck in C" in body
    # the outbox keeps no link: the worker derives them when it writes the mail
    stored = database.execute_sql("SELECT body FROM outbox").fetchall()
    assert all("/follow/" not in body and "/unsubscribe/" not in body for (body,) in stored)


def test_a_change_that_fails_writes_no_notice(client):
    ticket = report(client, email="ada@campus.example")
    stale = patch(client, ticket, version=7, status="active")
    assert_problem(stale, 409)
    advance(client, ticket, "active", "closed")
    before = len(outbox())
    refused = client.post(
        f"/api/tickets/{ticket['id']}/messages", json={"body": "Late."}, headers=HELPDESK
    )
    assert_problem(refused, 409)
    assert_problem(patch(client, ticket, version=3, status="active"), 409)
    assert len(outbox()) == before == 2


def test_a_notice_rolls_back_with_its_change(client):
    ticket = report(client, email="ada@campus.example")
    # The database refuses the notice: the change it tells of is undone with it.
    if is_postgres():
        database.execute_sql(
            "CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'outbox refused'; END $$ LANGUAGE plpgsql"
        )
        database.execute_sql(
            "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
            "FOR EACH ROW EXECUTE FUNCTION refuse_outbox()"
        )
    else:
        database.execute_sql(
            "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN "
            "SELECT RAISE(ABORT, 'outbox refused'); END"
        )
    try:
        assert_problem(patch(client, ticket, status="active"), 500)
        answered = client.post(
            f"/api/tickets/{ticket['id']}/messages", json={"body": "Hi"}, headers=HELPDESK
        )
        assert_problem(answered, 500)
    finally:
        database.execute_sql(
            "DROP TRIGGER refuse_outbox ON outbox"
            if is_postgres()
            else "DROP TRIGGER refuse_outbox"
        )
        if is_postgres():
            database.execute_sql("DROP FUNCTION refuse_outbox()")
    assert outbox() == []
    after = client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json
    assert after["status"] == "open" and after["version"] == 1
    assert after["first_response_at"] is None
    thread = client.get(f"/api/tickets/{ticket['id']}/messages", headers=HELPDESK).json
    assert thread["items"] == []
    history = client.get(f"/api/tickets/{ticket['id']}/history", headers=HELPDESK).json
    assert [change["field"] for change in history["items"]] == ["status", "category"]
    # and once the database takes notices again, the same change writes one
    advance(client, ticket, "active")
    assert [row[0] for row in outbox()] == ["started"]


def test_unsubscribe_stops_the_mails_at_once(client):
    ticket = report(client, email="ada@campus.example")
    (subscriber_id,) = database.execute_sql("SELECT id FROM subscriber").fetchone()
    follow, unsubscribe = links(subscriber_id)
    stored = database.execute_sql("SELECT follow_hash, unsubscribe_hash FROM subscriber").fetchone()
    assert stored == (token_hash(follow), token_hash(unsubscribe))
    advance(client, ticket, "active")
    assert len(outbox()) == 1
    # looking changes nothing (mail programs open links)
    looked = client.get(f"/api/unsubscribe/{unsubscribe}")
    assert looked.status_code == 200
    assert looked.json == {
        "ticket_id": ticket["id"],
        "title": "Lift stuck",
        "subscribed": True,
        "unsubscribed_at": None,
    }
    done = client.post(f"/api/unsubscribe/{unsubscribe}")
    assert done.status_code == 200 and done.json["subscribed"] is False
    assert done.json["unsubscribed_at"] is not None
    assert outbox() == []  # the notice not yet sent is dropped
    # and the address is erased: nothing is kept that could be used to write again
    assert database.execute_sql("SELECT email FROM subscriber").fetchall() == [(None,)]
    shown = client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json
    assert shown["reporter_email"] is None
    again = client.post(f"/api/unsubscribe/{unsubscribe}")
    assert again.json == done.json
    client.post(f"/api/tickets/{ticket['id']}/messages", json={"body": "Hi"}, headers=HELPDESK)
    assert outbox() == []
    # the subscriber's follow link still opens the ticket, as the reporter's does
    followed = client.get(f"/api/follow/{follow}")
    assert followed.status_code == 200 and followed.json["id"] == ticket["id"]
    assert "reporter_email" not in followed.json


def test_a_wrong_unsubscribe_link_is_404(client):
    report(client, email="ada@campus.example")
    (subscriber_id,) = database.execute_sql("SELECT id FROM subscriber").fetchone()
    follow, unsubscribe = links(subscriber_id)
    for wrong in ("x", unsubscribe[:-1], follow, "%00" * 43):
        assert_problem(client.get(f"/api/unsubscribe/{wrong}"), 404)
        assert_problem(client.post(f"/api/unsubscribe/{wrong}"), 404)


def test_subscribers_are_added_by_other_features_too(app, client):
    ticket = report(client, email="ada@campus.example")
    with app.app_context():
        from ticket_api.db import write_transaction

        with write_transaction():
            mail.subscribe(
                ticket["id"], "bea@campus.example", "follower", app.config["CAMPUSDESK_SETTINGS"]
            )
    advance(client, ticket, "active")
    assert sorted(email for _e, email, _s, _b in outbox()) == [
        "ada@campus.example",
        "bea@campus.example",
    ]
    # a follower's link in a mail reads and answers, as a follower's own link does; only the
    # reporter rates
    (follower_id,) = database.execute_sql(
        "SELECT id FROM subscriber WHERE kind = 'follower'"
    ).fetchone()
    follower_link, _ = links(follower_id)
    opened = client.get(f"/api/follow/{follower_link}").json
    assert opened["id"] == ticket["id"] and opened["link_role"] == "follower"
    assert client.get(f"/api/follow/{follower_link}/messages").status_code == 200
    said = client.post(f"/api/follow/{follower_link}/messages", json={"body": "Me too"})
    assert said.status_code == 201 and said.json["author_name"] is None
    (reporter_id,) = database.execute_sql(
        "SELECT id FROM subscriber WHERE kind = 'reporter'"
    ).fetchone()
    reporter_link, _ = links(reporter_id)
    answered = client.post(f"/api/follow/{reporter_link}/messages", json={"body": "Still."})
    assert answered.status_code == 201
    advance(client, client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json, "closed")
    assert_problem(client.post(f"/api/follow/{follower_link}/rating", json={"stars": 5}), 403)
    assert client.post(f"/api/follow/{reporter_link}/rating", json={"stars": 4}).status_code == 201
    # the helpdesk sees the reporter's address, not the follower's
    shown = client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json
    assert shown["reporter_email"] == "ada@campus.example"
    client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert database.execute_sql("SELECT COUNT(*) FROM subscriber").fetchone()[0] == 0
    assert outbox() == []


def test_a_follower_may_leave_an_address_and_a_merge_carries_the_addresses_over(client):
    kept = report(client, email="ada@campus.example")
    duplicate = report(client, email="bea@campus.example")
    followed = client.post(
        f"/api/tickets/{duplicate['id']}/followers", json={"email": "cy@campus.example"}
    )
    assert followed.status_code == 201
    again = client.post(f"/api/tickets/{kept['id']}/followers")  # no body: no address
    assert again.status_code == 201
    bad = client.post(f"/api/tickets/{kept['id']}/followers", json={"email": "cy@"})
    assert assert_problem(bad, 422)["errors"][0]["field"] == "email"
    # the reporter of the kept ticket follows the duplicate too: not subscribed twice after
    client.post(f"/api/tickets/{duplicate['id']}/followers", json={"email": "ada@campus.example"})
    merged = client.post(
        f"/api/tickets/{duplicate['id']}/merge",
        json={"into": kept["id"], "version": duplicate["version"]},
        headers=HELPDESK,
    )
    assert merged.status_code == 200, merged.json
    told = sorted((event, email) for event, email, _s, _b in outbox())
    assert told == [
        ("merged", "ada@campus.example"),
        ("merged", "bea@campus.example"),
        ("merged", "cy@campus.example"),
    ]
    rows = database.execute_sql(
        f"SELECT email, kind FROM subscriber WHERE ticket_id = {database.param} ORDER BY email",
        [kept["id"]],
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("ada@campus.example", "reporter"),
        ("bea@campus.example", "follower"),
        ("cy@campus.example", "follower"),
    ]
    body = [b for event, _e, _s, b in outbox() if event == "merged"][0]
    assert body.startswith("Another ticket about the same problem now carries the news")
    # from now on, the kept ticket's news reach every one of them
    client.post(f"/api/tickets/{kept['id']}/messages", json={"body": "On it"}, headers=HELPDESK)
    answered = sorted(email for event, email, _s, _b in outbox() if event == "answered")
    assert answered == ["ada@campus.example", "bea@campus.example", "cy@campus.example"]


def test_the_mail_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/unsubscribe/{token}"])
    assert "get" in paths["/api/mail"]
    create = client.get("/api/openapi.json").json["components"]["schemas"]["TicketCreate"]
    assert "email" in create["properties"]
