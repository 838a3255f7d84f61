"""Every service and the dashboard refuse oversized bodies (413) and header fields (431) with
problem documents, announced or chunked, and serve requests within the limits as before."""

from __future__ import annotations

import io
import json

import pytest

from kit.settings import Settings, SettingsError
from tests.unit.dash_fakes import FakeSession, dashboard

SERVICE_NAMES = ("unclosed", "resolution", "by-category")


def assert_problem(response, status: int) -> dict:
    """The response is a problem document of status, with the members every problem has."""
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"].startswith("https://campusdesk.example/problems/")
    return body


def chunked(client, path: str, size: int):
    """POST size bytes to path without a Content-Length, as a chunked upload arrives."""
    return client.post(
        path,
        input_stream=io.BytesIO(b"[" + b"1," * (size // 2) + b"1]"),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def big_headers(total: int) -> dict[str, str]:
    """Several ordinary-sized cookie-like headers adding up to about total bytes."""
    return {f"X-Extra-{n}": "v" * 1000 for n in range(total // 1000 + 1)}


def service(name: str, **changes):
    from metrics_services import create_app

    return create_app(name, Settings(**changes)).test_client()


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_refuses_a_body_over_16_kib(name):
    client = service(name)
    body = assert_problem(client.post("/health", data=b"x" * (16 * 1024 + 1)), 413)
    assert body["detail"] == "The request body is larger than the limit of 16 KiB."
    assert body["type"].endswith("/too-large")
    assert_problem(chunked(client, "/health", 64 * 1024), 413)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_refuses_headers_over_the_limit(name):
    client = service(name)
    body = assert_problem(client.get("/health", headers=big_headers(8 * 1024)), 431)
    assert "8 KiB" in body["detail"] and body["type"].endswith("/headers-too-large")
    assert body["instance"] == "/health"
    # The refused request still has its id and security headers.
    response = client.get("/health", headers=big_headers(8 * 1024))
    assert response.headers["X-Request-ID"] and response.headers["X-Content-Type-Options"]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_serves_requests_within_the_limits(name):
    client = service(name)
    response = client.get("/health", headers=big_headers(6 * 1024))
    assert response.status_code == 200 and response.json["status"] == "ok"
    assert client.get("/openapi.json").status_code == 200


def test_header_limit_comes_from_the_settings():
    client = service("unclosed", max_header_bytes=32 * 1024)
    assert client.get("/health", headers=big_headers(16 * 1024)).status_code == 200
    assert_problem(client.get("/health", headers=big_headers(33 * 1024)), 431)


def test_every_service_operation_declares_431():
    doc = service("by-category").get("/openapi.json").json
    for methods in doc["paths"].values():
        for operation in methods.values():
            assert "431" in operation["responses"]


def test_dashboard_refuses_oversized_bodies_and_headers():
    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        path = "/helpdesk/_dash-update-component"
        body = assert_problem(
            client.post(path, data=b"x" * (1024 * 1024 + 1), content_type="application/json"),
            413,
        )
        assert body["detail"] == "The request body is larger than the limit of 1 MiB."
        assert_problem(chunked(client, path, 2 * 1024 * 1024), 413)
        assert_problem(client.get("/helpdesk/user", headers=big_headers(8 * 1024)), 431)


def test_dashboard_serves_pages_and_callbacks_within_the_limits():
    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        # A browser with a few cookies: well under the limit.
        cookies = {"Cookie": "; ".join(f"c{n}={'v' * 200}" for n in range(20))}
        assert client.get("/helpdesk/user", headers=cookies).status_code == 200
        # A callback far larger than any the pages send is read, not refused.
        update = {
            "output": "nothing-here.children",
            "outputs": {"id": "nothing-here", "property": "children"},
            "inputs": [{"id": "x", "property": "value", "value": "d" * 200_000}],
            "changedPropIds": ["x.value"],
        }
        response = client.post(
            "/helpdesk/_dash-update-component",
            data=json.dumps(update),
            content_type="application/json",
        )
        assert response.status_code not in (413, 431)


def test_dashboard_callbacks_take_photos_and_nothing_larger():
    from dash_app import dashboard_photo_limit

    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        settings = app.server.config["CAMPUSDESK_SETTINGS"]
        limit = dashboard_photo_limit(settings)
        # three photos of 8 MiB, base64-encoded, fit
        assert limit >= 1024 * 1024 + 3 * 8 * 1024 * 1024 * 4 // 3
        photos = client.post(
            "/_dash-update-component",
            data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
            content_type="application/json",
        )
        assert photos.status_code not in (413, 431)
        over = client.post(
            "/_dash-update-component", data=b"x" * (limit + 1), content_type="application/json"
        )
        assert_problem(over, 413)
        # every other route keeps the dashboard's own limit
        page = client.post("/helpdesk/user", data=b"x" * (2 * 1024 * 1024))
        assert "limit of 1 MiB" in assert_problem(page, 413)["detail"]


def test_dashboard_body_limit_is_a_setting_of_its_own():
    s = Settings.from_env({"CAMPUSDESK_MAX_DASHBOARD_BODY_BYTES": "2097152"})
    assert (s.max_dashboard_body_bytes, s.max_body_bytes, s.max_header_bytes) == (
        2 * 1024 * 1024,
        1024 * 1024,
        8 * 1024,
    )
    with pytest.raises(SettingsError, match="CAMPUSDESK_MAX_HEADER_BYTES"):
        Settings.from_env({"CAMPUSDESK_MAX_HEADER_BYTES": "0"})
    photos = Settings.from_env({"CAMPUSDESK_MAX_PHOTO_BODY_BYTES": "52428800"})
    assert (photos.max_photo_body_bytes, photos.max_body_bytes) == (50 * 1024 * 1024, 1024 * 1024)
    assert Settings.from_env({}).max_photo_body_bytes == 25 * 1024 * 1024
    with pytest.raises(SettingsError, match="CAMPUSDESK_MAX_PHOTO_BODY_BYTES"):
        Settings.from_env({"CAMPUSDESK_MAX_PHOTO_BODY_BYTES": "0"})
