"""The dashboard's API client: headers, If-Match, and every failure turned into ApiError."""

from __future__ import annotations

import pytest
import requests

from dash_app import api_client
from dash_app.api_client import MAX_MESSAGE_PAGES, ApiClient, ApiError
from kit.request_log import start_request
from tests.unit.dash_fakes import (
    TICKET,
    FakeResponse,
    FakeSession,
    dashboard,
    down_session,
    problem,
)


def client(session, role="user", name=None) -> ApiClient:
    return ApiClient("http://api.test/", role, name, session=session)


def test_role_and_name_travel_as_headers():
    session = FakeSession({("GET", "/tickets/42"): FakeResponse(200, TICKET)})
    assert client(session, "helpdesk", "Marco").get_ticket(42) == TICKET
    headers = session.calls[0]["headers"]
    assert headers["X-Role"] == "helpdesk" and headers["X-User-Name"] == b"Marco"


def test_unknown_role_falls_back_to_user_and_names_travel_as_utf8():
    session = FakeSession({("GET", "/tickets/42"): FakeResponse(200, TICKET)})
    client(session, "admin", "Zoë 漢字").get_ticket(42)
    headers = session.calls[0]["headers"]
    assert headers["X-Role"] == "user" and headers["X-User-Name"] == "Zoë 漢字".encode()


def test_update_sends_the_version_as_if_match():
    session = FakeSession({("PATCH", "/tickets/42"): FakeResponse(200, dict(TICKET, version=4))})
    assert client(session).update_ticket(42, 3, {"title": "New"})["version"] == 4
    assert session.calls[0]["headers"]["If-Match"] == '"3"'
    assert session.calls[0]["json"] == {"title": "New"}


def test_stale_version_carries_the_current_ticket():
    current = dict(TICKET, version=5, title="Theirs")
    session = FakeSession(
        {
            ("PATCH", "/tickets/42"): problem(
                409, "Conflict", "The ticket was changed by someone else.", current=current
            )
        }
    )
    with pytest.raises(ApiError) as caught:
        client(session).update_ticket(42, 3, {"title": "Mine"})
    assert caught.value.status == 409 and caught.value.current == current
    assert caught.value.detail == "The ticket was changed by someone else."


def test_validation_errors_are_kept_by_field():
    session = FakeSession(
        {
            ("POST", "/tickets"): problem(
                422,
                "Validation failed",
                "Some fields are not valid.",
                errors=[{"field": "title", "message": "too short"}],
            )
        }
    )
    with pytest.raises(ApiError) as caught:
        client(session).create_ticket({"title": "x", "description": "y"})
    assert caught.value.field_errors() == {"title": "too short"}
    assert caught.value.title == "Validation failed"


def test_api_down_is_an_api_error_with_a_readable_title():
    with pytest.raises(ApiError) as caught:
        client(down_session()).list_tickets()
    assert caught.value.status == 0 and "unreachable" in caught.value.title


def test_timeout_is_an_api_error():
    with pytest.raises(ApiError) as caught:
        client(FakeSession(error=requests.Timeout("slow"))).health()
    assert "too slow" in caught.value.title


def test_a_non_json_error_page_still_gives_a_title():
    session = FakeSession({("GET", "/health"): FakeResponse(502, None, reason="Bad Gateway")})
    with pytest.raises(ApiError) as caught:
        client(session).health()
    assert caught.value.status == 502 and caught.value.title == "Bad Gateway"


def test_list_leaves_out_empty_filters():
    session = FakeSession({("GET", "/tickets"): FakeResponse(200, {"items": [], "total": 0})})
    client(session).list_tickets(q=None, status="open,active", category="", page=2)
    assert session.calls[0]["params"] == {"status": "open,active", "page": 2}


def test_messages_after_id_and_send():
    session = FakeSession(
        {
            ("GET", "/tickets/42/messages"): FakeResponse(200, {"items": [{"id": 8}]}),
            ("POST", "/tickets/42/messages"): FakeResponse(201, {"id": 9, "body": "Hi"}),
        }
    )
    api = client(session)
    assert api.messages(42, after_id=7)["items"] == [{"id": 8}]
    assert session.calls[0]["params"] == {"after_id": 7}
    api.send_message(42, "Hi", author_name="  Anna ")
    assert session.calls[1]["json"] == {"body": "Hi", "author_name": "Anna"}


