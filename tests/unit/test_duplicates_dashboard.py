"""The dashboard's side of "same problem, one ticket": similar tickets while typing, "This
is my problem too" with its private link remembered, reported by N, the merged-ticket note
and the helpdesk's "Merge into…" with its confirmation."""

from __future__ import annotations

import json

from dash import no_update

from callbacks import duplicates, helpdesk, rating
from components.duplicates import merge_facts, reported_by_text
from components.ticket_detail import ticket_facts
from dash_app import api_client
from tests.unit.dash_fakes import TICKET, FakeResponse, FakeSession, dashboard, problem, triggered

TOKEN = "A" * 43
FOLLOW = json.dumps({"index": 42, "type": "similar-follow"}) + ".n_clicks"


def text_of(component) -> str:
    return str(getattr(component, "to_plotly_json", lambda: component)())


def test_similar_tickets_come_from_the_api_and_stay_quiet_when_it_fails():
    found = [dict(TICKET, reported_by=3, merged_into=None, shared_words=2)]
    session = FakeSession({("GET", "/tickets/similar"): FakeResponse(200, {"items": found})})
    with dashboard(session):
        box = duplicates.show_similar("Elevator stuck\nbetween floors")
        assert duplicates.show_similar("lift") == []  # too short to ask
    shown = text_of(box[0])
    assert "#42 " in shown and "Elevator stuck" in shown and "reported by 3 people" in shown
    assert "This is my problem too" in shown and "similar-follow" in shown
    assert session.calls[0]["params"] == {"description": "Elevator stuck\nbetween floors"}
    empty = FakeSession({("GET", "/tickets/similar"): FakeResponse(200, {"items": []})})
    with dashboard(empty):
        assert duplicates.show_similar("Elevator stuck") == []
    with dashboard(FakeSession({})):  # the API does not answer this route
        assert duplicates.show_similar("Elevator stuck") == []


def test_following_shows_the_private_link_once_and_remembers_it():
    followed = dict(TICKET, reported_by=2, merged_into=None, follow_token=TOKEN)
    session = FakeSession({("POST", "/tickets/42/followers"): FakeResponse(201, followed)})
    earlier = [{"token": "B" * 43, "id": 7, "title": "Older", "seen": 3}]
    with dashboard(session), triggered(FOLLOW):
        box, mine = duplicates.follow_similar([1], earlier, "", False)
    shown = text_of(box[0])
    assert "You follow ticket #42, now reported by 2 people." in shown
    assert f"http://localhost/follow/{TOKEN}" in shown and "similar-follow-url" in shown
    assert mine == [{"token": TOKEN, "id": 42, "title": "Elevator stuck", "seen": 0}, earlier[0]]
    assert session.calls[0]["method"] == "POST" and session.calls[0]["json"] is None


def test_following_passes_the_address_typed_in_the_form_when_mail_is_set_up():
    followed = dict(TICKET, reported_by=2, merged_into=None, follow_token=TOKEN)
    for typed, off, sent in (
        (" ada@campus.example ", False, {"email": "ada@campus.example"}),
        ("ada@campus.example", True, None),  # the field is off: this helpdesk sends no mail
    ):
        session = FakeSession({("POST", "/tickets/42/followers"): FakeResponse(201, followed)})
        with dashboard(session), triggered(FOLLOW):
            duplicates.follow_similar([1], [], typed, off)
        assert session.calls[0]["json"] == sent


def test_a_refused_follow_says_why_and_remembers_nothing():
    closed = problem(409, "Conflict", "Ticket 42 is closed: it can no longer be followed.")
    with dashboard(FakeSession({("POST", "/tickets/42/followers"): closed})), triggered(FOLLOW):
        box, mine = duplicates.follow_similar([1], [], None, True)
    assert "can no longer be followed" in text_of(box[0]) and mine is no_update
    with dashboard(FakeSession({})), triggered(FOLLOW, None):
        assert duplicates.follow_similar([None], [], None, True) == (no_update, no_update)


