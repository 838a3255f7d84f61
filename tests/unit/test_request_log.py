"""The shared request id and access log (kit/request_log.py): ids taken or made, echoed,
sent on by the clients, and one JSON line per request."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

import pytest
from flask import Flask, abort

from kit import request_log
from kit.settings import Settings, SettingsError
from tests.unit.dash_fakes import FakeSession, dashboard

NEW_ID = re.compile(r"[0-9a-f]{32}")


def make_app(access_log: bool = True) -> Flask:
    app = Flask("probe")
    request_log.init_app(app, "probe", access_log=access_log)

    @app.get("/things/<int:thing_id>")
    def thing(thing_id):
        if thing_id == 0:
            abort(404)
        return {"id": thing_id, "request_id": request_log.current_request_id()}

    return app


@pytest.fixture
def access_lines(caplog):
    """The access-log lines written during the test, parsed (the logger does not propagate)."""
    logger = logging.getLogger(request_log.LOGGER)
    logger.addHandler(caplog.handler)
    yield lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == logger.name]
    logger.removeHandler(caplog.handler)


@pytest.mark.parametrize("given", ["abc-123", "a", "web.1:req_7-x", "x" * 128])
def test_a_sane_id_is_kept_in_g_and_echoed(given):
    response = make_app().test_client().get("/things/7", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] == given
    assert response.json["request_id"] == given


@pytest.mark.parametrize("given", [None, "", "x" * 129, "has space", "semi;colon", "ünïcode"])
def test_a_missing_or_odd_id_is_replaced_by_a_new_one(given):
    headers = {} if given is None else {"X-Request-ID": given}
    response = make_app().test_client().get("/things/7", headers=headers)
    made = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(made) and response.json["request_id"] == made


def test_each_request_gets_its_own_new_id():
    client = make_app().test_client()
    ids = {client.get("/things/7").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_errors_carry_the_id_too(access_lines):
    response = make_app().test_client().get("/things/0", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "err-1"
    assert access_lines()[-1]["status"] == 404


def test_one_json_line_per_request_with_every_field(access_lines):
    client = make_app().test_client()
    client.get("/things/7?x=1", headers={"X-Request-ID": "abc-123"})
    client.get("/nowhere")
    first, unrouted = access_lines()
    assert set(first) == {
        "time",
        "process",
        "request_id",
        "method",
        "route",
        "path",
        "status",
        "duration_ms",
        "remote_addr",
    }
    assert first["process"] == "probe" and first["request_id"] == "abc-123"
    assert first["method"] == "GET" and first["status"] == 200
    assert first["route"] == "/things/<int:thing_id>" and first["path"] == "/things/7"
    assert first["duration_ms"] >= 0 and first["remote_addr"] == "127.0.0.1"
    assert datetime.fromisoformat(first["time"]).utcoffset().total_seconds() == 0
    assert unrouted["route"] is None and unrouted["status"] == 404


def test_the_line_goes_to_stderr_as_one_json_object(capsys):
    make_app().test_client().get("/things/7", headers={"X-Request-ID": "to-stderr"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "to-stderr" in line]
    assert len(lines) == 1 and json.loads(lines[0])["request_id"] == "to-stderr"


def test_switched_off_no_line_but_the_id_still_travels(access_lines):
    response = (
        make_app(access_log=False).test_client().get("/things/7", headers={"X-Request-ID": "quiet"})
    )
    assert response.headers["X-Request-ID"] == "quiet"
    assert access_lines() == []


def test_many_apps_in_one_process_share_one_handler():
    for _ in range(3):
        make_app()
    logger = logging.getLogger(request_log.LOGGER)
    assert sum(isinstance(h, request_log._StderrHandler) for h in logger.handlers) == 1
    assert logger.propagate is False


def test_outside_a_request_no_id_is_sent():
    assert request_log.current_request_id() is None
    assert request_log.outgoing_headers() == {}


@pytest.mark.parametrize(
    ("raw", "expected"), [("", True), ("1", True), ("on", True), ("0", False), ("false", False)]
)
def test_the_setting_switches_the_log(raw, expected):
    assert Settings.from_env({"CAMPUSDESK_ACCESS_LOG": raw}).access_log is expected


def test_the_setting_refuses_other_words():
    with pytest.raises(SettingsError, match="CAMPUSDESK_ACCESS_LOG"):
        Settings.from_env({"CAMPUSDESK_ACCESS_LOG": "maybe"})


def test_the_dashboard_server_echoes_the_id():
    with dashboard(FakeSession()) as app:
        response = app.server.test_client().get("/_favicon.ico", headers={"X-Request-ID": "d-1"})
    assert response.headers["X-Request-ID"] == "d-1"


def test_the_log_time_is_isoformat_to_the_millisecond_in_utc():
    before = datetime.now(timezone.utc)
    written = request_log.log_time()
    after = datetime.now(timezone.utc)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", written)
    parsed = datetime.fromisoformat(written)
    assert before.replace(microsecond=before.microsecond // 1000 * 1000) <= parsed <= after


def test_a_line_is_written_once_whether_or_not_another_handler_listens(capsys, access_lines):
    make_app().test_client().get("/things/7", headers={"X-Request-ID": "once-1"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "once-1" in line]
    assert len(lines) == 1
    assert [line["request_id"] for line in access_lines()] == ["once-1"]


def test_the_line_names_the_client_and_never_a_follow_token(access_lines):
    from kit.settings import DEFAULT_TRUSTED_PROXIES, parse_networks

    app = Flask("follow-probe")
    trusted = parse_networks("TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    request_log.init_app(app, "probe", access_log=True, trusted_proxies=trusted)

    @app.get("/follow/<token>")
    def followed(token):
        return {"ok": True}

    token = "S3cr3t-token_" + "x" * 30
    app.test_client().get(
        f"/follow/{token}",
        headers={"X-Forwarded-For": "198.51.100.7"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    (line,) = access_lines()
    assert line["path"] == "/follow/{token}" and line["route"] == "/follow/<token>"
    assert token not in json.dumps(line)
    assert line["remote_addr"] == "198.51.100.7"


def test_gunicorn_lines_hide_follow_and_unsubscribe_tokens():
    from campusdesk.gunicorn_logging import hide_follow_tokens

    token = "Ab-_" + "x" * 39
    assert hide_follow_tokens(f"GET /api/follow/{token}/messages HTTP/1.1") == (
        "GET /api/follow/{token}/messages HTTP/1.1"
    )
    assert hide_follow_tokens(f"POST /desk/api/unsubscribe/{token} HTTP/1.1") == (
        "POST /desk/api/unsubscribe/{token} HTTP/1.1"
    )
    assert hide_follow_tokens(f"GET /desk/unsubscribe/{token}") == "GET /desk/unsubscribe/{token}"
    assert hide_follow_tokens("GET /api/tickets/12") == "GET /api/tickets/12"
