"""Hostile and malformed requests get a clear problem response, never a 5xx."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, assert_problem, create, patch
from ticket_api.migrations import LATEST


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[1, 2]",
        b"null",
        b"\xff\xfe",
        b'"text"',
        b'{"title": "\\ud800 lone surrogate", "description": "x"}',
    ],
)
def test_malformed_json_is_a_client_error(client, raw):
    response = client.post("/api/tickets", data=raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_empty_body_is_400(client):
    assert_problem(client.post("/api/tickets", data=b"", content_type="application/json"), 400)


def test_validation_names_every_failing_field(client):
    body = assert_problem(
        client.post(
            "/api/tickets",
            json={"title": "ab", "description": "", "location": "x" * 121, "status": "closed"},
        ),
        422,
    )
    assert {e["field"] for e in body["errors"]} == {"title", "description", "location", "status"}


@pytest.mark.parametrize("title", [123, None, ["a"], {"a": 1}, True, "tab\x00nul", "bell\x07"])
def test_wrong_types_and_control_characters_are_422(client, title):
    assert_problem(client.post("/api/tickets", json={"title": title, "description": "x"}), 422)


def test_unicode_is_kept_exactly(client):
    title = "Ascensore guasto — 電梯 🚧 ẞ"
    description = "Riga uno\nRiga due\twith tab; emoji 🧯 and RTL עברית"
    ticket = create(client, title=title, description=description)
    assert (ticket["title"], ticket["description"]) == (title, description)


def test_limits_are_counted_after_trimming(client):
    assert create(client, title="  " + "t" * 120 + "  ")["title"] == "t" * 120
    assert_problem(client.post("/api/tickets", json={"title": "t" * 121, "description": "x"}), 422)
    assert create(client, description="d" * 10_000)
    assert_problem(
        client.post("/api/tickets", json={"title": "Long", "description": "d" * 10_001}), 422
    )


def test_body_over_one_mebibyte_is_413(client):
    big = b'{"title": "Big", "description": "' + b"x" * (1024 * 1024) + b'"}'
    assert_problem(client.post("/api/tickets", data=big, content_type="application/json"), 413)


def test_patch_needs_a_known_field(client):
    ticket = create(client)
    assert_problem(patch(client, ticket, colour="red"), 422)
    assert_problem(patch(client, ticket, title=None), 422)
    assert_problem(patch(client, ticket, status="reopened"), 422)


def test_unknown_routes_and_methods_are_problems(client):
    assert_problem(client.get("/api/nothing-here"), 404)
    response = client.put("/api/tickets", json={})
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_classify_preview_stores_nothing(client):
    response = client.post("/api/classify", json={"text": "la stampante non funziona"})
    body = response.json
    assert response.status_code == 200 and body["category"] == "it"
    assert abs(sum(body["scores"].values()) - 1) < 1e-6
    assert body["confidence"] == body["scores"]["it"]
    assert client.get("/api/tickets", headers=HELPDESK).json["total"] == 0
    assert_problem(client.post("/api/classify", json={"text": ""}), 422)


def test_health_and_categories(client):
    assert client.get("/api/health").json == {
        "status": "ok",
        "database": "ok",
        "schema_version": LATEST,
        "schema_expected": LATEST,
        "model": "ready",
    }
    keys = [c["key"] for c in client.get("/api/categories").json]
    assert keys == ["facility", "it", "services"]


def test_health_says_when_the_schema_changed_under_a_running_api(client, app):
    from ticket_api.db import database

    with app.app_context():
        database.connect(reuse_if_open=True)
        database.execute_sql(f"UPDATE campusdesk_schema SET version = {LATEST + 1}")
        database.close()
    try:
        body = assert_problem(client.get("/api/health"), 503)
        assert body["schema_version"] == LATEST + 1 and body["schema_expected"] == LATEST
        assert "campusdesk init-db" in body["detail"] and body["model"] == "ready"
    finally:
        with app.app_context():
            database.connect(reuse_if_open=True)
            database.execute_sql(f"UPDATE campusdesk_schema SET version = {LATEST}")
            database.close()
