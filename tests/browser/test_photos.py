"""Photos in the browser: a student attaches a photo to a report on a phone, removes a
wrong one before sending, and the helpdesk sees the thumbnail and opens the photo; a file
that is no photo is refused on the page with what was typed kept."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.stack import choose_role
from tests.browser.test_accessibility import assert_no_serious_violation

pytestmark = pytest.mark.browser


def jpeg(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, format="JPEG")
    return out.getvalue()


def png(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), color).save(out, format="PNG")
    return out.getvalue()


def test_a_student_attaches_a_photo_and_the_helpdesk_opens_it(browser, stack, axe_source):
    expect.set_options(timeout=15000)
    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    choose_role(phone, stack, "user", name="Anna")
    phone.fill("#report-title", "Broken tap in the bathroom")
    phone.fill("#report-description", "The tap on the ground floor leaks all the time.")
    upload = phone.locator("#report-photo-upload input[type=file]")
    upload.set_input_files(
        [
            {"name": "tap.jpg", "mimeType": "image/jpeg", "buffer": jpeg((40, 90, 200))},
            {"name": "wrong.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 0, 0))},
        ]
    )
    chosen = phone.locator("#report-photo-chosen .photo-chosen-item")
    expect(chosen).to_have_count(2)
    phone.get_by_role("button", name="Remove wrong.jpg").click()
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("tap.jpg")
    # a text file named as a photo is not taken, and the form keeps what was typed
    upload.set_input_files(
        [{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"only text, no photo"}]
    )
    alert = phone.locator("#report-photo-alert")
    expect(alert).to_contain_text("“notes.jpg” is not a JPEG, PNG or WebP photo")
    expect(phone.locator("#report-title")).to_have_value("Broken tap in the bathroom")
    expect(chosen).to_have_count(1)
    assert_no_serious_violation(phone, axe_source)
    phone.click("#report-submit")
    confirmation = phone.locator("#report-result")
    expect(confirmation).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    expect(chosen).to_have_count(0)
    ticket_id = re.search(r"#(\d+)", confirmation.text_content()).group(1)
    phone.context.close()
    listed = stack.api("helpdesk").get(f"{stack.api_url}/api/tickets/{ticket_id}/photos")
    assert len(listed.json()["items"]) == 1, listed.text

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    choose_role(staff, stack, "helpdesk", name="Marco")
    staff.goto(stack.page_url("/helpdesk"))
    # the grid says which tickets have photos (the newest changed ticket comes first)
    row = staff.locator(f"#helpdesk-grid .ag-center-cols-container .ag-row[row-id='{ticket_id}']")
    expect(row.locator(".photos-cell")).to_have_text("📷 1")
    staff.goto(stack.page_url(f"/helpdesk/tickets/{ticket_id}"))
    thumb = staff.locator("#photo-gallery img.photo-thumb")
    expect(thumb).to_have_count(1)
    expect(staff.locator("#photo-gallery")).to_contain_text("With the ticket")
    # the thumbnail loads from the dashboard's own address, within its policy
    expect(thumb).to_have_js_property("naturalWidth", 320)
    assert_no_serious_violation(staff, axe_source)
    # the helpdesk answers with a photo of its own, under its message
    staff.fill("#message-body", "Is this the tap?")
    staff.locator("#message-photo-upload input[type=file]").set_input_files(
        [{"name": "which.png", "mimeType": "image/png", "buffer": png((0, 120, 0))}]
    )
    expect(staff.locator("#message-photo-chosen .photo-chosen-item")).to_have_count(1)
    staff.click("#message-send")
    expect(staff.locator("#message-thread")).to_contain_text("Is this the tap?")
    expect(thumb).to_have_count(2)
    expect(staff.locator("#photo-gallery")).to_contain_text("With a message")
    expect(staff.locator("#message-photo-chosen .photo-chosen-item")).to_have_count(0)
    # between messages the page asks for the photos at a slower pace than for the thread
    asked = []
    staff.on(
        "request",
        lambda request: (
            asked.append(1) if "photo-gallery.children" in (request.post_data or "") else None
        ),
    )
    polls = []
    staff.on(
        "request",
        lambda request: (
            polls.append(1) if "message-thread.children" in (request.post_data or "") else None
        ),
    )
    staff.wait_for_timeout(7000)
    assert len(polls) >= 2 and len(asked) <= 1, (len(polls), len(asked))
    # a photo sent from elsewhere with a message shows with that message
    student = stack.api("user")
    message = student.post(
        f"{stack.api_url}/api/tickets/{ticket_id}/messages",
        json={"body": "Yes, and here is the other side.", "author_name": "Anna"},
        timeout=10,
    ).json()
    sent = student.post(
        f"{stack.api_url}/api/tickets/{ticket_id}/photos",
        data={"message_id": str(message["id"])},
        files=[("photos", ("side.jpg", jpeg((90, 90, 90)), "image/jpeg"))],
        timeout=10,
    )
    assert sent.status_code == 201, sent.text
    expect(staff.locator("#message-thread")).to_contain_text("the other side")
    expect(thumb).to_have_count(3)
    with staff.context.expect_page() as opened:
        staff.locator("#photo-gallery a.photo-link").first.click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url.startswith(stack.page_url("/photos/helpdesk/"))
    size = full.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [640, 480]
    staff.context.close()


def test_photos_chosen_before_the_page_knows_the_limits_are_taken_when_it_does(page, stack):
    """The picker's limits come from the server just after the page. On a slow connection a
    person can choose photos before: they wait, and are checked when the limits arrive
    (held back here until the photos are chosen)."""
    held = []

    def hold_limits(route):
        if "report-photo-limits.data" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/_dash-update-component*", hold_limits)
    choose_role(page, stack, "user", name="Anna")
    page.fill("#report-title", "Broken window")
    page.locator("#report-photo-upload input[type=file]").set_input_files(
        [{"name": "window.jpg", "mimeType": "image/jpeg", "buffer": jpeg((10, 10, 10))}]
    )
    chosen = page.locator("#report-photo-chosen .photo-chosen-item")
    page.wait_for_timeout(1000)
    expect(chosen).to_have_count(0)
    expect(page.locator("#report-photo-alert")).to_be_empty()
    assert held, "the limits were asked for"
    for route in held:
        route.continue_()
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("window.jpg")
    expect(page.locator("#report-photo-alert")).to_be_empty()
