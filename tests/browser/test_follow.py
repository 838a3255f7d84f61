"""The reporter's journey without an account: report on a phone, keep the private follow link,
see in My reports that the helpdesk answered, open the link on another device, answer, and
see how the ticket ended once it is closed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, helpdesk_change
from tests.browser.test_accessibility import assert_no_serious_violation

pytestmark = pytest.mark.browser


def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    context.set_default_timeout(15000)
    return context


def test_report_follow_answer_and_see_how_it_ended(browser, stack, axe_source):
    expect.set_options(timeout=15000)
    on_phone = phone(browser)
    page = on_phone.new_page()
    choose_role(page, stack, "user", name="Chiara")
    page.fill("#report-title", "Broken window in the reading room")
    page.fill("#report-description", "The window next to the door does not close any more.")
    page.click("#report-submit")
    result = page.locator("#report-result")
    expect(result).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    expect(result).to_contain_text("Your private link to this ticket.")
    link = page.locator("#report-follow-url").text_content()
    token = re.search(r"/follow/([A-Za-z0-9_-]{43})$", link).group(1)
    ticket_id = int(re.search(r"#(\d+)", result.text_content()).group(1))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # My reports lists it first; once the helpdesk writes, it says so
    mine = page.locator("#my-reports-list")
    expect(mine.locator(".my-report").first).to_contain_text(f"#{ticket_id} Broken window")
    expect(mine.locator(".new-answer")).to_have_count(0)
    helpdesk = stack.api("helpdesk")
    answer = helpdesk.post(
        f"{stack.api_url}/api/tickets/{ticket_id}/messages",
        json={"body": "A technician comes this afternoon."},
        timeout=10,
    )
    assert answer.status_code == 201
    page.reload()
    expect(mine.locator(".my-report").first.locator(".new-answer")).to_be_visible()

    # on a laptop, with nothing but the link
    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    laptop.set_default_timeout(15000)
    other = laptop.new_page()
    other.goto(link)
    expect(other.locator("#ticket-header h1")).to_contain_text("Broken window")
    thread = other.locator("#message-thread")
    expect(thread).to_contain_text("A technician comes this afternoon.")
    other.fill("#message-body", "Thank you, I will be there.")
    other.press("#message-body", "Enter")
    expect(thread).to_contain_text("Thank you, I will be there.")
    expect(thread.locator(".message-mine")).to_contain_text("Chiara")
    assert_no_serious_violation(other, axe_source)

    # the laptop now remembers it too, seen: no "new answer" there
    other.goto(stack.page_url("/user"))
    expect(other.locator("#my-reports-list .my-report").first).to_contain_text("Broken window")
    expect(other.locator("#my-reports-list .new-answer")).to_have_count(0)

    # closed: gone for other simple users, still there through the link, with how it ended
    current = helpdesk.get(f"{stack.api_url}/api/tickets/{ticket_id}", timeout=10).json()
    for status in ("active", "closed"):
        current = helpdesk_change(stack, current, status=status)
    gone = stack.api("user").get(f"{stack.api_url}/api/tickets/{ticket_id}", timeout=10)
    assert gone.status_code == 404
    page.goto(stack.page_url(f"/follow/{token}"))
    expect(page.locator("#ticket-facts")).to_contain_text("Closed")
    expect(page.locator("#ticket-facts")).not_to_contain_text("Not closed yet")
    expect(page.locator("#message-body")).to_be_disabled()
    expect(page.locator("#message-thread")).to_contain_text("Thank you, I will be there.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # how did we do? once, and it stays
    card = page.locator("#rating-card")
    expect(card).to_contain_text("How did we do?")
    page.click("#rating-send")
    expect(page.locator("#rating-alert")).to_contain_text("Choose from 1 to 5 first.")
    page.get_by_label("4 · good").check()
    page.fill("#rating-comment", "Fixed the same day.")
    assert_no_serious_violation(page, axe_source)
    page.click("#rating-send")
    expect(card).to_contain_text("You rated the outcome 4 out of 5.")
    page.reload()
    expect(card).to_contain_text("You rated the outcome 4 out of 5.")
    expect(card).to_contain_text("Fixed the same day.")
    expect(page.locator("#rating-send")).to_have_count(0)

    # a wrong link says so
    page.goto(stack.page_url(f"/follow/{token[:-2]}zz"))
    expect(page.locator("#ticket-alert")).to_contain_text("This link opens no ticket")
    laptop.close()
    on_phone.close()
