"""Callbacks of the report form, the user's list and the ticket page, with the HTTP stubbed."""

from __future__ import annotations

from dash import no_update

from callbacks import report, ticket_detail, tickets
from tests.unit.dash_fakes import (
    TICKET,
    FakeResponse,
    FakeSession,
    dashboard,
    down_session,
    problem,
    triggered,
)
from tests.unit.test_components import text_of


def test_validation_messages_before_anything_is_sent():
    session = FakeSession()
    with dashboard(session):
        out = report.on_submit_report(1, "ab", "  ", None, None)
    assert session.calls == []
    assert out[2] is True and "at least 3 characters" in out[6]  # title invalid + message
    assert out[3] is True and "describe the problem" in out[7]


def test_report_creates_the_ticket_and_confirms_with_its_number():
    session = FakeSession({("POST", "/tickets"): FakeResponse(201, TICKET)})
    with dashboard(session):
        out = report.on_submit_report(1, " Elevator stuck ", "Between floors", "", "Anna")
    assert session.calls[0]["json"] == {
        "title": "Elevator stuck",
        "description": "Between floors",
        "reporter_name": "Anna",
    }
    assert session.calls[0]["headers"]["X-Role"] == "user"
    assert "Ticket #42 is open" in text_of(out[0]) and out[1] == 42
    assert out[10:13] == ["", "", ""] and out[13] == "Anna"


def test_api_validation_errors_land_on_their_fields_and_keep_the_text():
    session = FakeSession(
        {
            ("POST", "/tickets"): problem(
                422,
                "Validation failed",
                "Check the fields.",
                errors=[{"field": "description", "message": "Too long"}],
            )
        }
    )
    with dashboard(session):
        out = report.on_submit_report(1, "Elevator", "x" * 50, None, None)
    assert "Validation failed" in text_of(out[0])
    assert out[3] is True and out[7] == "Too long"
    assert out[10:14] == [no_update] * 4


def test_report_when_the_api_is_down_says_so_and_keeps_the_form():
    with dashboard(down_session()):
        out = report.on_submit_report(1, "Elevator", "Stuck again", None, None)
    assert "unreachable" in text_of(out[0]) and out[10:14] == [no_update] * 4


def test_preview_asks_the_classifier_only_for_enough_text():
    session = FakeSession(
        {
            ("POST", "/classify"): FakeResponse(
                200, {"category": "it", "confidence": 0.87, "scores": {}}
            )
        }
    )
    with dashboard(session):
        assert "as you describe" in text_of(report.update_category_preview("Wifi"))
        preview = text_of(report.update_category_preview("Wifi down\nin the library"))
    assert len(session.calls) == 1 and "Technical IT" in preview and "87%" in preview
    with dashboard(down_session()):
        assert "as you describe" in text_of(report.update_category_preview("Wifi down again!"))


def test_list_asks_for_open_and_active_tickets_page_by_page():
    page = {"items": [TICKET], "total": 25, "page": 2, "per_page": 10}
    session = FakeSession({("GET", "/tickets"): FakeResponse(200, page)})
    with dashboard(session), triggered("tickets-page.active_page", 2):
        items, summary, pages, active = tickets.update_ticket_list(
            "lift", "open,active", "all", "-opened_at", 2, None
        )
    assert session.calls[0]["params"] == {
        "q": "lift",
        "status": "open,active",
        "sort": "-opened_at",
        "page": 2,
        "per_page": 10,
    }
    assert "Elevator stuck" in text_of(items) and pages == 3 and active == 2
    assert summary == "Showing 11–20 of 25 tickets."


def test_new_filters_go_back_to_the_first_page():
    session = FakeSession({("GET", "/tickets"): FakeResponse(200, {"items": [], "total": 0})})
    with dashboard(session), triggered("tickets-search.value", "x"):
        *_rest, active = tickets.update_ticket_list("x", None, None, None, 4, None)
    assert active == 1 and session.calls[0]["params"]["page"] == 1


