"""What the rate limits cost a request that creates something: the limiter's check alone and
a whole ``POST /api/tickets``, with the limits off, counted in the database and counted in
Redis, on SQLite and on PostgreSQL, interleaved in one run (ratios to "off" hold on a noisy
machine). Reads never reach the limiter.

    python bench/bench_ratelimit.py --database-url postgresql://HOST/DB --redis-url redis://HOST:6379/0
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.settings import Settings  # noqa: E402
from ticket_api import ratelimit  # noqa: E402

REPORT = {"title": "Projector broken", "description": "The projector in Aula 3 shows no image."}
#: generous enough that no attempt of the run is refused: every one pays the full count
LIMITS = ((10**9, 60), (10**9, 3600), (10**9, 86400))


def build(database_url: str, data_dir: Path, store: str, redis_url: str):
    from ticket_api import create_app
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        access_log=False,
        rate_limits=store != "off",
        ticket_limits=LIMITS,
        redis_url=redis_url if store == "redis" else "",
    )
    db = open_database(settings)
    migrate(db, zone=settings.zone)
    db.close()
    return create_app(settings)


def time_checks(app, n: int, addresses) -> float:
    """Microseconds per limiter check, inside a request of one client after another."""
    limiter = app.extensions[ratelimit.EXTENSION]
    from ticket_api.db import database

    started = time.perf_counter()
    for _ in range(n):
        environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": next(addresses)}
        with app.test_request_context("/api/tickets", method="POST", environ_base=environ):
            database.connect(reuse_if_open=True)
            limiter.check("tickets")
            database.close()
    return (time.perf_counter() - started) / n * 1e6


def time_posts(client, n: int, addresses) -> float:
    """Microseconds per POST /api/tickets (validated, classified, written)."""
    started = time.perf_counter()
    for _ in range(n):
        response = client.post(
            "/api/tickets", json=REPORT, headers={"X-Forwarded-For": next(addresses)}
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty or scratch PostgreSQL database")
    parser.add_argument("--redis-url", help="a Redis server (its rate keys are written)")
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    stores = ["off", "database"] + (["redis"] if args.redis_url else [])
    backends = {"SQLite": ""} | ({"PostgreSQL": args.database_url} if args.database_url else {})
    addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count())
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as null:
        with contextlib.redirect_stderr(null):
            apps = {
                (backend, store): build(url, Path(tmp) / "data", store, args.redis_url or "")
                for backend, url in backends.items()
                for store in stores
            }
            checks = {key: [] for key in apps}
            posts = {key: [] for key in apps}
            clients = {key: app.test_client() for key, app in apps.items()}
            for key in apps:  # warm up: classifier, connections, caches
                time_posts(clients[key], 20, addresses)
            for _ in range(args.rounds):
                for key, app in apps.items():
                    checks[key].append(time_checks(app, args.checks, addresses))
                    posts[key].append(time_posts(clients[key], args.posts, addresses))
    print(
        f"{'backend':<11} {'limits':<9} {'check µs':>9} {'POST µs':>9} {'POST − off':>11} "
        f"{'× off':>6}   (median of {args.rounds} rounds)"
    )
    for backend in backends:
        off = statistics.median(posts[(backend, "off")])
        for store in stores:
            check = statistics.median(checks[(backend, store)])
            post = statistics.median(posts[(backend, store)])
            print(
                f"{backend:<11} {store:<9} {check:>9.1f} {post:>9.1f} {post - off:>+11.1f} "
                f"{post / off:>6.2f}"
            )


if __name__ == "__main__":
    main()
