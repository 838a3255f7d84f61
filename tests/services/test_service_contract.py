"""Each service publishes its OpenAPI document and catalogue, keeps to it under fuzzing,
starts without the API's code, and says clearly when the ticket API is down."""

from __future__ import annotations

import pytest
import schemathesis

from kit.settings import Settings
from tests.api.test_openapi import fuzz
from tests.ports import free_port
from tests.unit.test_layers import heavy_modules_after

SERVICE_NAMES = ("unclosed", "resolution", "by-category")


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_api_down_is_a_503_problem_and_health_stays_up(name):
    from metrics_services import create_app

    client = create_app(name, Settings(api_url=f"http://127.0.0.1:{free_port()}")).test_client()
    assert client.get("/health").json["status"] == "ok"
    for analysis in client.get("/analyses").json["analyses"]:
        query = {"last": 3} if analysis["key"] == "unclosed" else {}
        response = client.get(analysis["path"], query_string=query)
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert "ticket API" in response.json["detail"]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_catalogue_and_document_share_each_definition(name):
    from metrics_services import create_app

    client = create_app(name, Settings()).test_client()
    doc = client.get("/openapi.json").json
    assert doc["openapi"].startswith("3.1") and doc["info"]["description"]
    for analysis in client.get("/analyses").json["analyses"]:
        operation = doc["paths"][analysis["path"]]["get"]
        assert analysis["definition"] and operation["description"] == analysis["definition"]
        assert operation["summary"].rstrip(".") == analysis["title"]
        assert "400" in operation["responses"] and "503" in operation["responses"]


def test_a_service_starts_without_database_or_model_code():
    code = (
        "from metrics_services import create_app\n"
        "from kit.settings import Settings\n"
        "for name in ('unclosed', 'resolution', 'by-category'):\n"
        "    create_app(name, Settings()).test_client().get('/health')"
    )
    assert heavy_modules_after(code, also=("ticket_api", "campusdesk")) == set()


@pytest.fixture
def fuzz_schemas(services, api):
    """Each service's live document, its API holding a few tickets."""
    for n in range(3):
        api.post("/api/tickets", json={"title": f"Lamp {n} out", "description": "Room 3."})
    return {
        name: schemathesis.openapi.from_wsgi("/openapi.json", client.application)
        for name, client in services.items()
    }


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_keeps_its_contract_under_fuzzing(fuzz_schemas, name):
    schema = fuzz_schemas[name]
    for operation in schema.get_all_operations():
        fuzz(operation.ok(), examples=25)
