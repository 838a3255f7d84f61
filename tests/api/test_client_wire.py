"""The dashboard's API client against the real API over HTTP: names in any script arrive."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from dash_app.api_client import ApiClient


@pytest.fixture
def api_url(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.mark.parametrize("name", ["Marco", "Zoë", "Łukasz Żółć", "陈伟", "Дарья"])
def test_names_reach_history_and_messages(api_url, name):
    user = ApiClient(api_url, "user", name)
    ticket = user.create_ticket({"title": "Broken tap", "description": "The tap drips."})
    message = user.send_message(ticket["id"], "Hello")
    history = user.history(ticket["id"])
    assert ticket["reporter_name"] == name and message["author_name"] == name
    assert {item["name"] for item in history} == {name}
