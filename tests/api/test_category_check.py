""" "Category to be checked": the helpdesk's flag on unsure automatic categories, and its
list filter, on both databases."""

from __future__ import annotations

import pytest

from tests.api.helpers import HELPDESK, USER, assert_problem, create, patch
from ticket_api.classifier.categories import CHECK_BELOW

FIELD = "category_to_check"


def set_confidence(ticket_id: int, confidence: float) -> None:
    """Give a ticket's automatic category a chosen confidence, as an unsure model would."""
    from ticket_api.db import database, write_transaction

    p = database.obj.param
    with write_transaction():
        database.execute_sql(
            f"UPDATE ticket SET category_confidence = {p} WHERE id = {p}", [confidence, ticket_id]
        )


@pytest.fixture
def tickets(client):
    """Unsure, just sure enough and sure automatic categories, and one the helpdesk set."""
    made = {}
    for name, confidence in [
        ("unsure", 0.41),
        ("just_under", round(CHECK_BELOW - 0.0001, 4)),
        ("at_threshold", CHECK_BELOW),
        ("sure", 0.97),
        ("corrected", 0.35),
    ]:
        ticket = create(client, title=f"Ticket {name}")
        set_confidence(ticket["id"], confidence)
        made[name] = client.get(f"/api/tickets/{ticket['id']}", headers=HELPDESK).json
    corrected = made["corrected"]
    other = "services" if corrected["category"] != "services" else "it"
    response = patch(client, corrected, category=other)
    assert response.status_code == 200
    made["corrected"] = response.json
    return made


def listed(client, query: str, headers=HELPDESK) -> dict:
    response = client.get(f"/api/tickets?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_helpdesk_sees_which_categories_to_check(client, tickets):
    flags = {name: ticket[FIELD] for name, ticket in tickets.items()}
    assert flags == {
        "unsure": True,
        "just_under": True,
        "at_threshold": False,
        "sure": False,
        "corrected": False,
    }
    assert tickets["corrected"]["category_source"] == "helpdesk"


def test_simple_users_never_get_the_flag(client, tickets):
    one = client.get(f"/api/tickets/{tickets['unsure']['id']}", headers=USER).json
    assert FIELD not in one
    assert all(FIELD not in item for item in listed(client, "per_page=50", USER)["items"])
    assert FIELD not in create(client)


def test_list_items_carry_the_flag_for_the_helpdesk(client, tickets):
    items = {item["id"]: item[FIELD] for item in listed(client, "per_page=50")["items"]}
    assert items == {ticket["id"]: ticket[FIELD] for ticket in tickets.values()}


def test_to_check_filter_selects_exactly_the_flagged_tickets(client, tickets):
    flagged = {t["id"] for t in tickets.values() if t[FIELD]}
    answer = listed(client, "to_check=true&per_page=50")
    assert {item["id"] for item in answer["items"]} == flagged
    assert answer["total"] == len(flagged) and answer["total_exact"]
    others = listed(client, "to_check=false&per_page=50")
    assert {item["id"] for item in others["items"]} == {t["id"] for t in tickets.values()} - flagged
    assert others["total"] == len(tickets) - len(flagged)


def test_to_check_combines_with_other_filters(client, tickets):
    category = tickets["unsure"]["category"]
    expected = {t["id"] for t in tickets.values() if t[FIELD] and t["category"] == category}
    answer = listed(client, f"to_check=true&category={category}&status=open")
    assert {item["id"] for item in answer["items"]} == expected


def test_confirming_the_category_by_hand_clears_the_flag(client, tickets):
    ticket = tickets["unsure"]
    response = patch(client, ticket, category=ticket["category"])
    assert response.status_code == 200
    confirmed = response.json
    assert (
        confirmed["category"] == ticket["category"] and confirmed["category_source"] == "helpdesk"
    )
    assert confirmed[FIELD] is False and confirmed["version"] == ticket["version"] + 1
    assert ticket["id"] not in {item["id"] for item in listed(client, "to_check=true")["items"]}
    again = patch(client, confirmed, category=ticket["category"])
    assert again.status_code == 200 and again.json["version"] == confirmed["version"]


def test_new_ticket_flag_follows_the_model_confidence(client):
    ticket = create(client, headers=HELPDESK, title="it does not work", description="since today")
    assert ticket[FIELD] is (ticket["category_confidence"] < CHECK_BELOW)


@pytest.mark.parametrize("value", ["maybe", "2", ""])
def test_bad_to_check_values_are_400(client, value):
    assert_problem(client.get(f"/api/tickets?to_check={value}", headers=HELPDESK), 400)
