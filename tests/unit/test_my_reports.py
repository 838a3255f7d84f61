"""My reports and follow links in the dashboard: what the browser remembers, the list, the
confirmation with the private link, and the follow page's API client."""

from __future__ import annotations

import pytest
from dash import no_update

from callbacks import my_reports, report
from components.my_reports import my_reports_items, remember
from dash_app import api_client
from dash_app.api_client import ApiError, FollowClient
from kit.limits import MY_REPORTS_KEPT as KEEP
from tests.unit.dash_fakes import TICKET, FakeResponse, FakeSession, dashboard

TOKEN = "A" * 43
OTHER = "B" * 43


def text_of(component) -> str:
    return str(component.to_plotly_json())


def test_a_report_is_remembered_first_with_its_follow_link():
    created = dict(TICKET, follow_token=TOKEN)
    session = FakeSession({("POST", "/tickets"): FakeResponse(201, created)})
    earlier = [{"token": OTHER, "id": 7, "title": "Older", "seen": 3}]
    with dashboard(session):
        out = report.on_submit_report(1, "Elevator stuck", "Between floors", "", "", earlier)
    assert out[14] == [
        {"token": TOKEN, "id": 42, "title": "Elevator stuck", "seen": 0},
        earlier[0],
    ]
    assert f"http://localhost/follow/{TOKEN}" in text_of(out[0])


def test_remember_moves_a_ticket_up_keeps_what_was_seen_and_forgets_the_oldest():
    reports = [{"token": f"{n:043d}", "id": n, "title": f"T{n}", "seen": n} for n in range(KEEP)]
    again = remember(reports, f"{5:043d}", {"id": 5, "title": "Renamed"}, keep=KEEP)
    assert again[0] == {"token": f"{5:043d}", "id": 5, "title": "Renamed", "seen": 5}
    assert len(again) == KEEP
    new = remember(reports, TOKEN, {"id": 99, "title": "New"}, seen=0, keep=KEEP)
    assert new[0]["token"] == TOKEN and len(new) == KEEP
    assert new[-1]["token"] == f"{KEEP - 2:043d}"  # the oldest is forgotten
    assert remember(["junk", None], TOKEN, {"id": 1, "title": "x"}, keep=KEEP)[0]["id"] == 1


def test_the_list_says_when_the_helpdesk_answered_since_the_last_look():
    found = {
        TOKEN: dict(TICKET, last_helpdesk_message_id=9),
        OTHER: dict(TICKET, id=43, title="Quiet", last_helpdesk_message_id=None),
    }
    reports = [
        {"token": TOKEN, "id": 42, "title": "x", "seen": 4},
        {"token": OTHER, "id": 43, "title": "y", "seen": 0},
        {"token": "C" * 43, "id": 44, "title": "deleted", "seen": 0},
    ]
    items = text_of(my_reports_items(reports, found, {"open": "Open"})[0])
    assert items.count("New answer") == 1 and "#42 Elevator stuck" in items
    assert "#43 Quiet" in items and "#44" not in items
    seen = [dict(reports[0], seen=9)]
    assert "New answer" not in text_of(my_reports_items(seen, found, {})[0])


def test_the_follow_client_names_the_ticket_by_its_token():
    followed = dict(TICKET, last_message_id=None, last_helpdesk_message_id=None)
    session = FakeSession({("POST", "/follow"): FakeResponse(200, {"tickets": {TOKEN: followed}})})
    with dashboard(session):
        client = api_client.for_role("reporter")
        assert isinstance(client, FollowClient)
        assert client.followed([TOKEN, OTHER, TOKEN, "../x"]) == {TOKEN: followed}
        # one request for them all, the tokens in its body (never in an address)
        assert session.calls[0]["json"] == {"tokens": [TOKEN, OTHER]}
        assert session.calls[0]["headers"]["X-Role"] == "user"
        assert client.followed(["../tickets/1"]) == {}
        with pytest.raises(ApiError) as caught:
            client.get_ticket("../tickets/1")
        assert caught.value.status == 404
    assert len(session.calls) == 1  # a malformed token is never sent


def test_opening_a_follow_link_remembers_the_ticket_as_seen():
    ticket = dict(TICKET, last_helpdesk_message_id=12)
    mine = my_reports.remember_followed_ticket(ticket, "reporter", TOKEN, None)
    assert mine == [{"token": TOKEN, "id": 42, "title": "Elevator stuck", "seen": 12}]
    assert my_reports.remember_followed_ticket(ticket, "user", 42, None) is no_update


def test_rating_form_until_rated_and_the_rating_after():
    from callbacks import rating

    assert rating.show_rating(dict(TICKET, status="active"))[1] == {"display": "none"}
    form, style = rating.show_rating(dict(TICKET, status="closed", rating=None))
    assert style == {"display": "block"} and "Send rating" in text_of(form[-2])
    given, _ = rating.show_rating(
        dict(TICKET, status="closed", rating={"stars": 2, "comment": "Slow.", "rated_at": "x"})
    )
    assert "2 out of 5" in text_of(given[0]) and "Slow." in text_of(given[1])
    sent = {"stars": 5, "comment": None, "rated_at": "2026-12-01T10:00:00+00:00"}
    session = FakeSession({("POST", f"/follow/{TOKEN}/rating"): FakeResponse(201, sent)})
    with dashboard(session):
        body, alert = rating.send_rating(1, 5, "   ", TOKEN)
        assert rating.send_rating(1, None, "x", TOKEN)[0] is no_update
    assert "5 out of 5" in text_of(body[0]) and alert is None
    assert session.calls[0]["json"] == {"stars": 5}
