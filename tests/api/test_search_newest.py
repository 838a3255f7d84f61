"""Text searches sorted newest first beyond the count limit: SQLite finds their pages among
the newest matches and the older tickets changed since (ticket_api/queries.py), and gives the
same pages as reading every match and sorting them."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, TickingClock, advance, create, patch
from ticket_api import queries


def ids(client, request: str) -> list[int]:
    return [t["id"] for t in client.get(f"/api/tickets?{request}", headers=HELPDESK).json["items"]]


@pytest.fixture
def history(client, monkeypatch):
    """14 tickets about an aula (and two about the Wi-Fi); then some of the oldest change:
    they come first by last change, though their ids are among the lowest."""
    monkeypatch.setattr("ticket_api.workflow.utcnow", TickingClock())
    tickets = []
    for n in range(16):
        text = "Projector in aula {n} shows no image" if n % 8 else "Wi-Fi drops in room {n}"
        tickets.append(create(client, title=text.format(n=n), description="Since this morning."))
    patch(client, tickets[1], description="Still no image in the aula, the cable is broken.")
    advance(client, tickets[3], "active")
    advance(client, tickets[5], "active", "closed")
    return tickets


REQUESTS = ("q=aula", "q=aula&status=open,active", "q=aula&sort=-opened_at", "q=aula&sort=-id")


def test_newest_first_pages_hold_older_tickets_changed_since(
    client, settings, history, monkeypatch
):
    expected = {request: ids(client, f"{request}&per_page=200") for request in REQUESTS}
    assert expected["q=aula"][:3] == [history[5]["id"], history[3]["id"], history[1]["id"]]
    assert expected["q=aula&sort=-id"] == sorted(expected["q=aula&sort=-id"], reverse=True)
    used = []
    newest = queries._newest_matches_page

    def spy(*args):
        page = newest(*args)
        used.append(page is not None)
        return page

    monkeypatch.setattr(queries, "_newest_matches_page", spy)
    monkeypatch.setattr(queries, "COUNT_LIMIT", 8)
    monkeypatch.setattr(queries, "NEWEST_BATCH", 6)
    for walk in (2_000, 0):  # 0: too many older tickets changed since, another plan answers
        monkeypatch.setattr(queries, "NEWEST_WALK", walk)
        for request in REQUESTS:
            for per_page in (1, 2, 3, 4):
                for page in range(1, 5):
                    found = client.get(
                        f"/api/tickets?{request}&per_page={per_page}&page={page}",
                        headers=HELPDESK,
                    ).json
                    assert found["total"] == 8 and found["total_exact"] is False
                    start = (page - 1) * per_page
                    got = [t["id"] for t in found["items"]]
                    assert got == expected[request][start : start + per_page], (request, page)
    if settings.database_url:
        assert used == []  # PostgreSQL has its own plans
    else:
        assert True in used and False in used
