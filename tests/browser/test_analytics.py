"""The analytics page on the whole running system: chooser, charts, tables, links, CSV, outages."""

from __future__ import annotations

import csv
import re
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.stack import PREFIX, SERVICES, choose_role, create_ticket, helpdesk_change

pytestmark = pytest.mark.browser
ANALYTICS = "/helpdesk/analytics"
CHART = "#analytics-graph .main-svg"
ROWS = "#analytics-table tbody tr"
ZERO = re.compile(r"^0$")
GRID_ROWS = "#helpdesk-grid .ag-center-cols-container .ag-row"


@pytest.fixture(scope="module")
def tickets(stack):
    """Tickets in every status and category, one of them answered by the helpdesk, the two
    closed ones rated by their reporters."""
    word = uuid.uuid4().hex[:6]
    made = []
    for n, (category, steps) in enumerate(
        [("it", 0), ("it", 1), ("facility", 1), ("services", 2), ("services", 0), ("it", 2)]
    ):
        ticket = create_ticket(stack, f"Analytics {word} {n}", f"Ticket {n} for the analytics.")
        token = ticket["follow_token"]
        ticket = helpdesk_change(stack, ticket, category=category)
        for status in ("active", "closed")[:steps]:
            ticket = helpdesk_change(stack, ticket, status=status)
        if steps == 2:
            stack.api("user").post(
                f"{stack.api_url}/api/follow/{token}/rating", json={"stars": 3 + n % 3}, timeout=10
            ).raise_for_status()
        made.append(ticket)
    stack.api("helpdesk").post(
        f"{stack.api_url}/api/tickets/{made[0]['id']}/messages",
        json={"body": "We are on it.", "author_name": "Marco"},
        timeout=10,
    ).raise_for_status()
    return made


def titles(stack) -> dict[str, str]:
    """Every analysis's title, as its service lists it."""
    found = {}
    for name in SERVICES:
        listed = requests.get(f"{stack.service_urls[name]}/analyses", timeout=10).json()
        found.update({a["key"]: a["title"] for a in listed["analyses"]})
    return found


def open_analytics(page, stack, query: str = "") -> None:
    """Enter as helpdesk staff and open the analytics page (with a query, when given)."""
    choose_role(page, stack, "helpdesk")
    page.goto(stack.page_url(ANALYTICS + query))
    expect(page.locator("#analytics-title")).to_be_visible()


def show(page, key: str, title: str) -> None:
    """Pick an analysis in the chooser and wait until its chart and table are drawn."""
    page.get_by_label("Analysis", exact=True).select_option(key)
    expect(page.locator("#analytics-title")).to_have_text(title)
    expect(page.locator(CHART).first).to_be_visible()
    expect(page.locator(ROWS).first).to_be_visible()


def api_total(stack, href: str) -> int:
    """How many tickets the API lists for the filters of a link to the board."""
    params = dict(parse_qsl(urlsplit(href).query))
    response = stack.api("helpdesk").get(
        f"{stack.api_url}/api/tickets", params={**params, "per_page": 1}, timeout=10
    )
    response.raise_for_status()
    return response.json()["total"]


def matching(total: int) -> str:
    return f"{total:,} {'ticket matches' if total == 1 else 'tickets match'} these filters."


def test_the_chooser_shows_every_analysis_as_chart_and_table(page, stack, tickets):
    names = titles(stack)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_analytics(page, stack, "?analysis=opening-hours")  # the last in the menu
    options = page.locator("#analytics-analysis option:not([value=''])")
    keys = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert set(keys) == set(names) and len(keys) == 10
    for key in keys:
        show(page, key, names[key])
        expect(page).to_have_url(re.compile(f"analysis={key}(&|$)"))
        expect(page.locator("#analytics-definition")).not_to_be_empty()
        expect(page.locator("#analytics-reading")).to_contain_text(".")
        expect(page.locator("#analytics-graph").locator("..")).to_have_attribute("role", "img")
    origin = stack.dashboard_url.removesuffix(f"{PREFIX}/")
    assert requested and all(url.startswith(origin + "/") for url in requested)  # nothing else


def test_a_number_opens_exactly_its_tickets(page, stack, tickets):
    names = titles(stack)
    open_analytics(page, stack)
    keys = ("active-by-category", "first-response", "satisfaction", "unclosed", "opening-hours")
    for key in keys:
        show(page, key, names[key])
        link = page.locator("#analytics-table a.number-link").filter(has_not_text=ZERO).first
        number = int(link.text_content().replace(",", ""))
        href = link.get_attribute("href")
        assert href.startswith(f"{PREFIX}/helpdesk?")
        assert api_total(stack, href) == number, key
        link.click()
        page.wait_for_url(f"**{PREFIX}/helpdesk?**")
        expect(page.locator("#helpdesk-matches")).to_have_text(matching(number))
        if number <= 10:  # all rows in view: the grid draws only what can be seen
            expect(page.locator(GRID_ROWS)).to_have_count(number)
        page.go_back()
        expect(page.locator("#analytics-title")).to_have_text(names[key])


