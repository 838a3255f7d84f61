"""What the per-request hooks every CampusDesk Flask app shares cost, measured in-process.

Builds the hello-world JSON app of bench/hello.py several times: bare, with each hook of
kit/ alone (request id and access log, Prometheus metrics, size limits, security headers)
and with all of them, as ticket_api wires them. Times N requests to each through Flask's test
client, the variants interleaved in rounds so machine noise falls on all alike, and prints per
variant the median microseconds per request, the difference to the bare app and the ratio.

The access log is on but written to os.devnull while timing (its handler writes to whatever
sys.stderr is at the time), so the figures hold the JSON formatting and the write() call but
no terminal I/O.

    python bench/bench_overhead.py --requests 20000 --rounds 5
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from collections.abc import Callable

from flask import Flask, jsonify

from kit import headers, limits, metrics, request_log

PROCESS = "bench"
BODY_BYTES = 1024 * 1024  # the defaults of kit/settings.py
HEADER_BYTES = 8 * 1024


def with_request_log(app: Flask) -> None:
    request_log.init_app(app, PROCESS, access_log=True)


def with_metrics(app: Flask) -> None:
    metrics.init_app(app, PROCESS)


def with_limits(app: Flask) -> None:
    limits.init_app(app, body_bytes=BODY_BYTES, header_bytes=HEADER_BYTES)


def with_headers(app: Flask) -> None:
    headers.init_app(app)


def with_all(app: Flask) -> None:
    # In the order of ticket_api/__init__.py.
    with_headers(app)
    with_request_log(app)
    with_limits(app)
    with_metrics(app)


VARIANTS: dict[str, Callable[[Flask], None] | None] = {
    "bare": None,
    "request_log (id + JSON access log)": with_request_log,
    "metrics (counter + histogram)": with_metrics,
    "limits (body/header size)": with_limits,
    "headers (security headers)": with_headers,
    "all four": with_all,
}


def build(hook: Callable[[Flask], None] | None) -> Flask:
    """The hello-world app, with hook applied to it."""
    app = Flask(__name__)
    if hook is not None:
        hook(app)

    @app.get("/hello")
    def hello():
        return jsonify(status="ok")

    return app


#: The clock: wall time, or with --cpu this process's CPU time (less disturbed by other work
#: on a shared machine).
clock = time.perf_counter


def time_requests(client, n: int) -> float:
    """Microseconds per request over n GET /hello."""
    get = client.get
    started = clock()
    for _ in range(n):
        response = get("/hello")
    elapsed = clock() - started
    assert response.status_code == 200, response.status_code
    return elapsed / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000, help="per variant and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--cpu", action="store_true", help="time this process's CPU time")
    args = parser.parse_args()
    if args.cpu:
        global clock
        clock = time.process_time

    clients = {name: build(hook).test_client() for name, hook in VARIANTS.items()}
    samples: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        for client in clients.values():
            time_requests(client, args.warmup)
        for _ in range(args.rounds):
            for name, client in clients.items():
                samples[name].append(time_requests(client, args.requests))

    bare = statistics.median(samples["bare"])
    print(
        f"{args.requests:,} requests per variant and round, {args.rounds} rounds "
        f"interleaved, median of rounds ({'CPU' if args.cpu else 'wall'} time)"
    )
    print()
    print("| variant | µs / request | − bare (µs) | × bare |")
    print("| --- | --- | --- | --- |")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} | {median - bare:+.1f} | {median / bare:.2f} |")
    spread = {n: (min(v), max(v)) for n, v in samples.items()}
    print()
    print(
        "round range (µs): "
        + ", ".join(f"{n.split()[0]} {a:.0f}–{b:.0f}" for n, (a, b) in spread.items())
    )


if __name__ == "__main__":
    main()
