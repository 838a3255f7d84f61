"""The OpenAPI document describes every route, and the API keeps to it under fuzzing."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kit.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
ROUTES = {
    ("get", "/api/health"),
    ("get", "/api/categories"),
    ("get", "/api/workflow"),
    ("post", "/api/classify"),
    ("get", "/api/tickets"),
    ("post", "/api/tickets"),
    ("get", "/api/tickets/{ticket_id}"),
    ("patch", "/api/tickets/{ticket_id}"),
    ("delete", "/api/tickets/{ticket_id}"),
    ("get", "/api/tickets/{ticket_id}/messages"),
    ("post", "/api/tickets/{ticket_id}/messages"),
    ("get", "/api/tickets/{ticket_id}/notes"),
    ("post", "/api/tickets/{ticket_id}/notes"),
    ("get", "/api/tickets/similar"),
    ("post", "/api/tickets/{ticket_id}/followers"),
    ("post", "/api/tickets/{ticket_id}/merge"),
    ("get", "/api/follow/{token}"),
    ("post", "/api/follow"),
    ("get", "/api/follow/{token}/messages"),
    ("post", "/api/follow/{token}/messages"),
    ("post", "/api/follow/{token}/rating"),
    ("get", "/api/tickets/{ticket_id}/photos"),
    ("post", "/api/tickets/{ticket_id}/photos"),
    ("get", "/api/tickets/{ticket_id}/photos/{photo_id}"),
    ("get", "/api/tickets/{ticket_id}/photos/{photo_id}/thumbnail"),
    ("get", "/api/follow/{token}/photos"),
    ("post", "/api/follow/{token}/photos"),
    ("get", "/api/follow/{token}/photos/{photo_id}"),
    ("get", "/api/follow/{token}/photos/{photo_id}/thumbnail"),
    ("get", "/api/notices"),
    ("post", "/api/notices"),
    ("delete", "/api/notices/{notice_id}"),
    ("get", "/api/mail"),
    ("get", "/api/unsubscribe/{token}"),
    ("post", "/api/unsubscribe/{token}"),
    ("get", "/api/tickets/{ticket_id}/history"),
    ("get", "/api/stats/status-counts"),
    ("get", "/api/stats/unclosed"),
    ("get", "/api/stats/resolution-time"),
    ("get", "/api/stats/active-by-category"),
    ("get", "/api/stats/months"),
    ("get", "/api/stats/satisfaction"),
    ("get", "/api/stats/days"),
    ("get", "/api/stats/unclosed-by-age"),
    ("get", "/api/stats/opening-hours"),
}


def test_document_lists_every_route_with_limits(client):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    routes = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert routes == ROUTES
    create = doc["components"]["schemas"]["TicketCreate"]
    assert create["properties"]["title"]["maxLength"] == 120
    assert create["additionalProperties"] is False
    patch = doc["paths"]["/api/tickets/{ticket_id}"]["patch"]
    assert {"409", "428", "422", "403"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    problem = patch["responses"]["409"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def fuzz_schema(tmp_path_factory, model_dir):
    """The live document of an API on SQLite, with a few tickets so that ids often exist."""
    from tests.apps import make_api
    from ticket_api.db import database

    app = make_api(
        Settings(
            data_dir=tmp_path_factory.mktemp("fuzz"),
            model_dir_override=str(model_dir),
            rate_limits=False,
        )
    )
    with app.test_client() as client:
        for n in range(1, 4):
            client.post(
                "/api/tickets",
                json={"title": f"Seed ticket {n}", "description": "The lamp in room 3 flickers."},
            )
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    database.obj.close_all()


@pytest.mark.parametrize("method, path", sorted(ROUTES))
def test_api_keeps_its_contract_under_fuzzing(fuzz_schema, method, path):
    """Generated requests, valid and invalid, get answers the document promises, never 5xx."""
    fuzz(fuzz_schema[path][method.upper()], examples=50)


def fuzz(operation, examples: int) -> None:
    """Generated requests to one operation, valid and invalid, each checked against the
    document: never a 5xx, every answer as promised."""
    cases = strategies.one_of(
        *(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)
    )

    @given(case=cases)
    @hypothesis_settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
