"""Campus notices in the browser: the helpdesk posts one, students see it above their pages
and are pointed to it while they type the same problem; taken down, it is gone."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role
from tests.browser.test_accessibility import assert_no_serious_violation

pytestmark = pytest.mark.browser


def test_post_see_be_pointed_to_and_take_down_a_notice(browser, stack, axe_source):
    expect.set_options(timeout=15000)
    place = f"Aula{uuid.uuid4().hex[:6]}"
    text = f"Projector of {place} broken, a technician comes at 14:00"
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    choose_role(staff, stack, "helpdesk", name="Marco")
    staff.fill("#notice-text", text)
    staff.fill("#notice-ends", "2099-12-31T18:00")
    staff.click("#notice-post")
    row = staff.locator("#notice-list li", has_text="Projector of")
    expect(row).to_contain_text("until 31 Dec 2099, 18:00")
    expect(staff.locator("#notice-text")).to_have_value("")
    other = f"Library {place} closes at 17:00 today"
    staff.fill("#notice-text", other)
    staff.click("#notice-post")
    expect(staff.locator("#notice-list li", has_text="Library")).to_be_visible()
    assert_no_serious_violation(staff, axe_source)

    student = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    choose_role(student, stack, "user")
    banner = student.locator("#notice-banner")
    expect(banner).to_contain_text(text)
    student.fill("#report-title", f"{place} projector")
    student.fill("#report-description", "The projector does not turn on.")
    hint = student.locator("#report-notice-hint")
    expect(hint).to_contain_text("Is it this known problem?")
    expect(hint).to_contain_text(text)
    student.fill("#report-title", "Cold coffee")
    student.fill("#report-description", "The coffee at the bar was cold.")
    expect(hint).not_to_contain_text(text)
    assert_no_serious_violation(student, axe_source)

    row.locator("button").click()
    expect(staff.locator("#notice-list")).not_to_contain_text(text)
    student.reload()
    expect(banner).to_contain_text(other)  # the banner has been drawn again
    expect(banner).not_to_contain_text(text)
    staff.context.close()
    student.context.close()
