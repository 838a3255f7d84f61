"""Privacy by default: the personal data of tickets closed more than
CAMPUSDESK_RETENTION_MONTHS ago is erased, and every analysis answers the same after."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from campusdesk.supervisor import Retention, _prepare
from tests.api.helpers import HELPDESK, USER, advance, create, patch
from tests.apps import campusdesk, cli_env
from ticket_api import retention
from ticket_api.db import database, open_database
from ticket_api.timefields import to_epoch

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
MAIL = {
    "smtp_url": "smtp://127.0.0.1:2525",
    "mail_from": "helpdesk@campus.example",
    "mail_secret": "r" * 40,
}


@pytest.fixture
def settings(settings):
    return settings.with_changes(**MAIL)


def test_months_are_calendar_months():
    assert retention.months_before(NOW, 12) == datetime(2025, 11, 30, 12, tzinfo=timezone.utc)
    end_of_march = datetime(2026, 3, 31, tzinfo=timezone.utc)
    assert retention.months_before(end_of_march, 1) == datetime(2026, 2, 28, tzinfo=timezone.utc)
    assert retention.months_before(end_of_march, 25) == datetime(2024, 2, 29, tzinfo=timezone.utc)
    assert retention.months_before(NOW, 0) == NOW


def closed_long_ago(ticket_id: int, days: int) -> None:
    """Move a closed ticket's closing back (the analytics totals follow, by their triggers)."""
    p = database.param
    closed = to_epoch(datetime.now(timezone.utc) - timedelta(days=days))
    database.execute_sql(
        f"UPDATE ticket SET opened_at = {p} - 3600, closed_at = {p} WHERE id = {p}",
        [closed, closed, ticket_id],
    )


def personal(ticket_id: int) -> dict:
    p = database.param
    one = lambda sql: database.execute_sql(sql, [ticket_id]).fetchall()  # noqa: E731
    return {
        "reporter": one(f"SELECT reporter_name FROM ticket WHERE id = {p}")[0][0],
        "emails": [r[0] for r in one(f"SELECT email FROM subscriber WHERE ticket_id = {p}")],
        "notices": one(f"SELECT COUNT(*) FROM outbox WHERE ticket_id = {p}")[0][0],
        "messages": one(
            f"SELECT author_role, author_name FROM message WHERE ticket_id = {p} ORDER BY id"
        ),
        "changes": sorted(set(one(f"SELECT role, name FROM ticket_change WHERE ticket_id = {p}"))),
    }


def used_ticket(client, title: str) -> dict:
    """A ticket with everything personal: the reporter's name and address, their answer and
    edit, the helpdesk's answer and moves (so notices too), closed."""
    ticket = create(
        client, title=title, reporter_name="Ada", email="ada@campus.example",
        headers={**USER, "X-User-Name": "Ada"},
    )  # fmt: skip
    token = ticket["follow_token"]
    client.post(f"/api/follow/{token}/messages", json={"body": "Still."})
    ticket = patch(client, ticket, headers={**USER, "X-User-Name": "Ada"}, location="B2").json
    helpdesk = {**HELPDESK, "X-User-Name": "Marco"}
    client.post(f"/api/tickets/{ticket['id']}/messages", json={"body": "On it"}, headers=helpdesk)
    return advance(client, ticket, "active", "closed") | {"follow_token": token}


