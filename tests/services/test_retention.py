"""Retention erases personal data, never facts: every statistic of the API and every answer
of the three analytics services is the same before and after (ticket_api/retention.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.api.helpers import HELPDESK
from tests.services.test_services import ANALYSES, answer, numbers, seeded  # noqa: F401
from ticket_api import retention
from ticket_api.db import database
from ticket_api.timefields import to_epoch

STATS = (
    "/api/stats/status-counts",
    "/api/stats/unclosed?since=2020-01-01T00:00:00Z&until=2030-01-01T00:00:00Z",
    "/api/stats/resolution-time",
    "/api/stats/active-by-category",
    "/api/stats/months",
    "/api/stats/days",
    "/api/stats/unclosed-by-age",
    "/api/stats/opening-hours",
)


def every_answer(services, api) -> dict:
    answers = {}
    for path in STATS:
        response = api.get(path, headers=HELPDESK)
        answers[path] = (response.status_code, response.json)
    for name, items in ANALYSES.items():
        for path, query in items:
            body = answer(services, name, path, query)
            # "the last 30 days" ends at the second it is asked: its numbers are compared
            window = name == "unclosed" and "last" in query
            answers[(name, path)] = [n for n, _links in numbers(body)] if window else body
    listed = api.get("/api/tickets", query_string={"per_page": 100}, headers=HELPDESK).json
    answers["list"] = [
        {k: v for k, v in item.items() if k != "reporter_name"} for item in listed["items"]
    ]
    return answers


@pytest.mark.usefixtures("seeded")
def test_every_analysis_answers_the_same_after(services, api):
    p = database.param
    closed = database.execute_sql(
        "SELECT id FROM ticket WHERE status = 'closed' ORDER BY closed_at LIMIT 40"
    ).fetchall()
    now = to_epoch(datetime.now(timezone.utc))
    for (ticket_id,) in closed:
        subscriber = database.execute_sql(
            "INSERT INTO subscriber (ticket_id, email, kind, created_at) "
            f"VALUES ({p}, {p}, 'reporter', {p}) RETURNING id",
            [ticket_id, f"r{ticket_id}@campus.example", now],
        ).fetchone()[0]
        database.execute_sql(
            "INSERT INTO outbox (subscriber_id, ticket_id, event, subject, body, created_at, "
            f"attempts, sent_at) VALUES ({p}, {p}, 'closed', 's', 'b', {p}, 1, {p})",
            [subscriber, ticket_id, now, now],
        )
    before = every_answer(services, api)
    done = retention.apply(2)
    assert done["emails"] > 0 and done["notices"] > 0 and done["tickets"] > 0
    assert done["names"] > done["tickets"]
    after = every_answer(services, api)
    assert [key for key in before if after[key] != before[key]] == []
