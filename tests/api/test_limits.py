"""The API refuses oversized bodies (413) and header fields (431) with problem documents,
announced or chunked, before it touches the database."""

from __future__ import annotations

import io

from tests.api.helpers import HELPDESK, assert_problem, create


def big_headers(total: int) -> dict[str, str]:
    """Several ordinary-sized headers adding up to about total bytes."""
    return {f"X-Extra-{n}": "v" * 1000 for n in range(total // 1000 + 1)}


def test_chunked_body_over_one_mebibyte_is_413(client):
    big = b'{"title": "Big", "description": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post(
        "/api/tickets",
        input_stream=io.BytesIO(big),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    body = assert_problem(response, 413)
    assert body["detail"] == "The request body is larger than the limit of 1 MiB."


def test_headers_over_8_kib_are_431(client):
    before = client.get("/api/tickets", headers=HELPDESK).get_data()
    body = assert_problem(client.get("/api/tickets", headers=big_headers(8 * 1024)), 431)
    assert body["title"] == "Request header fields too large" and "8 KiB" in body["detail"]
    assert_problem(
        client.post(
            "/api/tickets",
            json={"title": "Lamp", "description": "Out."},
            headers=big_headers(8 * 1024),
        ),
        431,
    )
    assert client.get("/api/tickets", headers=HELPDESK).get_data() == before  # nothing created


def test_requests_within_the_limits_are_served(client):
    assert create(client, description="d" * 10_000)
    response = client.get("/api/tickets", headers=big_headers(6 * 1024))
    assert response.status_code == 200


def test_every_operation_declares_431(client):
    doc = client.get("/api/openapi.json").json
    for methods in doc["paths"].values():
        for operation in methods.values():
            assert "431" in operation["responses"]


def test_chunked_body_within_the_limit_is_served(client):
    response = client.post(
        "/api/tickets",
        input_stream=io.BytesIO(b'{"title": "Lamp out", "description": "Room 3."}'),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 201 and response.json["title"] == "Lamp out"
