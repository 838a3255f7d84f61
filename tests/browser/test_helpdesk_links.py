"""Links to the helpdesk board in the API's own filter names; the next step as the API names it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket, helpdesk_change

pytestmark = pytest.mark.browser
CAMPUS = ZoneInfo("Europe/Rome")
ROWS = "#helpdesk-grid .ag-center-cols-container .ag-row"


def api_list(stack, params: dict) -> dict:
    """What GET /api/tickets answers the helpdesk for these filters (one big page)."""
    response = stack.api("helpdesk").get(
        f"{stack.api_url}/api/tickets", params={**params, "per_page": 200}, timeout=10
    )
    response.raise_for_status()
    return response.json()


def campus_time(value: str) -> str:
    """An API time written with the campus offset, as the analytics page writes links."""
    return datetime.fromisoformat(value).astimezone(CAMPUS).isoformat()


@pytest.fixture
def four_tickets(stack):
    """Active IT, active facility, active services and open IT tickets, filed just now."""
    word = uuid.uuid4().hex[:8]
    made = {}
    for name, category, status in (
        ("it", "it", "active"),
        ("facility", "facility", "active"),
        ("services", "services", "active"),
        ("waiting", "it", None),
    ):
        ticket = create_ticket(stack, f"Link {word} {name}", f"Ticket {name} for the link test.")
        ticket = helpdesk_change(stack, ticket, category=category)
        made[name] = helpdesk_change(stack, ticket, status=status) if status else ticket
    return made


def opened_range(tickets: dict) -> dict:
    """opened_after/opened_before around exactly the given tickets' opening times."""
    times = sorted(datetime.fromisoformat(t["opened_at"]) for t in tickets.values())
    return {
        "opened_after": campus_time(times[0].isoformat()),
        "opened_before": campus_time((times[-1] + timedelta(seconds=1)).isoformat()),
    }


def matching(total: int) -> str:
    """The line above the grid for this many matching tickets."""
    return f"{total:,} {'ticket matches' if total == 1 else 'tickets match'} these filters."


def shown_ids(page, expected: dict) -> set[int]:
    """The ticket numbers in the grid once it shows as many rows as the API counted."""
    expect(page.locator("#helpdesk-matches")).to_have_text(matching(expected["total"]))
    rows = page.locator(ROWS)
    expect(rows).to_have_count(expected["total"])
    return {int(row.get_attribute("row-id")) for row in rows.all()}


def test_a_link_shows_exactly_what_the_api_lists_and_chips_widen_it(page, stack, four_tickets):
    dates = opened_range(four_tickets)
    link = {"status": "active", "category": "it,facility", **dates, "utm_source": "mail"}
    choose_role(page, stack, "helpdesk")
    page.goto(stack.page_url(f"/helpdesk?{urlencode(link)}"))

    expected = api_list(stack, {"status": "active", "category": "it,facility", **dates})
    ids = shown_ids(page, expected)
    assert ids == {t["id"] for t in expected["items"]}
    assert {four_tickets["it"]["id"], four_tickets["facility"]["id"]} <= ids
    assert not {four_tickets["services"]["id"], four_tickets["waiting"]["id"]} & ids
    expect(page.locator("#helpdesk-status")).to_have_value("active")
    expect(page.locator("#helpdesk-category")).to_have_value("all")
    summary = page.locator("#helpdesk-link-filters")
    expect(summary).to_contain_text("Category: Facility management or Technical IT")
    expect(summary).to_contain_text("Opened from")
    expect(summary).to_contain_text("(campus time)")
    expect(page.locator("#helpdesk-ignored")).to_contain_text("utm_source")

    page.get_by_role("button", name="Remove filter: Category: Facility management").click()
    wider = api_list(stack, {"status": "active", **dates})
    assert shown_ids(page, wider) == {t["id"] for t in wider["items"]}
    assert wider["total"] > expected["total"]
    expect(summary).not_to_contain_text("Category:")

    page.get_by_role("button", name="Clear all filters").click()
    expect(summary).to_be_empty()
    expect(page.locator("#helpdesk-status")).to_have_value("all")
    expect(page.locator("#helpdesk-matches")).to_contain_text("Showing all")


def test_a_bad_value_shows_the_problem_and_the_board_keeps_working(page, stack, four_tickets):
    choose_role(page, stack, "helpdesk")
    page.goto(stack.page_url("/helpdesk?status=bogus&category=services"))
    alert = page.locator("#helpdesk-alert")
    expect(alert).to_contain_text("Invalid query parameter: status")
    expect(page.locator("#helpdesk-category")).to_have_value("services")

    page.get_by_role("button", name="Remove filter: Status: bogus").click()
    expect(alert).to_be_empty()
    expected = api_list(stack, {"category": "services"})
    expect(page.locator("#helpdesk-matches")).to_have_text(matching(expected["total"]))
    expect(page.locator(f"{ROWS}[row-id='{four_tickets['services']['id']}']")).to_be_attached()


def test_the_next_step_button_says_the_api_action(page, stack):
    workflow = stack.api("helpdesk").get(f"{stack.api_url}/api/workflow", timeout=10).json()
    action = {(m["from"], m["to"]): m["action"] for m in workflow["transitions"]}
    ticket = create_ticket(stack, "Projector flickers", "The projector in room C2 flickers.")
    choose_role(page, stack, "helpdesk")
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket['id']}"))
    button = page.locator("#status-action")
    expect(button).to_have_text(action[("open", "active")])
    button.click()
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    expect(button).to_have_text(action[("active", "closed")])