def test_list_error_is_an_alert_not_a_traceback():
    with dashboard(down_session()), triggered("tickets-page.active_page", 1):
        items, *_ = tickets.update_ticket_list(None, None, None, None, 1, None)
    assert "unreachable" in text_of(items)


def test_a_closed_ticket_is_not_shown_to_a_user():
    session = FakeSession({("GET", "/tickets/42"): problem(404, "Not Found", "No such ticket.")})
    with dashboard(session):
        out = ticket_detail.load_ticket(42, "user")
    assert out[0] is None and "cannot be shown" in text_of(out[4]) and out[5] is True


def test_load_fills_the_form():
    session = FakeSession({("GET", "/tickets/42"): FakeResponse(200, TICKET)})
    with dashboard(session):
        out = ticket_detail.load_ticket(42, "helpdesk")
    assert out[:4] == (TICKET, "Elevator stuck", "Between floors 2 and 3", "Building B")
    assert session.calls[0]["headers"]["X-Role"] == "helpdesk"


def test_save_sends_only_changes_with_the_version():
    saved = dict(TICKET, location=None, version=4)
    session = FakeSession({("PATCH", "/tickets/42"): FakeResponse(200, saved)})
    with dashboard(session):
        out = ticket_detail.on_save_ticket(
            1, "Elevator stuck", "Between floors 2 and 3", " ", TICKET, "user", "Anna"
        )
    assert session.calls[0]["json"] == {"location": None}
    assert session.calls[0]["headers"]["If-Match"] == '"3"'
    assert out[0] == saved and "Changes saved" in text_of(out[1])


def test_conflict_shows_the_current_version_and_keeps_the_typed_text():
    current = dict(TICKET, title="Their title", version=5)
    session = FakeSession(
        {("PATCH", "/tickets/42"): problem(409, "Conflict", "Stale.", current=current)}
    )
    with dashboard(session):
        out = ticket_detail.on_save_ticket(
            1, "My title", "Between floors 2 and 3", "Building B", TICKET, "user", None
        )
    assert out[0] == current  # the next save goes against version 5
    assert "Someone else changed this ticket" in text_of(out[1]) and "Their title" in text_of(
        out[1]
    )
    assert len(out) == 8  # the form's values are not outputs: what was typed stays


def test_edit_validation_stops_bad_values():
    session = FakeSession()
    with dashboard(session):
        out = ticket_detail.on_save_ticket(1, "ab", "", "", TICKET, "user", None)
    assert session.calls == [] and out[2] is True and out[3] is True


def test_the_email_is_checked_sent_and_cleared():
    session = FakeSession({("POST", "/tickets"): FakeResponse(201, TICKET)})
    with dashboard(session):
        bad = report.on_submit_report(1, "Elevator", "Stuck", None, None, None, "ada@campus")
        assert session.calls == []
        assert bad[15] is True and "such as ada@campus.example" in bad[16]
        assert bad[2:6] == [False] * 4
        out = report.on_submit_report(1, "Elevator", "Stuck", None, None, None, " ada@x.example ")
    assert session.calls[0]["json"]["email"] == "ada@x.example"
    assert out[15:18] == [False, "", ""]


def test_the_email_field_is_offered_only_when_the_helpdesk_sends_mail():
    on = FakeSession({("GET", "/mail"): FakeResponse(200, {"notifications": True})})
    with dashboard(on):
        disabled, hint = report.offer_email_field("report-email")
    assert disabled is False and "Only the helpdesk sees your address" in hint
    off = FakeSession({("GET", "/mail"): FakeResponse(200, {"notifications": False})})
    with dashboard(off):
        disabled, hint = report.offer_email_field("report-email")
    assert disabled is True and "not set up on this helpdesk" in hint
    with dashboard(down_session()):
        assert report.offer_email_field("report-email")[0] is True
