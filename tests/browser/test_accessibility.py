"""WCAG 2.1 AA checks with axe-core on every page, and a 375-pixel phone without side scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, create_ticket

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}


@pytest.fixture(scope="module")
def ticket_id(stack):
    ticket = create_ticket(
        stack, "Printer jam on floor 1", "The printer near the stairs jams.", location="Building A"
    )
    stack.api("helpdesk").post(
        f"{stack.api_url}/api/tickets/{ticket['id']}/messages",
        json={"body": "We will send someone.", "author_name": "Marco"},
        timeout=10,
    ).raise_for_status()
    return ticket["id"]


# A link as the analytics page writes them: a control's filter, chips, an ignored parameter.
DEEP_LINK = (
    "/helpdesk?q=printer&category=it,facility&opened_after=2026-01-01T00:00:00%2B01:00"
    "&opened_before=2100-01-01T00:00:00%2B01:00&answered=false&utm_source=mail"
)

# The analytics page showing a service's refusal of its parameters.
BAD_RANGE = "/helpdesk/analytics?analysis=backlog&from=2026-05-10&to=2026-05-01"


def pages(ticket_id):
    """(role, path, text that shows the page is ready) for every page of the dashboard."""
    return [
        (None, "/", "Welcome to CampusDesk"),
        ("user", "/user", "Showing"),
        ("user", f"/user/tickets/{ticket_id}", "We will send someone."),
        ("helpdesk", "/helpdesk", "Printer jam"),
        ("helpdesk", f"/helpdesk/tickets/{ticket_id}", "We will send someone."),
        (None, "/no-such-page", "Page not found"),
        ("helpdesk", DEEP_LINK, "match these filters"),
        ("helpdesk", "/helpdesk/analytics?analysis=weekly", "Download CSV"),
        ("helpdesk", "/helpdesk/analytics?analysis=opening-hours", "Download CSV"),
        ("helpdesk", "/helpdesk/analytics?analysis=satisfaction", "Download CSV"),
        ("helpdesk", BAD_RANGE, "to must not be before from"),
    ]


def open_page(page, stack, role, path, ready):
    if role:
        choose_role(page, stack, role)
    page.goto(stack.page_url(path))
    expect(page.locator("#main")).to_contain_text(ready)
    page.wait_for_timeout(300)


def assert_no_serious_violation(page, axe_source):
    """Run axe-core in the page; fail on any serious or critical violation."""
    # Evaluated, not added as an inline <script>: the dashboard's policy refuses those.
    page.evaluate(axe_source)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("index", range(len(pages(0))))
def test_axe_finds_no_serious_violation(page, stack, axe_source, ticket_id, index):
    role, path, ready = pages(ticket_id)[index]
    open_page(page, stack, role, path, ready)
    assert_no_serious_violation(page, axe_source)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("main").count() == 1 and page.locator("h1").count() >= 1


@pytest.mark.parametrize("index", range(len(pages(0))))
def test_phone_width_has_no_horizontal_scrolling(browser, stack, ticket_id, index):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        role, path, ready = pages(ticket_id)[index]
        open_page(page, stack, role, path, ready)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_keyboard_focus_is_visible(page, stack):
    page.goto(stack.page_url("/"))
    expect(page.locator("#choose-user")).to_be_visible()
    page.focus("#choose-user")
    outline = page.evaluate("getComputedStyle(document.querySelector('#choose-user')).outlineStyle")
    assert outline not in ("none", "")


def test_axe_on_the_role_question_and_the_close_confirmation(page, stack, axe_source, ticket_id):
    page.goto(stack.page_url("/helpdesk"))
    expect(page.locator("#role-modal")).to_contain_text("This page is for helpdesk staff")
    expect(page.locator("#helpdesk-grid .ag-header-cell").first).to_be_attached()
    assert_no_serious_violation(page, axe_source)
    page.click("#role-modal-confirm")
    # the role is stored by a callback; leaving before it lands would ask again
    expect(page.locator("#nav-role")).to_contain_text("Helpdesk staff")
    expect(page.locator("#role-modal")).to_be_hidden()
    ticket = create_ticket(
        stack, "Sink is blocked", "The sink in the kitchen on floor 3 is blocked."
    )
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket['id']}"))
    page.click("#status-action")
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    page.click("#status-action")
    expect(page.locator("#close-modal")).to_contain_text("Close this ticket?")
    page.wait_for_timeout(600)  # let the fade-in end: axe measures contrast as painted
    assert_no_serious_violation(page, axe_source)
