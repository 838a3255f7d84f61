"""The rate limits as people meet them in the dashboard: past their allowance they are asked
kindly to wait, told for how long, and keep what they typed; the dashboard passes on each
person's address, so one person's limit is not another's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.stack import choose_role, start_stack

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def limited_stack(tmp_path_factory):
    """A stack whose API allows one new report and one message an hour per address."""
    running = start_stack(
        tmp_path_factory.mktemp("limited"),
        extra_env={
            "CAMPUSDESK_RATE_LIMITS": "1",
            "CAMPUSDESK_TICKET_LIMITS": "1/hour",
            "CAMPUSDESK_MESSAGE_LIMITS": "1/hour",
        },
    )
    yield running
    running.stop()


@pytest.fixture
def person(browser):
    """Tabs of people at different addresses (as the proxy in front of the dashboard says)."""
    contexts = []

    def open_tab(address: str):
        expect.set_options(timeout=15000)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            extra_http_headers={"X-Forwarded-For": address},
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def fill_report(page, title: str) -> None:
    page.fill("#report-title", title)
    page.fill("#report-description", "The heating in room B2 does not work since Monday.")
    page.fill("#report-location", "Building B, room 2")


def test_past_the_limit_people_are_asked_to_wait_and_keep_their_text(person, limited_stack):
    page = person("10.30.0.1")
    choose_role(page, limited_stack, "user", name="Marta")
    fill_report(page, "Heating off in B2")
    page.click("#report-submit")
    expect(page.locator("#report-result")).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    ticket_id = re.search(r"#(\d+)", page.locator("#report-result").text_content()).group(1)

    fill_report(page, "Heating off in B3 too")
    page.click("#report-submit")
    alert = page.locator("#report-result")
    expect(alert).to_contain_text("Please wait a moment.")
    expect(alert).to_contain_text(re.compile(r"try again in (60 minutes|1 hour)"))
    expect(alert).to_contain_text("What you wrote is kept here.")
    expect(page.locator("#report-title")).to_have_value("Heating off in B3 too")
    expect(page.locator("#report-location")).to_have_value("Building B, room 2")

    # messages: the first goes out, the second waits and stays in the box
    page.goto(limited_stack.page_url(f"/user/tickets/{ticket_id}"))
    page.fill("#message-body", "Still cold this morning.")
    page.click("#message-send")
    expect(page.locator("#message-thread")).to_contain_text("Still cold this morning.")
    page.fill("#message-body", "And the radiator is making noise.")
    page.click("#message-send")
    expect(page.locator("#message-alert")).to_contain_text("Please wait a moment.")
    expect(page.locator("#message-alert")).to_contain_text("many messages")
    expect(page.locator("#message-body")).to_have_value("And the radiator is making noise.")

    # another person, at another address, reports through the same dashboard
    other = person("10.30.0.2")
    choose_role(other, limited_stack, "user")
    fill_report(other, "Heating off in B4")
    other.click("#report-submit")
    expect(other.locator("#report-result")).to_contain_text(re.compile(r"Ticket #\d+ is open"))
