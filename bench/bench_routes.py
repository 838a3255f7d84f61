"""What the hot read routes of the ticket API cost per request in-process, through the WSGI
call a server makes (no HTTP, no test client), with an optional profile.

Builds the API on the database of the environment (``CAMPUSDESK_DATA_DIR``,
``CAMPUSDESK_DATABASE_URL``), calls each route N times per round as helpdesk, the routes
interleaved in rounds, and prints the median microseconds per request of each; the access log
is on and written to ``os.devnull``; the answers the API keeps until the data changes are off
(every request reads the database). ``--profile ROUTE`` runs cProfile over that route instead
and prints the functions by own time.

    CAMPUSDESK_DATA_DIR=DIR python bench/bench_routes.py --requests 2000 --rounds 5
    CAMPUSDESK_DATA_DIR=DIR python bench/bench_routes.py --profile list50
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUTES = {
    "health": ("/api/health", ""),
    "list": ("/api/tickets", ""),
    "list50": ("/api/tickets", "per_page=50&status=open,active"),
    "one": ("/api/tickets/4242", ""),
}


def environ(path: str, query: str) -> dict:
    """A WSGI environ of GET path?query as gunicorn builds it, as helpdesk."""
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "HTTP_X_ROLE": "helpdesk",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app, path: str, query: str) -> tuple[str, bytes]:
    status = []
    body = b"".join(app(environ(path, query), lambda s, h, e=None: status.append(s)))
    return status[0], body


#: The clock: wall time, or with --cpu this process's CPU time (less disturbed by other work
#: on a shared machine, but blind to the time spent waiting for a database server).
clock = time.perf_counter


def time_route(app, path: str, query: str, n: int) -> float:
    started = clock()
    for _ in range(n):
        status, _ = call(app, path, query)
    elapsed = clock() - started
    assert status.startswith("200"), status
    return elapsed / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="per route and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", help=f"one of {', '.join(ROUTES)}, or a --url")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--cpu", action="store_true", help="time this process's CPU time")
    parser.add_argument(
        "--url", action="append", default=[], help="time these paths instead (repeatable)"
    )
    args = parser.parse_args()
    if args.url:
        ROUTES.clear()
        for url in args.url:
            path, _, query = url.partition("?")
            ROUTES[url] = (path, query)
    if args.cpu:
        global clock
        clock = time.process_time

    from kit.settings import Settings
    from ticket_api import create_app

    app = create_app(Settings.from_env().with_changes(read_cache_entries=0))
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        for path, query in ROUTES.values():
            time_route(app, path, query, min(200, args.requests))
        if args.profile:
            path, query = ROUTES[args.profile]
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                call(app, path, query)
            profile.disable()
        else:
            samples = {name: [] for name in ROUTES}
            for _ in range(args.rounds):
                for name, (path, query) in ROUTES.items():
                    samples[name].append(time_route(app, path, query, args.requests))
    if args.profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        return
    print(f"{args.requests} requests per route and round, {args.rounds} rounds, median µs")
    for name, values in samples.items():
        print(
            f"{name:>8}: {statistics.median(values):8.1f} µs "
            f"(rounds {min(values):.0f}-{max(values):.0f})"
        )


if __name__ == "__main__":
    main()
