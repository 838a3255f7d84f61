"""The API's words in the dashboard: read through api_client, kept a few minutes, raw keys
when the API cannot say, and every label, option and status step taken from them."""

from __future__ import annotations

import importlib

import pytest

from callbacks import helpdesk, report, workflow
from dash_app import api_client
from dash_app.vocabulary import Vocabulary
from tests.unit.dash_fakes import (
    CATEGORIES,
    OPENAPI,
    TICKET,
    WORKFLOW,
    FakeResponse,
    FakeSession,
    dashboard,
    problem,
    triggered,
)
from tests.unit.test_components import find, text_of

WORDS = Vocabulary.from_api(CATEGORIES, WORKFLOW)
TICKETS = ("GET", "/tickets")


def paths(session: FakeSession) -> list[str]:
    return [call["path"] for call in session.calls]


def test_the_vocabulary_is_read_once_and_kept():
    session = FakeSession()
    with dashboard(session, warm=False):
        first = api_client.vocabulary()
        again = api_client.vocabulary()
    assert first is again and paths(session) == ["/categories", "/workflow"]
    assert first.categories["services"] == "Services complaints"
    assert first.statuses == {"open": "Open", "active": "Active", "closed": "Closed"}


def test_a_failed_read_keeps_nothing_and_is_tried_again():
    session = FakeSession({("GET", "/workflow"): problem(503, "Unavailable", "Restarting.")})
    with dashboard(session, warm=False):
        assert api_client.vocabulary() == Vocabulary()
        session.routes[("GET", "/workflow")] = FakeResponse(200, WORKFLOW)
        assert api_client.vocabulary() == WORDS
    assert paths(session).count("/workflow") == 2


def test_the_vocabulary_is_read_again_after_a_few_minutes(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(api_client, "CACHE", api_client.TimedCache(clock=lambda: now[0]))
    session = FakeSession()
    with dashboard(session, warm=False):
        api_client.vocabulary()
        now[0] += api_client.CACHE_SECONDS - 1
        api_client.vocabulary()
        assert paths(session).count("/workflow") == 1
        now[0] += 2
        api_client.vocabulary()
    assert paths(session).count("/workflow") == 2


def test_a_malformed_vocabulary_counts_as_unavailable():
    session = FakeSession({("GET", "/workflow"): FakeResponse(200, {"statuses": "open"})})
    with dashboard(session, warm=False):
        assert api_client.vocabulary().known is False


def test_the_workflow_as_data():
    assert WORDS.next_step("open")["action"] == "Start work"
    assert WORDS.next_step("active")["to"] == "closed"
    assert WORDS.next_step("closed") is None and WORDS.next_step("open", role="user") is None
    assert WORDS.is_final("closed") and not WORDS.is_final("active")
    assert not WORDS.is_final("unknown") and not Vocabulary().is_final("closed")
    assert WORDS.unfinished() == ("open", "active")


def test_list_filters_are_read_from_the_openapi_document():
    session = FakeSession()
    with dashboard(session, warm=False):
        filters = api_client.ticket_filters()
    assert list(filters) == [
        "status",
        "category",
        "q",
        "opened_after",
        "opened_before",
        "closed_after",
        "closed_before",
        "open_at",
        "answered",
        "to_check",
        "sort",
    ]
    assert filters["opened_after"]["anyOf"][0]["format"] == "date-time"
    assert paths(session) == ["/openapi.json"]


def test_a_document_without_the_list_gives_no_filters_and_is_asked_again():
    session = FakeSession({("GET", "/openapi.json"): FakeResponse(200, {"paths": {}})})
    with dashboard(session, warm=False):
        assert api_client.ticket_filters() is None
        session.routes[("GET", "/openapi.json")] = FakeResponse(200, OPENAPI)
        assert "answered" in api_client.ticket_filters()


def test_without_the_api_words_the_grid_shows_raw_keys_and_keeps_working():
    page = {"items": [dict(TICKET, category="services")], "total": 1}
    session = FakeSession(
        {
            ("GET", "/categories"): problem(503, "Unavailable"),
            TICKETS: FakeResponse(200, page),
        }
    )
    with dashboard(session):
        response, alert, _matches = helpdesk.update_grid_rows(
            {"startRow": 0, "endRow": 100}, None, None, None, None, None
        )
    row = response["rowData"][0]
    assert alert is None and (row["status_label"], row["category_label"]) == ("open", "services")


def test_the_report_confirmation_names_the_api_category():
    session = FakeSession(
        {("POST", "/tickets"): FakeResponse(201, dict(TICKET, category="services"))}
    )
    with dashboard(session):
        out = report.on_submit_report(1, "Cold pasta", "The pasta was cold.", None, None)
    assert "filed under Services complaints" in text_of(out[0])


@pytest.fixture
def renamed_steps():
    """A workflow whose moves the API names differently from before."""
    moves = [
        dict(WORKFLOW["transitions"][0], action="Take it in hand"),
        dict(WORKFLOW["transitions"][1], action="Mark as solved"),
    ]
    return FakeResponse(200, dict(WORKFLOW, transitions=moves))


def test_the_step_shown_and_made_is_the_api_move(renamed_steps):
    moved = dict(TICKET, status="active", version=4)
    session = FakeSession(
        {("GET", "/workflow"): renamed_steps, ("PATCH", "/tickets/42"): FakeResponse(200, moved)}
    )
    with dashboard(session):
        panel = workflow.show_workflow(TICKET)[0]
        with triggered("status-action.n_clicks", 1):
            store, _alert, modal = workflow.on_status_step(1, None, None, TICKET, None)
        closing = text_of(workflow.show_workflow(moved)[0])
    assert "Take it in hand" in text_of(panel) and "Moves the ticket to “Active”" in text_of(panel)
    assert session.calls[-1]["json"] == {"status": "active"} and modal is False
    assert "Mark as solved" in closing and store == moved


def test_without_the_workflow_no_step_is_offered_or_made():
    session = FakeSession({("GET", "/workflow"): problem(503, "Unavailable")})
    with dashboard(session):
        panel = text_of(workflow.show_workflow(TICKET)[0])
        with triggered("status-action.n_clicks", 1):
            workflow.on_status_step(1, None, None, TICKET, None)
    assert "No next step" in panel and "open" in panel
    assert [c for c in session.calls if c["method"] == "PATCH"] == []


def test_the_user_list_offers_the_statuses_the_api_shows_users():
    with dashboard(FakeSession()):
        built = importlib.import_module("dash_app.pages.user").layout()
    status, category = find(built, "tickets-status"), find(built, "tickets-category")
    assert [o["label"] for o in status.options] == ["Open and active", "Open", "Active"]
    assert status.value == "open,active"
    assert "Services complaints" in [o["label"] for o in category.options]


def test_the_board_offers_the_api_statuses_and_categories():
    with dashboard(FakeSession()):
        built = importlib.import_module("dash_app.pages.helpdesk").layout()
    status, category = find(built, "helpdesk-status"), find(built, "helpdesk-category")
    assert [(o["label"], o["value"]) for o in status.options] == [
        ("All statuses", "all"),
        ("Open and active", "open,active"),
        ("Open", "open"),
        ("Active", "active"),
        ("Closed", "closed"),
    ]
    assert [o["label"] for o in category.options][1:] == [
        "Facility management",
        "Technical IT",
        "Services complaints",
    ]
