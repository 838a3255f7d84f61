"""When the ticket API is down, every page says so clearly and keeps working; the analytics
services then answer that they cannot reach it, and the page shows what they say."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.stack import PREFIX, Stack, service_env, start_services
from tests.ports import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def orphan(tmp_path_factory):
    """The analytics services and a dashboard whose ticket API address has nobody listening."""
    stack = Stack(data_dir=tmp_path_factory.mktemp("orphan"))
    stack.api_url = f"http://127.0.0.1:{free_port()}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
    try:
        start_services(stack, env)
        env.update(CAMPUSDESK_API_URL=stack.api_url, CAMPUSDESK_URL_PREFIX=PREFIX)
        stack.dashboard_url = f"http://127.0.0.1:{port}{PREFIX}/"
        dash_env = {**env, **service_env(stack)}
        stack.start("dashboard", ["dashboard", "--port", str(port)], dash_env, stack.dashboard_url)
        yield stack
    finally:
        stack.stop()


def test_user_pages_explain_the_problem(page, orphan):
    page.goto(orphan.page_url("/"))
    page.click("#choose-user")
    expect(page.locator("#tickets-items")).to_contain_text("The ticket service is unreachable")
    page.fill("#report-title", "Window is broken")
    page.fill("#report-description", "The window in room F3 does not close.")
    page.click("#report-submit")
    expect(page.locator("#report-result")).to_contain_text("unreachable")
    expect(page.locator("#report-title")).to_have_value("Window is broken")
    page.goto(orphan.page_url("/user/tickets/1"))
    expect(page.locator("#ticket-alert")).to_contain_text("unreachable")
    assert "Traceback" not in page.content()


def test_helpdesk_board_explains_the_problem(page, orphan):
    page.goto(orphan.page_url("/"))
    page.click("#choose-helpdesk")
    expect(page.locator("#helpdesk-alert")).to_contain_text("unreachable")
    expect(page.locator("#helpdesk-search")).to_be_editable()
    assert "Traceback" not in page.content()


def test_analytics_show_what_the_services_answer(page, orphan):
    page.goto(orphan.page_url("/"))
    page.click("#choose-helpdesk")
    page.wait_for_url(f"**{PREFIX}/helpdesk")
    page.goto(orphan.page_url("/helpdesk/analytics?analysis=backlog-age"))
    problem = page.locator("#analytics-problem")
    expect(problem).to_contain_text("Ticket API unavailable")
    expect(problem).to_contain_text("cannot be reached")
    page.get_by_label("Analysis", exact=True).select_option("resolution-time")
    expect(page.locator("#analytics-title")).to_have_text(
        "Average resolution time by opening month"
    )
    expect(problem).to_contain_text("Ticket API unavailable")
    assert "Traceback" not in page.content()
