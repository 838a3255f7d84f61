"""E-mail notices from the browser: report with an address on a phone, get the mail when the
helpdesk takes the ticket in hand, and stop the mails through its link; and the form of a
helpdesk that sends no mail."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import expect

from tests.browser.stack import campusdesk, choose_role, helpdesk_change, start_stack
from tests.browser.test_accessibility import assert_no_serious_violation
from tests.ports import free_port

pytestmark = pytest.mark.browser
controller = pytest.importorskip("aiosmtpd.controller", reason="the mail tests need aiosmtpd")


class Inbox:
    """An SMTP server that keeps the mails it accepts."""

    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def mailing(tmp_path_factory):
    """A stack that sends mail to an SMTP server of the test's own; with that server."""
    inbox = Inbox()
    server = controller.Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    env = {
        "CAMPUSDESK_SMTP_URL": f"smtp://127.0.0.1:{server.port}",
        "CAMPUSDESK_MAIL_FROM": "helpdesk@campus.example",
        "CAMPUSDESK_MAIL_SECRET": "browser-test-secret-" + "x" * 20,
        "CAMPUSDESK_PUBLIC_URL": "https://desk.campus.example",
    }
    running = start_stack(tmp_path_factory.mktemp("campusdesk-mail"), extra_env=env)
    yield running, inbox
    running.stop()
    server.stop()


def test_report_with_an_email_then_stop_the_mails(browser, mailing, axe_source):
    stack, inbox = mailing
    expect.set_options(timeout=15000)
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    choose_role(page, stack, "user", name="Chiara")
    field = page.locator("#report-email")
    expect(field).to_be_enabled()
    expect(page.locator("#report-email-hint")).to_contain_text("Only the helpdesk sees")
    page.fill("#report-title", "Broken window in the reading room")
    page.fill("#report-description", "The window next to the door does not close any more.")
    page.fill("#report-email", "chiara@campus")
    page.click("#report-submit")
    expect(page.locator("#report-email-feedback")).to_contain_text("such as ada@campus.example")
    page.fill("#report-email", "chiara@campus.example")
    page.click("#report-submit")
    result = page.locator("#report-result")
    expect(result).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    expect(field).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_violation(page, axe_source)
    ticket_id = int(re.search(r"#(\d+)", result.text_content()).group(1))
    follow_link = page.locator("#report-follow-url").text_content()

    helpdesk = stack.api("helpdesk")
    ticket = helpdesk.get(f"{stack.api_url}/api/tickets/{ticket_id}", timeout=10).json()
    assert ticket["reporter_email"] == "chiara@campus.example"
    helpdesk_change(stack, ticket, status="active")
    campusdesk(stack.commands["api"][1], "mail-worker", "--once")
    (mail,) = inbox.mails
    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    choose_role(desk, stack, "helpdesk")
    desk.goto(stack.page_url(f"/helpdesk/tickets/{ticket_id}"))
    expect(desk.locator("#fact-email")).to_have_text("chiara@campus.example")
    desk.close()
    # the reporter's own page (the follow link) does not show the address
    page.goto(follow_link)
    expect(page.locator("#ticket-header h1")).to_contain_text("Broken window")
    expect(page.locator("#ticket-facts")).to_contain_text("Chiara")
    expect(page.locator("#fact-email")).to_have_count(0)
    assert "chiara@campus.example" not in page.content()
    assert mail["To"] == "chiara@campus.example" and "Broken window" in mail["Subject"]
    link = re.search(r"https://desk\.campus\.example(/unsubscribe/[A-Za-z0-9_-]{43})\b",
                     mail.get_content())  # fmt: skip

    page.goto(stack.page_url(link.group(1)))
    expect(page.locator("h1")).to_contain_text("E-mails about a ticket")
    expect(page.locator(".unsubscribe-card")).to_contain_text(f"#{ticket_id}")
    assert_no_serious_violation(page, axe_source)
    page.click("#unsubscribe-button")
    expect(page.locator("#unsubscribe-done")).to_contain_text("no more e-mails")
    expect(page.locator("#unsubscribe-button")).to_be_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.reload()
    expect(page.locator("#unsubscribe-done")).to_be_visible()
    expect(page.locator("#unsubscribe-button")).to_have_count(0)

    ticket = helpdesk.get(f"{stack.api_url}/api/tickets/{ticket_id}", timeout=10).json()
    helpdesk_change(stack, ticket, status="closed")
    campusdesk(stack.commands["api"][1], "mail-worker", "--once")
    assert len(inbox.mails) == 1

    page.goto(stack.page_url("/unsubscribe/" + "A" * 43))
    expect(page.locator(".unsubscribe-card")).to_contain_text("No subscription has this link")
    context.close()


