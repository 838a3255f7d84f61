"""Each analytics service fuzzed from its own OpenAPI document, over months of demo tickets.

``test_service_contract.py`` fuzzes the services on three fresh tickets with random examples;
here the real API behind them holds seeded history (closures, first replies, several
categories and months), so the answers' non-empty shapes meet the schemas too, and the
examples are derandomized so that a failure comes back on every run. The services take no
role header (they call the API as helpdesk themselves), so only the documented query
parameters vary."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from tests.api.test_openapi import CHECKS

EXAMPLES = 30


@pytest.fixture
def history(api_server):
    """Demo tickets over eight months, with messages and history, behind the services."""
    from ticket_api.db import database
    from ticket_api.seed import seed

    app = api_server[1]
    classifier = app.extensions["campusdesk.classifier"]()
    with database.connection_context():
        seed(database.obj, classifier, 120, months=8, rng_seed=7, progress=False)


@pytest.mark.parametrize("name", ["unclosed", "resolution", "by-category"])
def test_each_service_keeps_its_contract_on_real_history(services, history, name):
    app = services[name].application
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    analyses = services[name].get("/analyses").json["analyses"]
    assert {(op.method, op.path) for op in operations} == {("get", a["path"]) for a in analyses}
    for operation in operations:
        fuzz_derandomized(operation, EXAMPLES)


def fuzz_derandomized(operation, examples: int) -> None:
    """As ``tests.api.test_openapi.fuzz``, valid and invalid requests under the same checks,
    but with a fixed sequence of examples."""
    cases = strategies.one_of(
        *(operation.as_strategy(generation_mode=mode) for mode in GenerationMode)
    )

    @given(case=cases)
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
