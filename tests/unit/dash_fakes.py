"""Test helpers for the dashboard: a fake HTTP session and a Dash callback context."""

from __future__ import annotations

import json as jsonlib
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlparse

import requests

from kit.settings import Settings

TICKET = {
    "id": 42,
    "title": "Elevator stuck",
    "description": "Between floors 2 and 3",
    "location": "Building B",
    "reporter_name": "Anna",
    "status": "open",
    "category": "facility",
    "category_confidence": 0.91,
    "category_source": "auto",
    "opened_at": "2026-11-24T10:15:00+00:00",
    "modified_at": "2026-11-24T11:00:00+00:00",
    "closed_at": None,
    "version": 3,
}


CATEGORIES = [
    {"key": "facility", "label": "Facility management", "description": "Buildings."},
    {"key": "it", "label": "Technical IT", "description": "Anything digital."},
    {"key": "services", "label": "Services complaints", "description": "Services run by people."},
]
WORKFLOW = {
    "statuses": [
        {"key": "open", "label": "Open", "description": "Reported."},
        {"key": "active", "label": "Active", "description": "Being worked on."},
        {"key": "closed", "label": "Closed", "description": "Solved."},
    ],
    "transitions": [
        {"from": "open", "to": "active", "action": "Start work", "roles": ["helpdesk"]},
        {"from": "active", "to": "closed", "action": "Close ticket", "roles": ["helpdesk"]},
    ],
    "editable": {"user": ["title"], "helpdesk": ["title", "status", "category"]},
    "visible": {"user": ["open", "active"], "helpdesk": ["open", "active", "closed"]},
}


def _query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}], "default": None}


TIME = _nullable({"type": "string", "format": "date-time"})
#: The list route as the API's OpenAPI document declares it (with filters of a newer release).
LIST_OPERATION = {
    "parameters": [
        {"name": "X-Role", "in": "header", "required": False, "schema": {"type": "string"}},
        _query("status", _nullable({"type": "string", "maxLength": 40})),
        _query("category", _nullable({"type": "string", "maxLength": 40})),
        _query("q", _nullable({"type": "string", "maxLength": 200})),
        _query("opened_after", TIME),
        _query("opened_before", TIME),
        _query("closed_after", TIME),
        _query("closed_before", TIME),
        _query("open_at", TIME),
        _query("answered", _nullable({"type": "boolean"})),
        _query("to_check", _nullable({"type": "boolean"})),
        _query("sort", {"type": "string", "default": "-modified_at"}),
        _query("page", {"type": "integer", "minimum": 1}),
        _query("per_page", {"type": "integer", "minimum": 1, "maximum": 200}),
    ]
}
OPENAPI = {"openapi": "3.1.0", "paths": {"/api/tickets": {"get": LIST_OPERATION}}}


class FakeResponse:
    """Just enough of requests.Response for the API client."""

    def __init__(self, status: int, body=None, reason: str = "", content_type="application/json"):
        self.status_code = status
        self._body = body
        self.reason = reason
        self.content = b"" if body is None else jsonlib.dumps(body).encode()
        self.headers = {"Content-Type": content_type}

    def json(self):
        if self._body is None:
            raise ValueError("no body")
        return self._body


class FakeSession:
    """Answers requests from a table of (method, path) -> response, and records them.

    Routes of the analytics services are keyed by host and path: ("GET", "unclosed.test/backlog").
    """

    def __init__(self, routes: dict | None = None, error: Exception | None = None):
        # The API's descriptions of itself answer as the real one does, unless a test says not.
        self.routes = {**META_ROUTES, **(routes or {})}
        self.error = error
        self.calls: list[dict] = []

    def request(self, method, url, params=None, json=None, headers=None, timeout=None, **multipart):
        parsed = urlparse(url)
        path = parsed.path.removeprefix("/api")
        self.calls.append(
            {
                "method": method,
                "host": parsed.netloc,
                "path": path,
                "params": params,
                "json": json,
                "headers": headers or {},
                "timeout": timeout,
                "files": multipart.get("files"),
                "data": multipart.get("data"),
            }
        )
        if self.error is not None:
            raise self.error
        # A service's route is keyed with its host ("unclosed.test/analyses"), the API's without.
        answer = self.routes.get((method, parsed.netloc + parsed.path)) or self.routes.get(
            (method, path)
        )
        if answer is None:
            return FakeResponse(404, {"title": "Not Found", "status": 404, "detail": "no route"})
        return answer(params, json, headers) if callable(answer) else answer


META_ROUTES = {
    ("GET", "/categories"): FakeResponse(200, CATEGORIES),
    ("GET", "/workflow"): FakeResponse(200, WORKFLOW),
    ("GET", "/openapi.json"): FakeResponse(200, OPENAPI),
}


def problem(status: int, title: str, detail: str = "", **extra) -> FakeResponse:
    """An application/problem+json answer."""
    return FakeResponse(
        status,
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra},
        content_type="application/problem+json",
    )


def down_session() -> FakeSession:
    """A session whose every request fails as when the API is not running."""
    return FakeSession(error=requests.ConnectionError("connection refused"))


@cache
def _app():
    from dash_app import create_dash_app

    return create_dash_app(
        Settings(
            api_url="http://api.test",
            unclosed_url="http://unclosed.test",
            resolution_url="http://resolution.test",
            by_category_url="http://by-category.test",
            time_zone="Europe/Rome",
        )
    )


@contextmanager
def dashboard(session: FakeSession, warm: bool = True):
    """A request context of a dashboard whose API client uses the fake session.

    Like a dashboard that has run a while, it has already read the API's vocabulary and list
    filters (when the session answers them), so session.calls starts empty; warm=False starts
    with nothing read.
    """
    from dash_app import api_client

    app = _app()
    app.server.config[api_client.SESSION_KEY] = session
    api_client.CACHE.clear()
    with app.server.test_request_context("/"):
        if warm:
            api_client.vocabulary()
            api_client.ticket_filters()
            session.calls.clear()
        yield app


@contextmanager
def triggered(prop_id: str, value=1):
    """Run a callback as if the given input (\"id.prop\") had just changed."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    token = context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}])
    )
    try:
        yield
    finally:
        context_value.reset(token)