def test_only_old_closed_tickets_lose_their_personal_data(client, app):
    old = used_ticket(client, "Lift stuck in C")
    recent = used_ticket(client, "Lift stuck in D")
    still_open = create(client, reporter_name="Bea", email="bea@campus.example")
    closed_long_ago(old["id"], 400)
    closed_long_ago(recent["id"], 300)
    before = {t: personal(t) for t in (old["id"], recent["id"], still_open["id"])}
    assert before[old["id"]]["emails"] == ["ada@campus.example"]
    assert before[old["id"]]["notices"] == 3
    assert ("user", "Ada") in before[old["id"]]["messages"]

    with app.app_context():
        assert retention.apply(0)["names"] == 0
        done = retention.apply(12)
    assert (done["tickets"], done["emails"], done["notices"]) == (1, 1, 3)
    assert done["names"] == 5  # the reporter, the answer through the link, 3 changes
    after = personal(old["id"])
    assert after["reporter"] is None and after["emails"] == [] and after["notices"] == 0
    assert after["messages"] == [("user", None), ("helpdesk", "Marco")]
    assert after["changes"] == [("helpdesk", None), ("user", None)]
    assert personal(recent["id"]) == before[recent["id"]]
    assert personal(still_open["id"]) == before[still_open["id"]]
    # what the ticket was about stays, and its reporter's own link still opens it
    kept = client.get(f"/api/tickets/{old['id']}", headers=HELPDESK).json
    assert kept["title"] == "Lift stuck in C" and kept["location"] == "B2"
    assert kept["reporter_name"] is None and kept["reporter_email"] is None
    assert client.get(f"/api/follow/{old['follow_token']}").status_code == 200
    with app.app_context():
        again = retention.apply(12)
    assert (again["tickets"], again["emails"], again["notices"], again["names"]) == (0, 0, 0, 0)


def test_photos_of_old_closed_tickets_are_erased_rows_and_files(client, app, settings):
    from tests.api.test_photos import image_bytes, stored_files, upload

    old, recent = create(client), create(client)
    for ticket in (old, recent):
        sent = upload(client, f"/api/tickets/{ticket['id']}/photos", ("a.jpg", image_bytes()))
        assert sent.status_code == 201
    advance(client, old, "active", "closed")
    advance(client, recent, "active", "closed")
    closed_long_ago(old["id"], 400)
    closed_long_ago(recent["id"], 300)
    kept = client.get(f"/api/tickets/{recent['id']}/photos", headers=HELPDESK).json["items"]
    with app.app_context():
        done = retention.apply(12, data_dir=settings.data_dir)
    assert done["photos"] == 1
    erased = client.get(f"/api/tickets/{old['id']}", headers=HELPDESK).json
    assert erased["photos"] == 0 and erased["title"]
    assert client.get(f"/api/tickets/{old['id']}/photos", headers=HELPDESK).json["items"] == []
    assert client.get(f"/api/tickets/{recent['id']}/photos", headers=HELPDESK).json["items"] == kept
    assert len(stored_files(settings)) == 2  # the recent ticket's photo and its thumbnail
    assert client.get(kept[0]["url"], headers=HELPDESK).status_code == 200


def test_the_command_and_the_daily_run_erase(client, settings):
    old = used_ticket(client, "Lift stuck in C")
    closed_long_ago(old["id"], 400)
    done = campusdesk(settings.with_changes(retention_months=0), "retention", "apply")
    assert done.returncode == 0 and "kept; nothing erased" in done.stdout
    assert personal(old["id"])["reporter"] == "Ada"
    done = campusdesk(settings, "retention", "apply")
    assert done.returncode == 0, done.stderr
    assert "1 e-mail addresses with 3 notices, 5 names" in done.stdout
    assert personal(old["id"])["reporter"] is None

    # `campusdesk run` runs the same command once a day
    later = used_ticket(client, "Lift stuck in D")
    closed_long_ago(later["id"], 500)
    daily = Retention(due_at=time.monotonic() + 60)
    env = cli_env(settings)
    daily.tend(env, time.monotonic())
    assert daily.process is None
    daily.tend(env, daily.due_at)
    assert daily.process.wait(timeout=120) == 0
    assert daily.due_at > time.monotonic() + 23 * 3600
    assert personal(later["id"])["reporter"] is None


def test_campusdesk_run_erases_at_start(client, settings, capsys):
    old = used_ticket(client, "Lift stuck in C")
    closed_long_ago(old["id"], 400)
    _prepare(settings, demo=0)
    assert "Erased the personal data of tickets closed before" in capsys.readouterr().out
    open_database(settings)  # _prepare closed the connection it used
    assert personal(old["id"])["reporter"] is None
