"""A simple user reports a problem, edits it and talks with the helpdesk; conflicts and markup."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket

pytestmark = pytest.mark.browser


def test_user_reports_edits_and_sends_a_message(page, stack):
    choose_role(page, stack, "user", name="Anna")
    expect(page.locator("#nav-role")).to_contain_text("Simple user · Anna")
    page.click("#report-submit")
    expect(page.locator("#report-title-feedback")).to_contain_text("at least 3 characters")

    page.fill("#report-title", "Wi-Fi keeps dropping")
    page.fill(
        "#report-description", "The wifi network in the library disconnects every few minutes."
    )
    expect(page.locator("#report-preview")).to_contain_text("Technical IT")
    page.fill("#report-location", "Library, 2nd floor")
    page.click("#report-submit")
    confirmation = page.locator("#report-result")
    expect(confirmation).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    # text_content, not inner_text: a progress overlay may hide the text for a moment
    ticket_id = re.search(r"#(\d+)", confirmation.text_content()).group(1)

    page.click("#report-ticket-link")
    page.wait_for_url(f"**/user/tickets/{ticket_id}")
    expect(page.locator("#ticket-header h1")).to_contain_text("Wi-Fi keeps dropping")
    expect(page.locator("#ticket-facts")).to_contain_text("Not closed yet")
    # the form is filled from the ticket once it has loaded: type only after that
    expect(page.locator("#edit-location")).to_have_value("Library, 2nd floor")
    page.fill("#edit-location", "Library, 3rd floor")
    page.click("#edit-save")
    expect(page.locator("#ticket-alert")).to_contain_text("Changes saved")

    page.fill("#message-body", "It happened again at 10 o'clock.")
    page.press("#message-body", "Enter")
    thread = page.locator("#message-thread")
    expect(thread).to_contain_text("It happened again at 10 o'clock.")
    expect(thread).to_contain_text("User · Anna")
    expect(page.locator("#message-body")).to_have_value("")

    page.fill("#message-body", "First line")
    page.press("#message-body", "Shift+Enter")
    page.type("#message-body", "second line")
    page.click("#message-send")
    expect(thread.locator(".message-text").last).to_have_text("First line\nsecond line")

    page.reload()
    expect(page.locator("#edit-location")).to_have_value("Library, 3rd floor")
    expect(thread).to_contain_text("It happened again")


def test_user_list_search_and_filters(page, stack):
    word = uuid.uuid4().hex[:8]
    create_ticket(stack, f"Broken chair {word}", "A chair in room A1 is broken.")
    create_ticket(stack, f"Cold pasta {word}", "The canteen pasta was cold today.")
    choose_role(page, stack, "user")
    page.fill("#tickets-search", word)
    items = page.locator("#tickets-items")
    expect(items.locator(".ticket-card")).to_have_count(2)
    page.select_option("#tickets-category", "services")
    expect(items.locator(".ticket-card")).to_have_count(1)
    expect(items).to_contain_text("Cold pasta")
    expect(page.locator("#tickets-summary")).to_contain_text("1 ticket")


def test_new_messages_appear_without_reload(page, stack):
    ticket = create_ticket(stack, "Projector flickers", "The projector in room B4 flickers.")
    page.goto(stack.page_url(f"/user/tickets/{ticket['id']}"))
    expect(page.locator("#message-thread")).to_contain_text("No messages yet")
    stack.api("helpdesk").post(
        f"{stack.api_url}/api/tickets/{ticket['id']}/messages",
        json={"body": "We are on our way.", "author_name": "Marco"},
        timeout=10,
    ).raise_for_status()
    expect(page.locator("#message-thread")).to_contain_text("Helpdesk · Marco", timeout=15000)
    expect(page.locator("#message-thread")).to_contain_text("We are on our way.")


def test_conflict_keeps_what_the_user_typed(page, stack):
    ticket = create_ticket(stack, "Door does not lock", "The door of room C2 does not lock.")
    page.goto(stack.page_url(f"/user/tickets/{ticket['id']}"))
    expect(page.locator("#edit-title")).to_have_value("Door does not lock")
    stack.api("helpdesk").patch(
        f"{stack.api_url}/api/tickets/{ticket['id']}",
        json={"title": "Door of C2 does not lock"},
        headers={"If-Match": str(ticket["version"])},
        timeout=10,
    ).raise_for_status()
    page.fill("#edit-description", "The door of room C2 does not lock since Monday.")
    page.click("#edit-save")
    notice = page.locator("#conflict-notice")
    expect(notice).to_contain_text("Someone else changed this ticket")
    expect(notice).to_contain_text("Door of C2 does not lock")
    expect(page.locator("#edit-description")).to_have_value(
        "The door of room C2 does not lock since Monday."
    )
    page.click("#edit-save")
    expect(page.locator("#ticket-alert")).to_contain_text("Changes saved")


def test_markup_in_text_is_shown_as_text(page, stack):
    payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    ticket = create_ticket(stack, "Odd <b>title</b>", f"Look: {payload}")
    stack.api("user").post(
        f"{stack.api_url}/api/tickets/{ticket['id']}/messages", json={"body": payload}, timeout=10
    ).raise_for_status()
    page.goto(stack.page_url(f"/user/tickets/{ticket['id']}"))
    expect(page.locator("#message-thread")).to_contain_text(payload)
    expect(page.locator("#ticket-header h1")).to_contain_text("Odd <b>title</b>")
    expect(page.locator("#edit-description")).to_have_value(f"Look: {payload}")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#message-thread img").count() == 0
