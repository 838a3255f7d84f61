"""Callbacks of the helpdesk board, the workflow, messages and roles, with the HTTP stubbed."""

from __future__ import annotations

from dash import Patch, no_update

from callbacks import helpdesk, messages, roles, workflow
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

MESSAGE = {
    "id": 7,
    "ticket_id": 42,
    "body": "Hello",
    "author_role": "user",
    "author_name": "Anna",
    "created_at": "2026-11-24T10:15:00+00:00",
}


def test_grid_block_becomes_one_api_page():
    query = helpdesk.grid_query(
        {"startRow": 200, "endRow": 300, "sortModel": []},
        " lift ",
        "all",
        "it",
        "category_confidence",
    )
    assert query == {
        "page": 3,
        "per_page": 100,
        "sort": "category_confidence",
        "q": "lift",
        "status": None,
        "category": "it",
    }


def test_grid_header_sort_wins_over_the_order_choice():
    query = helpdesk.grid_query(
        {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "opened_at", "sort": "desc"}]},
        None,
        "open",
        None,
        "-modified_at",
    )
    assert query["sort"] == "-opened_at" and query["status"] == "open"


def test_grid_rows_and_total_come_from_the_api():
    session = FakeSession(
        {
            ("GET", "/tickets"): FakeResponse(
                200, {"items": [TICKET], "total": 1_000_000, "page": 1, "per_page": 100}
            )
        }
    )
    with dashboard(session):
        response, alert, matches = helpdesk.update_grid_rows(
            {"startRow": 0, "endRow": 100}, None, None, None, None, None
        )
    assert response["rowCount"] == 1_000_000 and alert is None
    assert matches == "Showing all 1,000,000 tickets."
    row = response["rowData"][0]
    assert row["link"] == "[#42](/helpdesk/tickets/42)" and row["status_label"] == "Open"
    assert row["category_label"] == "Facility management"
    assert row["confidence_label"] == "91%" and row["opened_label"] == "24 Nov 2026, 11:15"
    assert row["to_check"] is False
    assert session.calls[0]["params"]["per_page"] == 100
    assert session.calls[0]["headers"]["X-Role"] == "helpdesk"


def test_an_uncounted_search_leaves_the_grid_open_ended_until_its_last_block():
    def page(items: int) -> FakeSession:
        body = {"items": [TICKET] * items, "total": 1000, "total_exact": False}
        return FakeSession({("GET", "/tickets"): FakeResponse(200, body | {"per_page": 100})})

    with dashboard(page(100)):
        response, _, matches = helpdesk.update_grid_rows(
            {"startRow": 0, "endRow": 100}, "wifi", None, None, None, None
        )
    assert "rowCount" not in response and len(response["rowData"]) == 100
    assert matches.startswith("More than 1,000 tickets match these filters")
    with dashboard(page(30)):
        response, _, _ = helpdesk.update_grid_rows(
            {"startRow": 1200, "endRow": 1300}, "wifi", None, None, None, None
        )
    assert response["rowCount"] == 1230


def test_grid_error_shows_an_alert_and_an_empty_block():
    with dashboard(down_session()):
        response, alert, matches = helpdesk.update_grid_rows(
            {"startRow": 0, "endRow": 100}, None, None, None, None, None
        )
    assert response == {"rowData": [], "rowCount": 0} and "unreachable" in text_of(alert)
    assert matches == ""


def test_status_counts():
    session = FakeSession(
        {
            ("GET", "/stats/status-counts"): FakeResponse(
                200, {"open": 5, "active": 2, "closed": 1200}
            )
        }
    )
    with dashboard(session):
        text = text_of(helpdesk.update_status_counts(1))
    assert "1,200" in text and "1,207" in text


def test_start_work_moves_open_to_active():
    session = FakeSession(
        {("PATCH", "/tickets/42"): FakeResponse(200, dict(TICKET, status="active", version=4))}
    )
    with dashboard(session), triggered("status-action.n_clicks", 1):
        store, alert, modal = workflow.on_status_step(1, None, None, TICKET, "Marco")
    assert session.calls[0]["json"] == {"status": "active"}
    assert session.calls[0]["headers"]["If-Match"] == '"3"'
    assert store["status"] == "active" and alert is None and modal is False


