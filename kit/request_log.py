"""The request id and the access log every CampusDesk Flask app shares (docs/deployment.md,
"Following one request").

Each request gets an id: the incoming ``X-Request-ID`` when it is a plain token, else a new
one. It is kept in ``flask.g``, sent back as ``X-Request-ID``, sent on by the HTTP clients
(``outgoing_headers()``) and written in one JSON line per request to the
``campusdesk.access`` logger, which writes to stderr.

The line is written straight to stderr, in one ``write()``, while that logger has only its
own handler (as it does unless something attaches another one, as the tests do): building a
``logging.LogRecord`` for every request cost more than the rest of the hooks together. With
another handler attached, or the logger's level above INFO, the line goes through the logger.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone

import orjson
from flask import Flask, Response, g, has_request_context, request

from kit.clients import client_address

HEADER = "X-Request-ID"
LOGGER = "campusdesk.access"
#: The ids taken from a caller, as nginx's map accepts them (deploy/nginx/campusdesk.conf).
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_sane = SANE_ID.fullmatch

log = logging.getLogger(LOGGER)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners and servers replace it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


_handler: _StderrHandler | None = None
#: One line at a time from the threads of a process (the handler's lock does the same).
_write_lock = threading.Lock()


def _install_handler() -> None:
    # One handler per process, however many apps it builds; each line is one write() of well
    # under PIPE_BUF, so gunicorn workers sharing stderr never interleave within a line.
    global _handler
    for handler in log.handlers:
        if isinstance(handler, _StderrHandler):
            _handler = handler
            break
    else:
        _handler = _StderrHandler()
        _handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(_handler)
    log.setLevel(logging.INFO)
    # Not to the root logger: a handler configured there would write every line twice.
    log.propagate = False


def _write(line: str) -> None:
    """One access-log line to stderr, or through the logger when others listen to it too."""
    handlers = log.handlers
    if len(handlers) == 1 and handlers[0] is _handler and log.isEnabledFor(logging.INFO):
        try:
            with _write_lock:
                stream = sys.stderr
                stream.write(line + "\n")
                stream.flush()
            return
        except Exception:  # noqa: BLE001 - the logger reports it on stderr, as it always did
            pass
    log.info(line)


def new_request_id() -> str:
    """A new id: 32 random lowercase hex digits (as ``uuid4().hex`` gives, at a quarter of
    the cost)."""
    return os.urandom(16).hex()


def sane_request_id(value: str | None) -> str:
    """value when it is 1-128 characters of ``[A-Za-z0-9._:-]``, else a new id."""
    if value and _sane(value):
        return value
    return os.urandom(16).hex()


def start_request() -> None:
    """Take or make the id of the request being served and start its clock."""
    # Returns None: a before_request hook that returns a value would answer the request.
    g.request_id = sane_request_id(request.environ.get("HTTP_X_REQUEST_ID"))
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


#: The second last written and its text up to the milliseconds (``2026-11-30T09:12:04.``).
_second: list = [None, ""]


def log_time() -> str:
    """The current UTC time as ``datetime.isoformat(timespec="milliseconds")`` writes it,
    the date and time of day formatted once per second."""
    second, nanos = divmod(time.time_ns(), 1_000_000_000)
    cached = _second
    if cached[0] != second:
        text = datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
        cached[1], cached[0] = text, second
    return f"{cached[1]}{nanos // 1_000_000:03d}+00:00"


#: Path parts that are secrets (a ticket's follow token): the log names the route instead.
SECRET_ARGS = ("token",)


def _logged_path(req) -> str:
    path = req.path
    for name in SECRET_ARGS:
        secret = (req.view_args or {}).get(name)
        if secret:
            path = path.replace(str(secret), "{" + name + "}")
    return path


def access_record(process: str, response: Response, trusted: tuple = ()) -> dict:
    """The access-log fields of the request being served and its response; ``remote_addr``
    is the client behind the ``trusted`` proxies (kit.clients), and secrets in the path
    (SECRET_ARGS) are left out."""
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    req = request._get_current_object()
    rule = req.url_rule
    return {
        "time": log_time(),
        "process": process,
        "request_id": g.get("request_id"),
        "method": req.method,
        "route": rule.rule if rule is not None else None,
        "path": _logged_path(req) if req.view_args else req.path,
        "status": response.status_code,
        "duration_ms": round(duration, 1) if duration is not None else None,
        "remote_addr": client_address(req.environ, trusted) if trusted else req.remote_addr,
    }


def init_app(
    app: Flask, process: str, *, access_log: bool = True, trusted_proxies: tuple = ()
) -> None:
    """Give every request of app an id, echo it, and (when access_log) log one JSON line,
    naming the client behind ``trusted_proxies`` (CAMPUSDESK_TRUSTED_PROXIES)."""
    if access_log:
        _install_handler()

    def finish(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id is None:  # a hook registered before ours failed
            start_request()
            request_id = g.request_id
        response.headers[HEADER] = request_id
        if access_log:
            record = access_record(process, response, trusted_proxies)
            _write(orjson.dumps(record).decode())
        return response

    app.before_request(start_request)
    app.after_request(finish)