def test_reported_by_counts_people():
    assert reported_by_text(1) == "reported by 1 person"
    assert reported_by_text(None) == "reported by 1 person"
    assert reported_by_text(4) == "reported by 4 people"
    with dashboard(FakeSession({})):
        words = api_client.vocabulary()
        zone = api_client.settings().zone
        row = helpdesk.grid_row(dict(TICKET, reported_by=2), zone, words)
        alone = helpdesk.grid_row(dict(TICKET, reported_by=1), zone, words)
    assert row["reported_by_label"] == "2 people" and alone["reported_by_label"] == "1 person"


def test_the_facts_show_the_count_and_the_merged_tickets():
    ticket = dict(TICKET, reported_by=3, merged_into=None, merged=[{"id": 7, "title": "Lift"}])
    facts = text_of(ticket_facts(ticket, None, "Europe/Rome", {}, {}, links=True)[0])
    assert "reported by 3 people" in facts and "#7 Lift" in facts and "/helpdesk/tickets/7" in facts
    duplicate = dict(TICKET, status="closed", merged_into=9, merged=[])
    as_user = text_of(merge_facts(duplicate, link=False))
    assert "Merged into" in as_user and "#9" in as_user and "/helpdesk" not in as_user
    assert merge_facts(dict(TICKET), link=True) == []


def test_a_merged_reporter_is_told_and_a_follower_cannot_rate():
    note = duplicates.show_merged_note(dict(TICKET, merged_from=7))
    assert "Your ticket #7 was merged into #42." in text_of(note)
    assert duplicates.show_merged_note(dict(TICKET, merged_from=None)) is None
    assert duplicates.show_merged_note(None) is None
    closed = dict(TICKET, status="closed", rating=None)
    assert rating.show_rating(dict(closed, link_role="follower"))[0] == []
    assert rating.show_rating(dict(closed, link_role="reporter"))[0] != []


def test_merge_asks_first_then_merges_with_the_version_shown():
    merged = dict(TICKET, status="closed", merged_into=9, version=4)
    session = FakeSession({("POST", "/tickets/42/merge"): FakeResponse(200, merged)})
    with dashboard(session):
        with triggered("merge-action.n_clicks"):
            is_open, question, store, alert = duplicates.on_merge(1, None, None, "9", TICKET, "Li")
        assert is_open is True and store is no_update and not session.calls
        assert "Ticket #42 is closed as a duplicate of #9." in question
        with triggered("merge-confirm.n_clicks"):
            is_open, _question, store, alert = duplicates.on_merge(1, 1, None, 9, TICKET, "Li")
    assert is_open is False and store == merged and alert is None
    assert session.calls[0]["json"] == {"into": 9, "version": 3}
    assert session.calls[0]["headers"]["X-Role"] == "helpdesk"


def test_merge_needs_a_number_and_shows_refusals():
    with dashboard(FakeSession({})), triggered("merge-action.n_clicks"):
        out = duplicates.on_merge(1, None, None, None, TICKET, None)
    assert out[0] is False and "Give the number" in text_of(out[3])
    refused = problem(409, "Conflict", "Ticket 9 is closed: merge into a ticket that is open.")
    current = dict(TICKET, version=5)
    stale = problem(409, "Edit conflict", "Changed.", current=current)
    for answer, expected in ((refused, "Ticket 9 is closed"), (stale, "Someone else")):
        session = FakeSession({("POST", "/tickets/42/merge"): answer})
        with dashboard(session), triggered("merge-confirm.n_clicks"):
            is_open, _q, store, alert = duplicates.on_merge(1, 1, None, 9, TICKET, None)
        assert is_open is False and expected in text_of(alert)
        assert store == (current if answer is stale else no_update)
    with dashboard(FakeSession({})), triggered("merge-cancel.n_clicks"):
        assert duplicates.on_merge(1, 1, 1, 9, TICKET, None)[0] is False