def test_closing_asks_first_then_closes():
    active = dict(TICKET, status="active", version=4)
    session = FakeSession(
        {("PATCH", "/tickets/42"): FakeResponse(200, dict(active, status="closed", version=5))}
    )
    with dashboard(session):
        with triggered("status-action.n_clicks", 1):
            assert workflow.on_status_step(1, None, None, active, None) == (no_update, None, True)
        assert session.calls == []
        with triggered("close-confirm.n_clicks", 1):
            store, _alert, modal = workflow.on_status_step(1, 1, None, active, None)
    assert session.calls[0]["json"] == {"status": "closed"} and store["status"] == "closed"
    assert modal is False


def test_a_stale_status_change_reloads_the_current_ticket():
    current = dict(TICKET, status="active", version=9)
    session = FakeSession(
        {("PATCH", "/tickets/42"): problem(409, "Conflict", "Stale", current=current)}
    )
    with dashboard(session), triggered("status-action.n_clicks", 1):
        store, alert, _modal = workflow.on_status_step(1, None, None, TICKET, None)
    assert store == current and "Someone else changed" in text_of(alert)


def test_category_override_and_its_source():
    overridden = dict(
        TICKET, category="services", category_source="helpdesk", category_confidence=None, version=4
    )
    session = FakeSession({("PATCH", "/tickets/42"): FakeResponse(200, overridden)})
    with dashboard(session):
        store, alert = workflow.on_category_override(1, "services", TICKET, "Marco")
        shown = workflow.show_workflow(store)
    assert session.calls[0]["json"] == {"category": "services"} and alert is None
    assert shown[1] == "services" and shown[2] == "Set by the helpdesk"


def test_workflow_on_closed_ticket_disables_the_override():
    with dashboard(FakeSession()):
        shown = workflow.show_workflow(
            dict(TICKET, status="closed", closed_at="2026-11-25T09:00:00+00:00")
        )
    assert shown[3] is True and shown[4] is True and "read-only" in text_of(shown[0])


def test_thread_first_load_then_only_newer_messages():
    session = FakeSession(
        {("GET", "/tickets/42/messages"): FakeResponse(200, {"items": [MESSAGE]})}
    )
    with dashboard(session):
        children, last, alert = messages.update_thread(42, None, 0, None, "user")
        assert "User · Anna" in text_of(children) and last == 7 and alert is None
        session.routes[("GET", "/tickets/42/messages")] = FakeResponse(
            200, {"items": [dict(MESSAGE, id=8, body="Again", author_role="helpdesk")]}
        )
        patch, last, _ = messages.update_thread(42, 1, 0, 7, "user")
    assert session.calls[1]["params"] == {"after_id": 7}
    assert isinstance(patch, Patch) and last == 8


def test_a_thread_longer_than_one_refresh_says_so_and_the_next_poll_goes_on():
    def answer(params, _json, _headers):
        after = int((params or {}).get("after_id", 0))
        ids = list(range(after + 1, min(after + 200, 10_300) + 1))
        more = ids[-1] < 10_300
        items = [dict(MESSAGE, id=n, body=f"message {n}") for n in ids]
        return FakeResponse(
            200, {"items": items, "has_more": more, "next_after_id": ids[-1] if more else None}
        )

    session = FakeSession({("GET", "/tickets/42/messages"): answer})
    with dashboard(session):
        children, last, alert = messages.update_thread(42, None, 0, None, "user")
        assert len(children) == 10_000 and last == 10_000
        assert "longer than shown" in text_of(alert)
        patch, last, alert = messages.update_thread(42, 1, 0, last, "user")
    assert session.calls[50]["params"] == {"after_id": 10_000} and len(session.calls) == 52
    assert isinstance(patch, Patch) and last == 10_300 and alert is None


