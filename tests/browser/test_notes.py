"""Internal notes in the browser: the helpdesk writes one under a ticket and sees it set
apart from the conversation; the reporter, on the ticket page and through the follow link,
never sees it, whatever the page loads."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket
from tests.browser.test_accessibility import assert_no_serious_violation

pytestmark = pytest.mark.browser


def test_a_note_is_for_staff_only(browser, stack, axe_source):
    expect.set_options(timeout=15000)
    secret = f"Contractor code {uuid.uuid4().hex[:8]}"
    ticket = create_ticket(stack, "Broken window latch", "The window of room 3 does not close.")
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    choose_role(staff, stack, "helpdesk", name="Marco")
    staff.goto(stack.page_url(f"/helpdesk/tickets/{ticket['id']}"))
    expect(staff.locator("#note-list")).to_contain_text("No internal notes yet.")
    staff.fill("#note-body", secret)
    staff.click("#note-save")
    note = staff.locator("#note-list .note")
    expect(note).to_contain_text(secret)
    expect(note).to_contain_text("Marco")
    expect(staff.locator("#note-body")).to_have_value("")
    expect(staff.locator("#message-thread")).not_to_contain_text(secret)
    assert_no_serious_violation(staff, axe_source)

    for path in (f"/user/tickets/{ticket['id']}", f"/follow/{ticket['follow_token']}"):
        context = browser.new_context(viewport={"width": 375, "height": 812})
        bodies = []

        def keep(response, bodies=bodies):
            if "json" in (response.headers.get("content-type") or ""):
                bodies.append((response.url, response.text()))

        context.on("response", keep)
        page = context.new_page()
        choose_role(page, stack, "user")
        page.goto(stack.page_url(path))
        expect(page.locator("#ticket-header")).to_contain_text("Broken window latch")
        expect(page.locator("#message-thread")).to_be_visible()
        assert page.locator("#note-list").count() == 0
        assert secret not in page.content()
        assert bodies and not [url for url, text in bodies if secret in text]
        context.close()
    staff.context.close()
