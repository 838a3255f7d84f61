"""The helpdesk finds a ticket, works it from open to closed, overrides its category, answers."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket

pytestmark = pytest.mark.browser


def test_helpdesk_works_a_ticket_to_closed(page, stack):
    word = uuid.uuid4().hex[:8]
    ticket = create_ticket(
        stack,
        f"Canteen {word} queue",
        "The queue at the canteen is very long.",
        reporter_name="Luca",
    )
    choose_role(page, stack, "helpdesk", name="Marco")
    expect(page.locator("#count-open")).not_to_have_text("–")
    page.fill("#helpdesk-search", word)
    link = page.locator(f"#helpdesk-grid a:text-is('#{ticket['id']}')")
    expect(link).to_be_visible()
    expect(page.locator("#helpdesk-grid .ag-center-cols-container .ag-row")).to_have_count(1)
    link.click()
    page.wait_for_url(f"**/helpdesk/tickets/{ticket['id']}")

    expect(page.locator("#category-info")).to_contain_text("Set automatically")
    page.select_option("#category-select", "facility")
    page.click("#category-apply")
    expect(page.locator("#category-info")).to_have_text("Set by the helpdesk")

    page.fill("#message-body", "Thanks Luca, we will look into it.")
    page.press("#message-body", "Enter")
    expect(page.locator("#message-thread")).to_contain_text("Helpdesk · Marco")

    expect(page.locator("#status-panel")).not_to_contain_text("Close ticket")
    page.click("#status-action")
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    page.click("#status-action")
    expect(page.locator("#close-modal")).to_contain_text("Close this ticket?")
    page.click("#close-cancel")
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    page.click("#status-action")
    page.click("#close-confirm")
    expect(page.locator("#ticket-header")).to_contain_text("Closed")
    expect(page.locator("#status-panel")).to_contain_text("read-only")
    expect(page.locator("#message-body")).to_be_disabled()
    history = page.locator("#ticket-history")
    expect(history).to_contain_text("Facility management")
    expect(history).to_contain_text("Helpdesk · Marco")
    expect(page.locator("#fact-closed")).not_to_contain_text("Not closed yet")

    choose_role(page, stack, "user")
    page.fill("#tickets-search", word)
    expect(page.locator("#tickets-items")).to_contain_text("No tickets match")
    page.goto(stack.page_url(f"/user/tickets/{ticket['id']}"))
    expect(page.locator("#ticket-alert")).to_contain_text("cannot be shown")


def test_grid_sorts_and_counts_through_the_api(page, stack):
    word = uuid.uuid4().hex[:8]
    for n in range(3):
        create_ticket(stack, f"Lamp {word} {n}", f"Lamp number {n} in corridor D is off.")
    choose_role(page, stack, "helpdesk")
    page.fill("#helpdesk-search", word)
    rows = page.locator("#helpdesk-grid .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(3)
    page.click("#helpdesk-grid .ag-header-cell[col-id='title']")
    expect(rows.first).to_contain_text(f"Lamp {word} 0")
    page.click("#helpdesk-grid .ag-header-cell[col-id='title']")
    first = page.locator("#helpdesk-grid .ag-center-cols-container .ag-row[row-index='0']")
    expect(first).to_contain_text(f"Lamp {word} 2")
    page.select_option("#helpdesk-order", "category_confidence")
    expect(rows).to_have_count(3)


def test_role_is_asked_when_a_helpdesk_link_is_opened_as_user(page, stack):
    ticket = create_ticket(stack, "Heater is noisy", "The heater in room E1 is very noisy.")
    choose_role(page, stack, "user")
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket['id']}"))
    expect(page.locator("#role-modal")).to_contain_text("This page is for helpdesk staff")
    page.click("#role-modal-confirm")
    expect(page.locator("#nav-role")).to_contain_text("Helpdesk staff")
    expect(page.locator("#ticket-header")).to_contain_text("Heater is noisy")


def test_helpdesk_deletes_spam_after_confirming(page, stack):
    ticket = create_ticket(stack, "Buy cheap watches", "Visit my shop for cheap watches!!!")
    choose_role(page, stack, "helpdesk")
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket['id']}"))
    expect(page.locator("#ticket-header")).to_contain_text("Buy cheap watches")
    page.click("#delete-action")
    expect(page.locator("#delete-modal")).to_contain_text("Delete this ticket?")
    page.click("#delete-confirm")
    page.wait_for_url("**/helpdesk")
    response = stack.api("helpdesk").get(f"{stack.api_url}/api/tickets/{ticket['id']}", timeout=10)
    assert response.status_code == 404