def test_thread_poll_with_nothing_new_changes_nothing():
    session = FakeSession({("GET", "/tickets/42/messages"): FakeResponse(200, {"items": []})})
    with dashboard(session):
        assert messages.update_thread(42, 3, 0, 7, "user") == (no_update, no_update, None)


def test_thread_poll_when_api_is_down_keeps_the_thread():
    with dashboard(down_session()):
        children, last, alert = messages.update_thread(42, 3, 0, 7, "user")
    assert children is no_update and last is no_update and "Cannot refresh" in text_of(alert)


def test_send_clears_the_box_and_pokes_the_thread():
    session = FakeSession({("POST", "/tickets/42/messages"): FakeResponse(201, MESSAGE)})
    with dashboard(session), triggered("message-body.n_submit", 1):
        value, poke, alert, _photos, _chosen = messages.on_send_message(
            None, 1, " Hello ", 42, "user", "Anna", 2
        )
    assert session.calls[0]["json"] == {"body": "Hello", "author_name": "Anna"}
    assert (value, poke, alert) == ("", 3, None)


def test_send_failure_keeps_the_text():
    session = FakeSession(
        {
            ("POST", "/tickets/42/messages"): problem(
                409, "Ticket closed", "A closed ticket takes no messages."
            )
        }
    )
    with dashboard(session), triggered("message-send.n_clicks", 1):
        value, poke, alert, _photos, _chosen = messages.on_send_message(
            1, None, "Hello", 42, "user", None, 0
        )
    assert value is no_update and poke is no_update and "Ticket closed" in text_of(alert)


def test_empty_message_is_not_sent():
    session = FakeSession()
    with dashboard(session), triggered("message-send.n_clicks", 1):
        messages.on_send_message(1, None, "   ", 42, "user", None, 0)
    assert session.calls == []


def test_role_sections_and_questions():
    with dashboard(FakeSession()):
        assert roles.section_of("/user/tickets/4") == "user"
        assert roles.section_of("/helpdesk") == "helpdesk"
        assert roles.section_of("/") is None
        with triggered("app-url.pathname", "/user/tickets/4"):
            assert roles.check_role_for_page("/user/tickets/4", None, None)[:2] == ("user", False)
        with triggered("app-url.pathname", "/helpdesk"):
            store, is_open, body, button = roles.check_role_for_page("/helpdesk", "user", None)
        assert store is no_update and is_open is True and "helpdesk staff" in body
        with triggered("role-modal-confirm.n_clicks", 1):
            assert roles.check_role_for_page("/helpdesk", "user", 1)[:2] == ("helpdesk", False)
        assert roles.show_current_role("x", "user", "Anna", "")[0] == "Anna"
        assert roles.show_current_role("x", "user", "Anna", "Marco")[0] is no_update
        with triggered("choose-helpdesk.n_clicks", 1):
            assert roles.on_choose_role(None, 1, " Marco ") == ("helpdesk", "Marco", "/helpdesk")


def test_delete_asks_first_then_deletes_and_returns_to_the_board():
    session = FakeSession({("DELETE", "/tickets/42"): FakeResponse(204)})
    with dashboard(session):
        with triggered("delete-action.n_clicks", 1):
            assert workflow.on_delete_ticket(1, None, None, TICKET, None) == (True, no_update, None)
        assert session.calls == []
        with triggered("delete-confirm.n_clicks", 1):
            is_open, path, alert = workflow.on_delete_ticket(1, 1, None, TICKET, "Marco")
    assert session.calls[0]["method"] == "DELETE" and (is_open, path, alert) == (
        False,
        "/helpdesk",
        None,
    )


def test_delete_refused_is_explained():
    session = FakeSession({("DELETE", "/tickets/42"): problem(403, "Forbidden", "Helpdesk only.")})
    with dashboard(session), triggered("delete-confirm.n_clicks", 1):
        is_open, path, alert = workflow.on_delete_ticket(1, 1, None, TICKET, None)
    assert is_open is False and path is no_update and "Forbidden" in text_of(alert)
