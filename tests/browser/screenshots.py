"""Takes the screenshots of docs/ from the real pages: ``python -m tests.browser.screenshots``.

Starts the ticket API, the analytics services and the dashboard on a temporary database filled
with demo data, walks through the pages as a student and as helpdesk staff, and writes
docs/screenshots/*.png. ``python -m tests.browser.screenshots duplicates`` (or another name of
``ALONE``) takes only the screenshots of that feature.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.stack import (
    CHROMIUM,
    LAUNCH_ARGS,
    ROOT,
    choose_role,
    create_ticket,
    helpdesk_change,
    start_stack,
)

OUT = ROOT / "docs" / "screenshots"


def shoot(page, name: str, full_page: bool = True) -> None:
    """Write one screenshot and say so."""
    page.wait_for_timeout(600)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path.relative_to(ROOT)}")


def student_pages(page, stack) -> int:
    """Landing, report form with preview and confirmation, ticket page with a conversation."""
    page.goto(stack.page_url("/"))
    expect(page.locator("h1")).to_have_text("Welcome to CampusDesk")
    shoot(page, "landing")
    choose_role(page, stack, "user", name="Giulia")
    page.fill("#report-title", "Elevator stuck on the second floor")
    page.fill(
        "#report-description",
        "The elevator in building B stops between floors 2 and 3 and the doors do not open.",
    )
    page.fill("#report-location", "Building B, main hall")
    expect(page.locator("#report-preview")).to_contain_text("Facility")
    shoot(page, "user-report-form")
    page.click("#report-submit")
    expect(page.locator("#report-result")).to_contain_text("is open")
    shoot(page, "user-report-confirmation")
    ticket_id = int(page.locator("#report-ticket-link").text_content().split("#")[1])
    follow_link = page.locator("#report-follow-url").text_content()
    api = stack.api("helpdesk")
    api.post(
        f"{stack.api_url}/api/tickets/{ticket_id}/messages",
        json={
            "body": "Thanks Giulia, a technician is on the way. Is anyone inside?",
            "author_name": "Marco",
        },
        timeout=10,
    ).raise_for_status()
    page.goto(stack.page_url("/user"))
    expect(page.locator("#my-reports-list .new-answer").first).to_be_visible()
    page.locator("#my-reports-panel").scroll_into_view_if_needed()
    shoot(page, "user-my-reports", full_page=False)
    page.goto(follow_link)
    expect(page.locator("#message-thread")).to_contain_text("technician")
    shoot(page, "user-follow")
    page.goto(stack.page_url(f"/user/tickets/{ticket_id}"))
    expect(page.locator("#message-thread")).to_contain_text("technician")
    page.fill("#message-body", "No, it was empty when I left.")
    page.press("#message-body", "Enter")
    expect(page.locator("#message-thread")).to_contain_text("it was empty")
    shoot(page, "user-ticket")
    return ticket_id


def helpdesk_pages(page, stack, ticket_id: int) -> None:
    """The board, one ticket with workflow and history, the close confirmation."""
    choose_role(page, stack, "helpdesk", name="Marco")
    expect(page.locator("#helpdesk-grid .ag-center-cols-container .ag-row").first).to_be_visible()
    shoot(page, "helpdesk-board")
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket_id}"))
    expect(page.locator("#message-thread")).to_contain_text("it was empty")
    page.click("#status-action")
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    shoot(page, "helpdesk-ticket")
    notes_card(page)
    page.click("#status-action")
    expect(page.locator("#close-modal")).to_contain_text("Close this ticket?")
    shoot(page, "helpdesk-close-confirmation", full_page=False)


def notes_card(page) -> None:
    """An internal note under the ticket, set apart from the conversation."""
    page.fill(
        "#note-body", "Lift company called: technician booked for 14:00. Key at the porter's."
    )
    page.click("#note-save")
    expect(page.locator("#note-list .note")).to_contain_text("technician booked")
    page.locator(".notes-card").scroll_into_view_if_needed()
    shoot(page, "helpdesk-notes", full_page=False)


def notice_pages(browser, stack) -> None:
    """The helpdesk posts a campus notice; a student sees it and is pointed to it."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    choose_role(page, stack, "helpdesk", name="Marco")
    page.fill("#notice-text", "Wi-Fi down in building C since 9:00, the network team is on it")
    page.fill("#notice-ends", "2026-12-01T18:00")
    page.click("#notice-post")
    expect(page.locator("#notice-list")).to_contain_text("building C")
    page.locator("#notice-text").scroll_into_view_if_needed()
    shoot(page, "helpdesk-notices", full_page=False)
    page.close()
    context = phone_context(browser)
    phone = context.new_page()
    choose_role(phone, stack, "user")
    expect(phone.locator("#notice-banner")).to_contain_text("building C")
    phone.fill("#report-title", "No wifi")
    phone.fill("#report-description", "The wifi does not work in building C, room C12.")
    expect(phone.locator("#report-notice-hint")).to_contain_text("Is it this known problem?")
    phone.locator("#report-notice-hint").scroll_into_view_if_needed()
    shoot(phone, "user-notice", full_page=False)
    context.close()


