"""One request id from the caller of a service to the ticket API and back, over real HTTP."""

from __future__ import annotations

import json
import logging

import pytest

from kit.request_log import LOGGER


@pytest.fixture
def access_log(caplog):
    """The parsed access-log lines of every process in this test (the logger does not
    propagate, so caplog's handler is attached to it)."""
    logger = logging.getLogger(LOGGER)
    logger.addHandler(caplog.handler)
    yield lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]
    logger.removeHandler(caplog.handler)


def test_the_id_travels_from_a_service_to_the_api_and_back(services, access_log):
    response = services["unclosed"].get(
        "/unclosed", query_string={"last": 30}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "abc-123"
    lines = [line for line in access_log() if line["request_id"] == "abc-123"]
    api_lines = [line for line in lines if line["process"] == "api"]
    assert [(line["method"], line["route"], line["status"]) for line in api_lines] == [
        ("GET", "/api/stats/unclosed", 200)
    ]
    service_lines = [line for line in lines if line["process"] == "unclosed"]
    assert [(line["route"], line["status"]) for line in service_lines] == [("/unclosed", 200)]


def test_a_service_makes_an_id_when_given_none_and_the_api_gets_it(services, access_log):
    response = services["by-category"].get("/active-by-category")
    made = response.headers["X-Request-ID"]
    assert response.status_code == 200 and len(made) == 32
    assert any(line["process"] == "api" and line["request_id"] == made for line in access_log())