def test_delete_returns_nothing_on_204():
    session = FakeSession({("DELETE", "/tickets/42"): FakeResponse(204)})
    assert client(session, "helpdesk").delete_ticket(42) is None


def thread_route(count: int, limit: int = 200):
    """The messages route of a ticket with messages 1..count, paged as the API pages them."""

    def answer(params, _json, _headers):
        after = int((params or {}).get("after_id", 0))
        ids = [n for n in range(after + 1, count + 1)][: limit + 1]
        more = len(ids) > limit
        ids = ids[:limit]
        body = {"items": [{"id": n} for n in ids], "has_more": more}
        return FakeResponse(200, dict(body, next_after_id=ids[-1] if more else None))

    return answer


def test_messages_follow_the_cursor_to_the_end_of_the_thread():
    session = FakeSession({("GET", "/tickets/42/messages"): thread_route(450)})
    thread = client(session).messages(42)
    assert [m["id"] for m in thread["items"]] == list(range(1, 451))
    assert thread["has_more"] is False and thread["next_after_id"] is None
    assert [c["params"] for c in session.calls] == [None, {"after_id": 200}, {"after_id": 400}]


def test_messages_stop_after_the_most_requests_and_say_the_thread_goes_on():
    session = FakeSession({("GET", "/tickets/42/messages"): thread_route(10_500)})
    thread = client(session).messages(42)
    assert len(session.calls) == MAX_MESSAGE_PAGES == 50
    assert [m["id"] for m in thread["items"]] == list(range(1, 10_001))
    assert thread["has_more"] is True and thread["next_after_id"] == 10_000
    rest = client(session).messages(42, after_id=thread["next_after_id"])
    assert [m["id"] for m in rest["items"]] == list(range(10_001, 10_501))
    assert rest["has_more"] is False


def test_a_cursor_that_goes_back_is_an_api_error():
    looping = FakeResponse(200, {"items": [{"id": 3}], "has_more": True, "next_after_id": 3})
    session = FakeSession({("GET", "/tickets/42/messages"): looping})
    with pytest.raises(ApiError) as caught:
        client(session).messages(42, after_id=3)
    assert caught.value.title == "Unexpected answer" and len(session.calls) == 1


def test_the_dashboard_sends_its_request_id_to_the_api_and_the_services():
    session = FakeSession(
        {
            ("GET", "/stats/status-counts"): FakeResponse(200, {"open": 1}),
            ("GET", "unclosed.test/analyses"): FakeResponse(200, {"analyses": []}),
        }
    )
    with dashboard(session) as app:
        with app.server.test_request_context("/", headers={"X-Request-ID": "dash-42"}):
            start_request()
            api_client.for_role("helpdesk").status_counts()
            api_client.for_service("unclosed").analyses()
    sent = [call["headers"].get("X-Request-ID") for call in session.calls]
    assert sent == ["dash-42", "dash-42"]


def test_no_request_id_is_sent_outside_a_request():
    session = FakeSession({("GET", "/tickets/42"): FakeResponse(200, TICKET)})
    client(session).get_ticket(42)
    assert "X-Request-ID" not in session.calls[0]["headers"]


def test_a_rate_limit_carries_when_to_retry():
    refused = problem(429, "Too many requests", "Please try again in 40 seconds.", retry_after=40)
    refused.headers["Retry-After"] = "40"
    session = FakeSession({("POST", "/tickets"): refused})
    with pytest.raises(ApiError) as caught:
        client(session).create_ticket({"title": "Lift", "description": "Stuck"})
    assert caught.value.status == 429 and caught.value.retry_after == 40


def test_the_address_of_the_person_served_travels_on():
    session = FakeSession({("GET", "/stats/status-counts"): FakeResponse(200, {})})
    with dashboard(session) as app:
        with app.server.test_request_context(
            "/",
            headers={"X-Forwarded-For": "198.51.100.3"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ):
            api_client.for_role("helpdesk").status_counts()
    assert session.calls[0]["headers"]["X-Forwarded-For"] == "198.51.100.3, 127.0.0.1"
