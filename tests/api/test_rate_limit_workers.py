"""The rate limits as deployed: the API under gunicorn with three workers, flooded by
concurrent requests of two clients. Whichever worker serves each request, every client gets
exactly its allowance: the count is shared in the database (SQLite, PostgreSQL) or in Redis."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.api.test_crash import running_api

ALLOWED = 5
FLOOD = 24  # requests per client, sent 12 at a time


def flood(base: str, address: str) -> list[requests.Response]:
    session = requests.Session()

    def post(n: int) -> requests.Response:
        return session.post(
            f"{base}/tickets",
            json={"title": f"Flood {n}", "description": "The same report, again and again."},
            headers={"X-Forwarded-For": address},
            timeout=30,
        )

    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(post, range(FLOOD)))


@pytest.mark.parametrize(
    "settings, store",
    [
        ("sqlite", "database"),
        pytest.param("postgres", "database", marks=pytest.mark.postgres),
        # Redis keeps the counts whichever database the tickets are in
        ("sqlite", "redis"),
    ],
    indirect=["settings"],
)
def test_every_worker_shares_the_count(settings, store, request, tmp_path):
    settings = settings.with_changes(rate_limits=True, ticket_limits=((ALLOWED, 3600),))
    if store == "redis":
        import redis

        settings = settings.with_changes(redis_url=request.getfixturevalue("redis_url"))
        redis.Redis.from_url(settings.redis_url).flushdb()
    with running_api(settings, tmp_path / "api.log", workers=3) as api:
        for address in ("10.20.0.1", "10.20.0.2"):
            answers = flood(api.base, address)
            statuses = sorted(r.status_code for r in answers)
            assert statuses == [201] * ALLOWED + [429] * (FLOOD - ALLOWED), address
            refused = next(r for r in answers if r.status_code == 429)
            assert 1 <= int(refused.headers["Retry-After"]) <= 3600
            assert refused.json()["retry_after"] == int(refused.headers["Retry-After"])
        listed = requests.get(f"{api.base}/tickets", headers={"X-Role": "helpdesk"}, timeout=10)
        assert listed.json()["total"] == 2 * ALLOWED