def rating_phone(browser, stack) -> None:
    """A closed ticket opened with its private link: how did we do?"""
    made = create_ticket(
        stack,
        "Broken lock on locker 112",
        "The lock of locker 112 in the gym does not close.",
        reporter_name="Sara",
    )
    helpdesk = stack.api("helpdesk")
    helpdesk.post(
        f"{stack.api_url}/api/tickets/{made['id']}/messages",
        json={"body": "The lock was replaced this morning.", "author_name": "Marco"},
        timeout=10,
    ).raise_for_status()
    current = made
    for status in ("active", "closed"):
        current = helpdesk_change(stack, current, status=status)
    context = phone_context(browser)
    phone = context.new_page()
    phone.goto(stack.page_url(f"/follow/{made['follow_token']}"))
    expect(phone.locator("#rating-card")).to_contain_text("How did we do?")
    phone.get_by_label("5 · very good").check()
    phone.fill("#rating-comment", "Quick and friendly, thank you.")
    phone.locator("#rating-card").scroll_into_view_if_needed()
    shoot(phone, "user-rating", full_page=False)
    context.close()


def duplicate_pages(browser, stack) -> None:
    """Same problem, one ticket: the report form suggests a ticket already reported, the
    student follows it; the helpdesk merges a duplicate into it."""
    kept = create_ticket(
        stack,
        "Vending machine in the library eats coins",
        "The vending machine on the ground floor of the library keeps the coins.",
        reporter_name="Paolo",
    )
    duplicate = create_ticket(
        stack,
        "Library vending machine took my money",
        "I put in 2 euros and the machine gave nothing.",
        reporter_name="Elena",
    )
    context = phone_context(browser)
    phone = context.new_page()
    choose_role(phone, stack, "user")
    phone.fill("#report-title", "Vending machine keeps my coins")
    phone.fill("#report-description", "The machine in the library took 1 euro.")
    expect(phone.locator("#report-similar")).to_contain_text("Already reported?")
    expect(phone.locator("#report-similar .similar-ticket").first).to_contain_text("eats coins")
    phone.locator("#report-similar").scroll_into_view_if_needed()
    shoot(phone, "user-similar", full_page=False)
    phone.locator(".similar-ticket", has_text="eats coins").get_by_role(
        "button", name="This is my problem too"
    ).click()
    expect(phone.locator("#similar-result")).to_contain_text("reported by 2 people")
    phone.locator("#similar-result").scroll_into_view_if_needed()
    shoot(phone, "user-similar-followed", full_page=False)
    context.close()
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    choose_role(page, stack, "helpdesk", name="Marco")
    page.goto(stack.page_url(f"/helpdesk/tickets/{duplicate['id']}"))
    expect(page.locator("#ticket-header")).to_contain_text("took my money")
    page.fill("#merge-into", str(kept["id"]))
    page.click("#merge-action")
    expect(page.locator("#merge-modal")).to_contain_text("closed as a duplicate")
    shoot(page, "helpdesk-merge-confirmation", full_page=False)
    page.click("#merge-confirm")
    expect(page.locator("#fact-merged-into")).to_contain_text(f"#{kept['id']}")
    page.goto(stack.page_url(f"/helpdesk/tickets/{kept['id']}"))
    expect(page.locator("#fact-reported-by")).to_have_text("reported by 3 people")
    page.locator("#ticket-facts").scroll_into_view_if_needed()
    shoot(page, "helpdesk-merged", full_page=False)
    page.close()


def analytics_pages(page, stack) -> None:
    """The chooser with an over-time chart, a number's tickets, a service that is down."""
    page.goto(stack.page_url("/helpdesk/analytics"))
    page.get_by_label("Analysis", exact=True).select_option("weekly")
    expect(page.locator("#analytics-title")).to_have_text("Opened and closed per week")
    expect(page.locator("#analytics-graph .main-svg").first).to_be_visible()
    shoot(page, "analytics-weekly")
    page.locator("#analytics-table a.number-link").nth(-4).click()  # last whole week: opened
    expect(page.locator("#helpdesk-matches")).to_contain_text("these filters")
    expect(page.locator("#helpdesk-grid .ag-center-cols-container .ag-row").first).to_be_visible()
    shoot(page, "analytics-number-tickets", full_page=False)
    stack.stop_process("resolution")
    try:
        page.goto(stack.page_url("/helpdesk/analytics?analysis=resolution-time"))
        expect(page.locator("#analytics-problem")).to_contain_text("unavailable")
        shoot(page, "analytics-unavailable", full_page=False)
    finally:
        stack.restart("resolution")


