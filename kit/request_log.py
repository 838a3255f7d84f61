"""The request id and the access log every CampusDesk Flask app shares (docs/deployment.md,
"Following one request").

Each request gets an id: the incoming ``X-Request-ID`` when it is a plain token, else a new
one. It is kept in ``flask.g``, sent back as ``X-Request-ID``, sent on by the HTTP clients
(``outgoing_headers()``) and written in one JSON line per request to the
``campusdesk.access`` logger, which writes to stderr.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

import orjson
from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
LOGGER = "campusdesk.access"
#: The ids taken from a caller, as nginx's map accepts them (deploy/nginx/campusdesk.conf).
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

log = logging.getLogger(LOGGER)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners and servers replace it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def _install_handler() -> None:
    # One handler per process, however many apps it builds; each line is one write() of well
    # under PIPE_BUF, so gunicorn workers sharing stderr never interleave within a line.
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    # Not to the root logger: a handler configured there would write every line twice.
    log.propagate = False


def sane_request_id(value: str | None) -> str:
    """value when it is 1-128 characters of ``[A-Za-z0-9._:-]``, else a new id."""
    if value and SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def start_request() -> None:
    """Take or make the id of the request being served and start its clock."""
    # Returns None: a before_request hook that returns a value would answer the request.
    g.request_id = sane_request_id(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def current_request_id() -> str | None:
    """The id of the request being served; None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


def outgoing_headers() -> dict[str, str]:
    """The headers that carry the current request's id on a call to another process."""
    request_id = current_request_id()
    return {HEADER: request_id} if request_id else {}


def access_record(process: str, response: Response) -> dict:
    """The access-log fields of the request being served and its response."""
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    return {
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "process": process,
        "request_id": current_request_id(),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration, 1) if duration is not None else None,
        "remote_addr": request.remote_addr,
    }


def init_app(app: Flask, process: str, *, access_log: bool = True) -> None:
    """Give every request of app an id, echo it, and (when access_log) log one JSON line."""
    if access_log:
        _install_handler()

    def finish(response: Response) -> Response:
        if current_request_id() is None:  # a hook registered before ours failed
            start_request()
        response.headers[HEADER] = current_request_id()
        if access_log:
            log.info(orjson.dumps(access_record(process, response)).decode())
        return response

    app.before_request(start_request)
    app.after_request(finish)
