"""The vocabulary the API publishes for its clients: categories and the workflow."""

from __future__ import annotations

from tests.api.helpers import USER
from ticket_api.models import EDITABLE_BY_ROLE, STATUSES, TRANSITIONS, VISIBLE_STATUSES


def test_workflow_is_the_table_every_check_reads(client):
    body = client.get("/api/workflow", headers=USER).json
    assert [s["key"] for s in body["statuses"]] == list(STATUSES)
    assert all(s["label"] and s["description"] for s in body["statuses"])
    moves = {(t["from"], t["to"]) for t in body["transitions"]}
    assert moves == {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert {t["action"] for t in body["transitions"]} == {"Start work", "Close ticket"}
    assert all(t["roles"] == ["helpdesk"] for t in body["transitions"])
    assert body["editable"] == {k: list(v) for k, v in EDITABLE_BY_ROLE.items()}
    assert body["visible"] == {k: list(v) for k, v in VISIBLE_STATUSES.items()}