def satisfaction_page(page, stack) -> None:
    """How reporters rated the tickets closed each month."""
    page.goto(stack.page_url("/helpdesk/analytics?analysis=satisfaction"))
    expect(page.locator("#analytics-title")).to_contain_text("Satisfaction")
    expect(page.locator("#analytics-graph .main-svg").first).to_be_visible()
    shoot(page, "analytics-satisfaction")


def phone_context(browser):
    """A browser context the size of a phone, with touch."""
    return browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def analytics_phone(browser, stack) -> None:
    """The analytics page on a phone: chooser, reading and chart."""
    context = phone_context(browser)
    phone = context.new_page()
    choose_role(phone, stack, "helpdesk")
    phone.goto(stack.page_url("/helpdesk/analytics?analysis=backlog"))
    expect(phone.locator("#analytics-graph .main-svg").first).to_be_visible()
    phone.locator("#analytics-reading").evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(phone, "analytics-phone", full_page=False)
    context.close()


def phone_and_conflict(browser, stack) -> None:
    """The report page on a phone and the conflict notice."""
    context = phone_context(browser)
    phone = context.new_page()
    choose_role(phone, stack, "user")
    expect(phone.locator("#tickets-items .ticket-card").first).to_be_visible()
    shoot(phone, "user-phone", full_page=False)
    ticket = create_ticket(stack, "Wi-Fi drops in the library", "It disconnects every 5 minutes.")
    phone.goto(stack.page_url(f"/user/tickets/{ticket['id']}"))
    expect(phone.locator("#edit-title")).to_have_value("Wi-Fi drops in the library")
    stack.api("helpdesk").patch(
        f"{stack.api_url}/api/tickets/{ticket['id']}",
        json={"title": "Wi-Fi drops on library floor 2"},
        headers={"If-Match": str(ticket["version"])},
        timeout=10,
    )
    phone.fill("#edit-description", "It disconnects every 5 minutes, since Monday.")
    phone.click("#edit-save")
    expect(phone.locator("#conflict-notice")).to_be_visible()
    phone.locator("#conflict-notice").scroll_into_view_if_needed()
    shoot(phone, "user-conflict", full_page=False)
    context.close()


def rate_limited_phone(browser) -> None:
    """A second report within the hour on a stack that allows one: the request to wait, with
    the text kept (a stack of its own, with the rate limits on)."""
    with tempfile.TemporaryDirectory() as data_dir:
        limits = {"CAMPUSDESK_RATE_LIMITS": "1", "CAMPUSDESK_TICKET_LIMITS": "1/hour"}
        stack = start_stack(Path(data_dir), extra_env=limits)
        try:
            context = phone_context(browser)
            phone = context.new_page()
            choose_role(phone, stack, "user", name="Luca")
            for title in ("No hot water in the gym showers", "Gym lockers: two doors broken"):
                phone.fill("#report-title", title)
                phone.fill("#report-description", "In the changing room of the sports centre.")
                phone.click("#report-submit")
                expect(phone.locator("#report-result")).not_to_be_empty()
            expect(phone.locator("#report-result")).to_contain_text("Please wait a moment.")
            phone.locator("#report-result").scroll_into_view_if_needed()
            shoot(phone, "user-rate-limit", full_page=False)
            context.close()
        finally:
            stack.stop()


def mail_phone(browser) -> None:
    """The report form with the e-mail field, and the page of a mail's unsubscribe link (a
    stack of its own that sends mail, to an SMTP server of the script's own)."""
    import re
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from tests.browser.stack import campusdesk
    from tests.ports import free_port

    mails = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            mails.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    server = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    server.start()
    mail = {
        "CAMPUSDESK_SMTP_URL": f"smtp://127.0.0.1:{server.port}",
        "CAMPUSDESK_MAIL_FROM": "helpdesk@campus.example",
        "CAMPUSDESK_MAIL_SECRET": "screenshots-" + "s" * 32,
    }
    with tempfile.TemporaryDirectory() as data_dir:
        stack = start_stack(Path(data_dir), extra_env=mail)
        try:
            context = phone_context(browser)
            phone = context.new_page()
            choose_role(phone, stack, "user", name="Sara")
            phone.fill("#report-title", "Printer in the library jams")
            phone.fill("#report-description", "The printer on floor 1 jams on every page.")
            phone.fill("#report-email", "sara@campus.example")
            expect(phone.locator("#report-email")).to_be_enabled()
            phone.locator("#report-email-hint").scroll_into_view_if_needed()
            shoot(phone, "user-report-email", full_page=False)
            phone.click("#report-submit")
            expect(phone.locator("#report-result")).to_contain_text("is open")
            ticket_id = int(phone.locator("#report-ticket-link").text_content().split("#")[1])
            ticket = stack.api("helpdesk").get(f"{stack.api_url}/api/tickets/{ticket_id}").json()
            helpdesk_change(stack, ticket, status="active")
            campusdesk(stack.commands["api"][1], "mail-worker", "--once")
            path = re.search(r"/unsubscribe/[A-Za-z0-9_-]{43}", mails[0].get_content()).group(0)
            phone.goto(stack.page_url(path))
            expect(phone.locator("#unsubscribe-button")).to_be_visible()
            phone.click("#unsubscribe-button")
            expect(phone.locator("#unsubscribe-done")).to_be_visible()
            shoot(phone, "user-unsubscribe", full_page=False)
            context.close()
        finally:
            stack.stop()
            server.stop()


