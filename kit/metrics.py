"""The Prometheus metrics every CampusDesk Flask app serves at ``/metrics`` (docs/deployment.md,
"Metrics"): requests by process, route and status, and their latency by process and route.

Every metric of the project is made with :func:`counter` or :func:`histogram`, so all of them
live in one registry. Under gunicorn each worker keeps its own counts: when
``PROMETHEUS_MULTIPROC_DIR`` is set (deploy/gunicorn.conf.py gives every process group a
folder of its own) the workers write them there and ``/metrics`` adds up every worker's
files; without it the process's own registry is served.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: The route label of requests that matched no route (so any path cannot add a series).
UNMATCHED = "<unmatched>"


def counter(name: str, documentation: str, labels: tuple[str, ...] = ()) -> Counter:
    """A counter in the registry every CampusDesk metric shares."""
    return Counter(name, documentation, labels, registry=REGISTRY)


def histogram(name: str, documentation: str, labels: tuple[str, ...] = (), **kwargs) -> Histogram:
    """A histogram in the registry every CampusDesk metric shares."""
    return Histogram(name, documentation, labels, registry=REGISTRY, **kwargs)


REQUESTS = counter(
    "campusdesk_http_requests",
    "HTTP requests answered, by process, route pattern and status.",
    ("process", "route", "status"),
)
LATENCY = histogram(
    "campusdesk_http_request_duration_seconds",
    "Time to answer an HTTP request, by process and route pattern.",
    ("process", "route"),
)


def multiprocess() -> bool:
    """Whether the workers' counts are kept in the files of PROMETHEUS_MULTIPROC_DIR."""
    return bool(os.environ.get(MULTIPROC_ENV))


def exposition() -> bytes:
    """Every metric in the Prometheus text format, added up over the workers if several."""
    if not multiprocess():
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess as mp

    registry = CollectorRegistry()
    mp.MultiProcessCollector(registry)
    return generate_latest(registry)


def serve_metrics() -> Response:
    """The process's metrics for Prometheus to scrape."""
    return Response(exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


def init_app(app: Flask, process: str) -> None:
    """Serve ``/metrics`` on app and count, and time, every request it answers."""

    # The labelled series of each route and status, looked up once: labels() validates and
    # locks on every call. Routes are the app's rules (or UNMATCHED), so the dict stays small.
    series: dict[tuple[str, int], tuple] = {}

    def record(response: Response) -> Response:
        rule = request.url_rule
        route = rule.rule if rule is not None else UNMATCHED
        status = response.status_code
        pair = series.get((route, status))
        if pair is None:
            pair = REQUESTS.labels(process, route, str(status)), LATENCY.labels(process, route)
            series[(route, status)] = pair
        pair[0].inc()
        started = g.get("metrics_started")
        if started is not None:  # None when a hook registered before ours failed
            pair[1].observe(time.perf_counter() - started)
        return response

    app.add_url_rule(PATH, "metrics", serve_metrics, methods=["GET"])
    app.before_request(_start)
    app.after_request(record)
