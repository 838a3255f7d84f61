"""Same problem, one ticket: a student types a problem already reported, is shown the
ticket and follows it ("This is my problem too") with a private link of their own; the
helpdesk sees it reported by two people and merges a duplicate into it, whose reporter's
link then opens the kept ticket."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket
from tests.browser.test_accessibility import assert_no_serious_violation
from tests.browser.test_follow import phone

pytestmark = pytest.mark.browser


def test_follow_a_similar_ticket_then_merge_a_duplicate_into_it(browser, stack, axe_source):
    expect.set_options(timeout=15000)
    word = f"radiator{uuid.uuid4().hex[:6]}"
    kept = create_ticket(
        stack,
        f"Leaking {word} in room 5",
        "There is water on the floor under the window.",
        reporter_name="Ada",
    )
    duplicate = create_ticket(
        stack, f"Water under the {word}", "The floor is wet in room 5.", reporter_name="Bruno"
    )

    # a student types the same problem on a phone and is shown the ticket
    on_phone = phone(browser)
    student = on_phone.new_page()
    choose_role(student, stack, "user")
    student.fill("#report-title", f"The {word} is leaking")
    student.fill("#report-description", "Water on the floor of room 5.")
    suggestion = student.locator(".similar-ticket", has_text=f"Leaking {word} in room 5")
    expect(suggestion).to_contain_text("reported by 1 person")
    expect(student.locator("#report-similar")).to_contain_text("Already reported?")
    assert student.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_violation(student, axe_source)
    suggestion.get_by_role("button", name="This is my problem too").click()
    result = student.locator("#similar-result")
    expect(result).to_contain_text(f"You follow ticket #{kept['id']}, now reported by 2 people.")
    link = student.locator("#similar-follow-url").text_content()
    assert re.search(r"/follow/[A-Za-z0-9_-]{43}$", link)
    expect(student.locator("#my-reports-list .my-report").first).to_contain_text(
        f"#{kept['id']} Leaking {word}"
    )
    assert student.evaluate("document.documentElement.scrollWidth") <= 375

    # the follower's link opens the ticket to read and answer, but not to rate
    student.goto(link)
    expect(student.locator("#ticket-header h1")).to_contain_text(f"Leaking {word}")
    expect(student.locator("#fact-reported-by")).to_have_text("reported by 2 people")
    student.fill("#message-body", "Same in room 6.")
    student.press("#message-body", "Enter")
    expect(student.locator("#message-thread")).to_contain_text("Same in room 6.")

    # the helpdesk sees two people and merges the duplicate into the ticket
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    staff.set_default_timeout(15000)
    desk = staff.new_page()
    choose_role(desk, stack, "helpdesk", name="Marco")
    desk.fill("#helpdesk-search", word)
    row = desk.locator("#helpdesk-grid .ag-row", has_text=f"Leaking {word}")
    expect(row.locator("[col-id='reported_by_label']")).to_have_text("2 people")
    desk.goto(stack.page_url(f"/helpdesk/tickets/{duplicate['id']}"))
    expect(desk.locator("#ticket-header")).to_contain_text(f"Water under the {word}")
    desk.fill("#merge-into", str(kept["id"]))
    desk.click("#merge-action")
    modal = desk.locator("#merge-modal")
    expect(modal).to_contain_text(f"closed as a duplicate of #{kept['id']}")
    # scanned once it has faded in: half-transparent buttons would lack contrast
    desk.wait_for_function(
        "() => { const shown = document.querySelector('.modal.show');"
        " return shown !== null && getComputedStyle(shown).opacity === '1'; }"
    )
    assert_no_serious_violation(desk, axe_source)
    desk.click("#merge-confirm")
    expect(desk.locator("#ticket-header")).to_contain_text("Closed")
    expect(desk.locator("#fact-merged-into")).to_contain_text(f"#{kept['id']}")
    expect(desk.locator("#ticket-history")).to_contain_text("Merged into")
    desk.locator("#fact-merged-into a").click()
    desk.wait_for_url(f"**/helpdesk/tickets/{kept['id']}")
    expect(desk.locator("#fact-reported-by")).to_have_text("reported by 3 people")
    expect(desk.locator("#fact-merged")).to_contain_text(f"#{duplicate['id']} Water under")
    expect(desk.locator("#ticket-history")).to_contain_text("Merged here")

    # the duplicate's reporter's link now opens the kept ticket and says why
    student.goto(stack.page_url(f"/follow/{duplicate['follow_token']}"))
    expect(student.locator("#merged-note")).to_contain_text(
        f"Your ticket #{duplicate['id']} was merged into #{kept['id']}."
    )
    expect(student.locator("#ticket-header h1")).to_contain_text(f"Leaking {word}")
    expect(student.locator("#message-thread")).to_contain_text("Same in room 6.")
    assert student.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_violation(student, axe_source)
    staff.close()
    on_phone.close()