#: Screenshots of one feature, taken alone with ``python -m tests.browser.screenshots NAME``.
def sample_photo(seed: int) -> bytes:
    """A stand-in photo of a broken thing: a tiled wall with a crack, as a phone takes it."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 720), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    for x in range(0, 960, 120):
        for y in range(0, 720, 120):
            shade = 200 + (x * 7 + y * 3 + seed * 11) % 40
            draw.rectangle([x + 4, y + 4, x + 116, y + 116], fill=(shade, shade + 8, shade + 14))
    points = [(300 + seed * 40, 0), (360, 200), (330, 330), (420, 470), (390, 720)]
    draw.line(points, fill=(60, 60, 70), width=9)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def photo_pages(browser, stack) -> None:
    """A photo chosen with a report on a phone, and a ticket's photos as the helpdesk sees them."""
    context = phone_context(browser)
    phone = context.new_page()
    choose_role(phone, stack, "user", name="Luca")
    phone.fill("#report-title", "Cracked tiles in the corridor")
    phone.fill("#report-description", "The wall tiles next to room C2.04 are cracked and loose.")
    phone.fill("#report-location", "Building C, 2nd floor")
    phone.locator("#report-photo-upload input[type=file]").set_input_files(
        [
            {"name": "corridor.jpg", "mimeType": "image/jpeg", "buffer": sample_photo(0)},
            {"name": "close-up.jpg", "mimeType": "image/jpeg", "buffer": sample_photo(2)},
        ]
    )
    expect(phone.locator("#report-photo-chosen .photo-chosen-item")).to_have_count(2)
    phone.locator("#report-photo-chosen").scroll_into_view_if_needed()
    shoot(phone, "user-report-photos", full_page=False)
    phone.click("#report-submit")
    expect(phone.locator("#report-result")).to_contain_text("is open")
    ticket_id = int(phone.locator("#report-result").text_content().split("#")[1].split(" ")[0])
    context.close()
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    choose_role(page, stack, "helpdesk", name="Marco")
    page.goto(stack.page_url(f"/helpdesk/tickets/{ticket_id}"))
    expect(page.locator("#photo-gallery img.photo-thumb")).to_have_count(2)
    for thumb in page.locator("#photo-gallery img.photo-thumb").all():
        expect(thumb).to_have_js_property("complete", True)
    page.locator("#photo-gallery").scroll_into_view_if_needed()
    shoot(page, "helpdesk-photos", full_page=False)
    page.close()


def analytics_alone(browser, stack) -> None:
    """The analytics pages' screenshots alone, as helpdesk staff."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.set_default_timeout(20000)
    choose_role(page, stack, "helpdesk", name="Marco")
    analytics_pages(page, stack)
    page.close()


ALONE = {
    "notices": notice_pages,
    "rating": rating_phone,
    "duplicates": duplicate_pages,
    "photos": photo_pages,
    "analytics": analytics_alone,
}


def main(names: list[str]) -> int:
    """Start the stack with demo data and take every screenshot (only those named, if any)."""
    OUT.mkdir(parents=True, exist_ok=True)
    unknown = set(names) - set(ALONE)
    if unknown:
        print(f"unknown: {', '.join(sorted(unknown))}; choose from {', '.join(ALONE)}")
        return 2
    with tempfile.TemporaryDirectory() as data_dir:
        stack = start_stack(Path(data_dir), seed=400)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                if names:
                    for name in names:
                        ALONE[name](browser, stack)
                    browser.close()
                    return 0
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.set_default_timeout(20000)
                ticket_id = student_pages(page, stack)
                helpdesk_pages(page, stack, ticket_id)
                analytics_pages(page, stack)
                satisfaction_page(page, stack)
                analytics_phone(browser, stack)
                phone_and_conflict(browser, stack)
                rate_limited_phone(browser)
                notice_pages(browser, stack)
                rating_phone(browser, stack)
                mail_phone(browser)
                duplicate_pages(browser, stack)
                photo_pages(browser, stack)
                browser.close()
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
