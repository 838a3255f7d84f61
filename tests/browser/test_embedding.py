"""The dashboard under a URL prefix, inside an iframe of another origin (the intranet)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.stack import PREFIX

pytestmark = pytest.mark.browser


def test_every_response_allows_the_intranet_to_frame_it(stack):
    for path in ("", "user", "_dash-layout", "assets/campusdesk/campusdesk.css"):
        response = requests.get(stack.dashboard_url + path, timeout=10)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"].split("; ")
        assert f"frame-ancestors 'self' {stack.embed_origin}" in policy
        assert "X-Frame-Options" not in response.headers


def test_pages_load_nothing_from_outside(page, stack):
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    page.goto(stack.page_url("/"))
    expect(page.locator("h1")).to_have_text("Welcome to CampusDesk")
    assert page.evaluate("getComputedStyle(document.body).fontFamily")  # Bootstrap is applied
    # the icon font, from the dashboard itself (once the page's fonts have loaded)
    assert page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('1em bootstrap-icons'))"
    )
    assert outside == []


def test_works_inside_an_intranet_iframe(page, stack, embed_server):
    folder, _port = embed_server
    (folder / "intranet.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Intranet</title></head><body>'
        "<h1>University intranet</h1>"
        f'<iframe id="desk" title="CampusDesk" src="{stack.dashboard_url}" '
        'style="width:100%;height:900px;border:0"></iframe></body></html>'
    )
    page.goto(f"{stack.embed_origin}/intranet.html")
    frame = page.frame_locator("#desk")
    expect(frame.locator("h1")).to_have_text("Welcome to CampusDesk")
    frame.locator("#choose-user").click()
    expect(frame.locator("#report-title")).to_be_visible()
    frame.locator("#report-title").fill("Bike rack is broken")
    frame.locator("#report-description").fill("The bike rack at the north entrance is broken.")
    expect(frame.locator("#report-preview")).to_contain_text("Likely category")
    frame.locator("#report-submit").click()
    expect(frame.locator("#report-result")).to_contain_text("is open")
    assert PREFIX in page.frames[1].url
