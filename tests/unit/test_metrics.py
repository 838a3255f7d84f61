"""kit.metrics: /metrics in the Prometheus text format, every request counted by route
pattern and status and timed."""

from __future__ import annotations

import pytest
from flask import Flask
from prometheus_client import REGISTRY

from kit import metrics


@pytest.fixture
def client():
    app = Flask("metrics_test")
    metrics.init_app(app, "unit-test")

    @app.get("/things/<int:thing_id>")
    def thing(thing_id):
        return {"id": thing_id}, 200 if thing_id else 404

    return app.test_client()


def requests_counted(route: str, status: str) -> float:
    labels = {"process": "unit-test", "route": route, "status": status}
    return REGISTRY.get_sample_value("campusdesk_http_requests_total", labels) or 0.0


def test_metrics_are_served_in_the_prometheus_text_format(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "version=" in response.headers["Content-Type"]
    text = response.get_data(as_text=True)
    assert "# TYPE campusdesk_http_requests_total counter" in text
    assert "# TYPE campusdesk_http_request_duration_seconds histogram" in text


def test_a_request_is_counted_by_route_pattern_and_status(client):
    ok, missing = (
        requests_counted("/things/<int:thing_id>", "200"),
        requests_counted("/things/<int:thing_id>", "404"),
    )
    client.get("/things/7")
    client.get("/things/8")
    client.get("/things/0")
    assert requests_counted("/things/<int:thing_id>", "200") == ok + 2
    assert requests_counted("/things/<int:thing_id>", "404") == missing + 1
    text = client.get("/metrics").get_data(as_text=True)
    assert (
        'campusdesk_http_requests_total{process="unit-test",route="/things/<int:thing_id>",'
        'status="200"}' in text
    )
    timed = REGISTRY.get_sample_value(
        "campusdesk_http_request_duration_seconds_count",
        {"process": "unit-test", "route": "/things/<int:thing_id>"},
    )
    assert timed and timed >= 3


def test_unknown_paths_share_one_series(client):
    before = requests_counted(metrics.UNMATCHED, "404")
    client.get("/no/such/page")
    client.get("/another/one")
    assert requests_counted(metrics.UNMATCHED, "404") == before + 2
