"""Rate limits on creating tickets and messages: per client, counted in the database (both
backends) or in Redis, answered 429 with Retry-After as a problem the OpenAPI document
describes; reads are never limited; a failing Redis lets people through."""

from __future__ import annotations

import logging

import pytest

from tests.apps import make_api
from ticket_api import ratelimit
from ticket_api.db import database
from ticket_api.telemetry import RATE_LIMIT_STORE_ERRORS

REPORT = {"title": "Lift stuck", "description": "The lift in building C is stuck on floor 2."}
LIMITS = {"ticket_limits": ((3, 60), (5, 3600)), "message_limits": ((2, 60),)}


class Clock:
    """The limiter's clock, moved by the test."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def limited_app(settings, **changes):
    app = make_api(settings.with_changes(rate_limits=True, **LIMITS, **changes), testing=True)
    clock = Clock()
    app.extensions[ratelimit.EXTENSION].clock = clock
    return app, clock


@pytest.fixture
def limited(settings):
    """The API with tight limits (3 tickets a minute and 5 an hour, 2 messages a minute) on
    the test database, and the limiter's clock."""
    app, clock = limited_app(settings)
    yield app.test_client(), clock
    database.obj.close_all()


def report(client, address: str = "10.0.0.9", **headers):
    return client.post("/api/tickets", json=REPORT, headers={"X-Forwarded-For": address, **headers})


def test_past_the_limit_a_client_gets_429_with_retry_after(limited):
    client, clock = limited
    assert [report(client).status_code for _ in range(3)] == [201, 201, 201]
    clock.now += 20
    refused = report(client)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "40"
    assert refused.mimetype == "application/problem+json"
    problem = refused.get_json()
    assert problem["type"].endswith("/too-many-requests")
    assert problem["retry_after"] == 40
    assert "at most 3 a minute" in problem["detail"]
    assert "try again in 40 seconds" in problem["detail"]
    # nothing was created by the refused request
    assert client.get("/api/tickets", headers={"X-Role": "helpdesk"}).get_json()["total"] == 3


def test_the_window_ends_and_the_client_may_report_again(limited):
    client, clock = limited
    for _ in range(3):
        assert report(client).status_code == 201
    assert report(client).status_code == 429
    clock.now += 61
    assert report(client).status_code == 201


def test_refused_attempts_count_towards_the_longer_windows(limited):
    client, clock = limited
    statuses = [report(client).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    clock.now += 61  # the minute is over, but 5 attempts of the hour's 5 are used
    refused = report(client)
    assert refused.status_code == 429
    assert "at most 5 an hour" in refused.get_json()["detail"]
    assert int(refused.headers["Retry-After"]) == 3600 - 61


def test_each_client_has_its_own_count(limited):
    client, _ = limited
    for _ in range(3):
        report(client, "10.0.0.9")
    assert report(client, "10.0.0.9").status_code == 429
    assert report(client, "10.0.0.10").status_code == 201
    # one IPv6 device rotating its addresses within its /64 is one client
    for suffix in ("1", "2", "3"):
        assert report(client, f"2001:db8:1:2::{suffix}").status_code == 201
    assert report(client, "2001:db8:1:2::99").status_code == 429
    assert report(client, "2001:db8:1:3::1").status_code == 201


def test_a_client_cannot_pass_for_another_through_x_forwarded_for(limited):
    """From an address that is not a trusted proxy, X-Forwarded-For is the client's own
    writing: the limit counts the connection's address."""
    client, _ = limited
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    for n in range(3):
        response = client.post(
            "/api/tickets",
            json=REPORT,
            headers={"X-Forwarded-For": f"10.1.1.{n}"},
            environ_base=outside,
        )
        assert response.status_code == 201
    response = client.post(
        "/api/tickets", json=REPORT, headers={"X-Forwarded-For": "10.1.1.99"}, environ_base=outside
    )
    assert response.status_code == 429


def test_messages_are_limited_and_reads_never(limited):
    client, _ = limited
    ticket = report(client, "10.0.0.1").get_json()["id"]
    path = f"/api/tickets/{ticket}/messages"
    statuses = [
        client.post(path, json={"body": f"news {n}"}, headers={"X-Forwarded-For": "10.0.0.2"})
        for n in range(3)
    ]
    assert [s.status_code for s in statuses] == [201, 201, 429]
    assert "many messages" in statuses[-1].get_json()["detail"]
    for _ in range(20):
        assert client.get(path, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 200
        assert (
            client.get("/api/tickets", headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 200
        )
    # the tickets limit is a count of its own
    assert report(client, "10.0.0.2").status_code == 201


def test_invalid_reports_do_not_use_the_limit(limited):
    """A form sent with a mistake gets its 422 and costs nothing of the person's allowance."""
    client, _ = limited
    for _ in range(5):
        bad = client.post(
            "/api/tickets", json={"title": "x"}, headers={"X-Forwarded-For": "10.0.0.3"}
        )
        assert bad.status_code == 422
    assert [report(client, "10.0.0.3").status_code for _ in range(3)] == [201, 201, 201]


def test_the_429_is_in_the_openapi_document(limited):
    client, _ = limited
    doc = client.get("/api/openapi.json").get_json()
    for path in (
        "/api/tickets",
        "/api/tickets/{ticket_id}/messages",
        "/api/follow/{token}/messages",
    ):
        response = doc["paths"][path]["post"]["responses"]["429"]
        assert "Retry-After" in response["description"]
        assert response["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    problem = doc["components"]["schemas"]["Problem"]["properties"]
    assert "retry_after" in problem


def test_limits_switched_off(settings):
    app = make_api(settings.with_changes(rate_limits=False, **LIMITS), testing=True)
    client = app.test_client()
    assert {report(client).status_code for _ in range(8)} == {201}
    database.obj.close_all()


def test_expired_counts_are_swept(limited):
    client, clock = limited
    report(client, "10.0.0.5")
    clock.now += 7200
    ratelimit_store = client.application.extensions[ratelimit.EXTENSION].store
    ratelimit_store._swept = 0.0  # as if the last sweep were long ago
    report(client, "10.0.0.6")
    buckets = [row[0] for row in database.execute_sql("SELECT bucket FROM rate_limit")]
    assert not any(bucket.endswith("10.0.0.5") for bucket in buckets)
    assert any(bucket.endswith("10.0.0.6") for bucket in buckets)


# ---- Redis -----------------------------------------------------------------------------


@pytest.fixture
def redis_limited(settings, redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    app, clock = limited_app(settings, redis_url=redis_url)
    yield app.test_client(), clock
    database.obj.close_all()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_counts_in_redis_when_it_is_configured(redis_limited, redis_url):
    import redis

    client, clock = redis_limited
    assert [report(client).status_code for _ in range(4)] == [201, 201, 201, 429]
    keys = {key.decode() for key in redis.Redis.from_url(redis_url).keys("campusdesk:rate:*")}
    assert "campusdesk:rate:tickets:60:10.0.0.9" in keys
    assert database.execute_sql("SELECT COUNT(*) FROM rate_limit").fetchone()[0] == 0
    refused = report(client)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_when_redis_is_down_people_are_let_through(settings, caplog):
    from tests.ports import free_port

    app, _ = limited_app(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    before = RATE_LIMIT_STORE_ERRORS._value.get()
    with caplog.at_level(logging.WARNING, logger="campusdesk.api"):
        statuses = [report(client).status_code for _ in range(5)]
    assert statuses == [201] * 5
    assert RATE_LIMIT_STORE_ERRORS._value.get() - before == 5
    assert any("rate limits not applied" in r.getMessage() for r in caplog.records)
    database.obj.close_all()