def test_a_helpdesk_without_mail_says_so_on_the_form(page, stack, axe_source):
    choose_role(page, stack, "user")
    expect(page.locator("#report-email-hint")).to_contain_text("not set up on this helpdesk")
    expect(page.locator("#report-email")).to_be_disabled()
    assert_no_serious_violation(page, axe_source)


def test_the_whole_journey_phone_mails_then_a_laptop_rates(browser, mailing):
    """A student reports from a phone and leaves an address; the helpdesk answers, takes the
    ticket in hand and closes it; a mail arrives for each; the link of the last one, opened
    on a laptop, shows how it ended and takes the rating."""
    stack, inbox = mailing
    expect.set_options(timeout=15000)
    already = len(inbox.mails)
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = phone.new_page()
    choose_role(page, stack, "user", name="Luca")
    page.fill("#report-title", "Heating off in room B2")
    page.fill("#report-description", "The radiators of room B2 are cold since this morning.")
    page.fill("#report-email", "luca@campus.example")
    page.click("#report-submit")
    result = page.locator("#report-result")
    expect(result).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    ticket_id = int(re.search(r"#(\d+)", result.text_content()).group(1))
    phone.close()

    helpdesk = stack.api("helpdesk")
    helpdesk.post(
        f"{stack.api_url}/api/tickets/{ticket_id}/messages",
        json={"body": "A technician is on the way.", "author_name": "Marco"},
        timeout=10,
    ).raise_for_status()
    ticket = helpdesk.get(f"{stack.api_url}/api/tickets/{ticket_id}", timeout=10).json()
    ticket = helpdesk_change(stack, ticket, status="active")
    helpdesk_change(stack, ticket, status="closed")
    campusdesk(stack.commands["api"][1], "mail-worker", "--once")
    mails = [m for m in inbox.mails[already:] if m["To"] == "luca@campus.example"]
    assert [m["Subject"].split(":")[0] for m in mails] == [
        "[CampusDesk] New answer",
        "[CampusDesk] In hand",
        "[CampusDesk] Closed",
    ]
    path = re.search(r"https://desk\.campus\.example(/follow/[A-Za-z0-9_-]{43})\b",
                     mails[-1].get_content()).group(1)  # fmt: skip

    laptop = browser.new_page(viewport={"width": 1280, "height": 900})
    laptop.goto(stack.page_url(path))
    expect(laptop.locator("#ticket-header h1")).to_contain_text("Heating off in room B2")
    expect(laptop.locator("#message-thread")).to_contain_text("A technician is on the way.")
    card = laptop.locator("#rating-card")
    expect(card).to_contain_text("How did we do?")
    laptop.get_by_label("5 · very good").check()
    laptop.fill("#rating-comment", "Warm again by noon.")
    laptop.click("#rating-send")
    expect(card).to_contain_text("You rated the outcome 5 out of 5.")
    laptop.close()
    rated = helpdesk.get(
        f"{stack.api_url}/api/tickets",
        params={"rated": "true", "stars": "5", "q": "heating B2"},
        timeout=10,
    ).json()
    assert [t["id"] for t in rated["items"]] == [ticket_id]