def test_a_click_on_a_bar_opens_its_tickets(page, stack, tickets):
    open_analytics(page, stack, "?analysis=active-by-category")
    expect(page.locator(CHART).first).to_be_visible()
    link = page.locator("#analytics-table a.number-link").nth(1)  # the second category
    number, href = int(link.text_content()), link.get_attribute("href")
    bar = page.locator("#analytics-graph .bars .point path").nth(1)
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.wait_for_url(lambda url: url.endswith(href))
    expect(page.locator("#helpdesk-matches")).to_have_text(matching(number))


def test_the_csv_holds_the_numbers_of_the_table(page, stack, tickets):
    open_analytics(page, stack, "?analysis=first-response")
    expect(page.locator(ROWS).first).to_be_visible()
    headers = page.locator("#analytics-table thead th").all_inner_texts()
    shown = [
        [cell.replace(",", "").replace("—", "") for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator(ROWS).all()
    ]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("campusdesk-first-response-")
    with open(download.value.path(), newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == headers and rows[1:] == shown and len(rows) > 1


def test_the_address_keeps_the_view_and_refresh_shows_new_tickets(page, stack, tickets):
    open_analytics(page, stack, "?analysis=unclosed&last=2&unit=hours")
    expect(page.get_by_label("Last", exact=True)).to_have_value("2")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("hours")
    reading = page.locator("#analytics-reading")
    expect(reading).to_contain_text("opened in the last 2 hours")
    before = int(reading.text_content().split(" ")[0])
    create_ticket(stack, "Heating is off", "The radiators in room D4 are cold.")
    page.get_by_role("button", name="Refresh").click()
    expect(reading).to_contain_text(f"{before + 1} tickets opened in the last 2 hours")
    page.get_by_label("Analysis", exact=True).select_option("backlog")
    expect(page.locator("#analytics-title")).to_have_text("Backlog over time")
    page.get_by_label("Category", exact=True).select_option("it")
    expect(reading).to_contain_text("Technical IT tickets")
    expect(page).to_have_url(re.compile(r"analysis=backlog&.*category=it"))
    page.reload()
    expect(page.get_by_label("Category", exact=True)).to_have_value("it")
    expect(reading).to_contain_text("Technical IT tickets")


def test_bad_parameters_show_the_service_problem_and_keep_the_values(page, stack, tickets):
    open_analytics(page, stack, "?analysis=backlog")
    page.get_by_label("From", exact=True).fill("2026-05-10")
    page.get_by_label("To", exact=True).fill("2026-05-01")
    problem = page.locator("#analytics-problem")
    expect(problem).to_contain_text("to must not be before from")
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-05-10")
    page.get_by_label("To", exact=True).fill("2026-05-31")
    expect(problem).to_have_count(0)
    expect(page.locator(ROWS)).to_have_count(22)


def test_a_stopped_service_says_unavailable_and_the_rest_keeps_working(page, stack, tickets):
    names = titles(stack)
    open_analytics(page, stack, "?analysis=backlog-age")
    stack.stop_process("by-category")
    try:
        for key in ("active-by-category", "weekly"):
            page.get_by_label("Analysis", exact=True).select_option(key)
            expect(page.locator("#analytics-problem")).to_contain_text(
                "The volume service is unavailable"
            )
            expect(page.locator("#analytics-problem")).to_contain_text("cannot be shown")
        show(page, "resolution-time", names["resolution-time"])
        page.get_by_role("link", name="All tickets").click()
        expect(page.locator("#helpdesk-matches")).to_contain_text("Showing all")
        expect(page.locator("#helpdesk-grid .ag-row").first).to_be_visible()
    finally:
        stack.restart("by-category")
    page.goto(stack.page_url(ANALYTICS + "?analysis=weekly"))
    expect(page.locator(CHART).first).to_be_visible()


def test_on_a_phone_the_chart_fits_and_the_table_scrolls_sideways(browser, stack, tickets):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        open_analytics(page, stack, "?analysis=opening-hours")
        expect(page.locator(CHART).first).to_be_visible()
        graph = page.locator("#analytics-graph").bounding_box()
        assert graph["x"] >= 0 and graph["x"] + graph["width"] <= 375
        wrap = page.locator(".analytics-table-wrap")
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
