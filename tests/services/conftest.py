"""The analytics services against a real ticket API served over HTTP on a free port."""

from __future__ import annotations

import pytest


@pytest.fixture
def api_server(settings):
    """The ticket API on the test database, over HTTP; yields its base address."""
    from tests.apps import make_api, serving
    from ticket_api.db import database

    app = make_api(settings, testing=True)
    with serving(app) as url:
        yield url, app
    database.obj.close_all()


@pytest.fixture
def services(settings, api_server):
    """A test client of each service, each reaching the API over real HTTP."""
    from metrics_services import SERVICES, create_app

    url, _ = api_server
    configured = settings.with_changes(api_url=url)
    clients = {name: create_app(name, configured).test_client() for name in SERVICES}
    yield clients
    for client in clients.values():  # ends the kept-alive connections to the API
        client.application.extensions["campusdesk.ticket_api"].session.close()


@pytest.fixture
def api(api_server):
    """Flask's test client of the same API, for writes and list checks."""
    return api_server[1].test_client()
