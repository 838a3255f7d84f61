"""Links to /helpdesk in the API's filter names: read, shown in words, forwarded, removable."""

from __future__ import annotations

import importlib
from zoneinfo import ZoneInfo

from dash import no_update

from callbacks import helpdesk, link_filters
from components import link_filters as words
from dash_app.vocabulary import Vocabulary
from tests.unit.dash_fakes import (
    CATEGORIES,
    OPENAPI,
    TICKET,
    WORKFLOW,
    FakeResponse,
    FakeSession,
    dashboard,
    down_session,
    problem,
    triggered,
)
from tests.unit.test_components import find, text_of

ROME = ZoneInfo("Europe/Rome")
VOCABULARY = Vocabulary.from_api(CATEGORIES, WORKFLOW)
DECLARED = {
    p["name"]: p["schema"]
    for p in OPENAPI["paths"]["/api/tickets"]["get"]["parameters"]
    if p["in"] == "query" and p["name"] not in ("page", "per_page")
}
MARCH = {
    "opened_after": "2026-03-01T00:00:00+01:00",
    "opened_before": "2026-04-01T00:00:00+02:00",
}
BLOCK = {"startRow": 0, "endRow": 100}


def read(**query) -> dict:
    return link_filters.read_link(query, DECLARED, VOCABULARY, ROME)


def chip_texts(link: dict) -> list[str]:
    return [chip["text"] for chip in link["filters"]["chips"]]


def test_the_analytics_link_sets_the_controls_and_lists_the_dates():
    link = read(status="closed", category="it", **MARCH)
    assert link["controls"] == {"status": "closed", "category": "it"}
    assert link["filters"]["params"] == MARCH
    assert chip_texts(link) == ["Opened from 1 Mar 2026 to 31 Mar 2026 (campus time)"]
    assert link["ignored"] == [] and link["sort_column"] is None


def test_what_the_controls_cannot_show_becomes_chips_in_words():
    link = read(status="active,open", category="services,facility", answered="false", q="lift")
    assert link["controls"] == {"status": "open,active", "q": "lift"}
    assert chip_texts(link) == [
        "Category: Facility management or Services complaints",
        "Not answered",
    ]


def test_parameters_the_api_does_not_declare_are_ignored_and_named():
    link = read(utm_source="mail", page="4", per_page="200", status="", category="it")
    assert link["ignored"] == ["page", "per_page", "utm_source"]
    assert link["filters"]["params"] == {} and link["controls"] == {"category": "it"}


def test_without_the_api_description_nothing_but_paging_is_left_out():
    link = link_filters.read_link({"utm": "x", "page": "2"}, None, VOCABULARY, ROME)
    assert link["ignored"] == ["page"] and link["filters"]["params"] == {"utm": "x"}
    assert chip_texts(link) == ["Utm: x"]


def test_a_plus_of_an_offset_typed_unencoded_is_restored():
    link = read(opened_after="2026-03-01T00:00:00 01:00")
    assert link["filters"]["params"] == {"opened_after": "2026-03-01T00:00:00+01:00"}
    assert chip_texts(link) == ["Opened on or after 1 Mar 2026 (campus time)"]


def test_an_order_goes_to_the_menu_a_column_header_or_a_chip():
    assert read(sort="category_confidence")["controls"] == {"sort": "category_confidence"}
    by_title = read(sort="-title")
    assert by_title["sort_column"] == "-title" and by_title["filters"]["params"] == {}
    assert chip_texts(read(sort="bogus")) == ["Sort: bogus"]


def test_times_and_flags_read_as_people_say_them():
    link = read(
        closed_before="2026-04-01T00:00:00+02:00",
        open_at="2026-03-15T11:00:00Z",
        answered="true",
        opened_after="2026-03-01T09:30:00+01:00",
        opened_before="2026-03-02T18:00:00+01:00",
    )
    assert chip_texts(link) == [
        "Closed before 1 Apr 2026 (campus time)",
        "Open at 15 Mar 2026, 12:00 (campus time)",
        "Answered",
        "Opened from 1 Mar 2026, 09:30 until 2 Mar 2026, 18:00 (campus time)",
    ]
    assert words.weekday_words("opened", "3") == "Opened on a Wednesday (campus time)"
    assert words.hour_words("opened", "14") == "Opened between 14:00 and 15:00 (campus time)"
    assert words.hour_words("opened", "25") is None and words.flag_words("answered", "x") == (
        "Answered: x"
    )


def test_a_time_that_is_not_one_is_shown_as_given():
    link = read(opened_after="yesterday", status="bogus")
    assert chip_texts(link) == ["Opened after: yesterday", "Status: bogus"]
    assert link["filters"]["params"] == {"opened_after": "yesterday", "status": "bogus"}


def test_the_link_filters_go_to_the_api_and_set_controls_win():
    link = read(category="it,facility", status="open,closed", sort="bogus", **MARCH)["filters"]
    query = helpdesk.grid_query(BLOCK, None, "all", "all", "-modified_at", link)
    assert query == {
        "page": 1,
        "per_page": 100,
        "sort": "bogus",
        "category": "it,facility",
        "status": "open,closed",
        "q": None,
        **MARCH,
    }
    chosen = helpdesk.grid_query(
        dict(BLOCK, sortModel=[{"colId": "title", "sort": "asc"}]),
        "lift",
        "active",
        "it",
        None,
        link,
    )
    assert (chosen["status"], chosen["category"], chosen["q"], chosen["sort"]) == (
        "active",
        "it",
        "lift",
        "title",
    )


def test_the_grid_forwards_the_link_and_says_how_many_match():
    page = {"items": [TICKET], "total": 1234, "page": 1, "per_page": 100}
    session = FakeSession({("GET", "/tickets"): FakeResponse(200, page)})
    link = read(category="it,facility", **MARCH)["filters"]
    with dashboard(session):
        response, alert, matches = helpdesk.update_grid_rows(
            BLOCK, None, "closed", None, None, link
        )
    sent = session.calls[0]["params"]
    assert sent["category"] == "it,facility" and sent["status"] == "closed"
    assert sent["opened_after"] == MARCH["opened_after"] and "q" not in sent
    assert response["rowCount"] == 1234 and alert is None
    assert matches == "1,234 tickets match these filters."
    assert words.match_line(1, True) == "1 ticket matches these filters."


def test_a_bad_value_shows_the_api_problem_and_an_empty_grid():
    refused = problem(
        400,
        "Bad request",
        "Invalid query parameter: status.",
        errors=[{"field": "status", "message": "String should match pattern"}],
    )
    session = FakeSession({("GET", "/tickets"): refused})
    with dashboard(session):
        response, alert, matches = helpdesk.update_grid_rows(
            BLOCK, None, None, None, None, read(status="bogus")["filters"]
        )
    assert response == {"rowData": [], "rowCount": 0} and matches == ""
    assert "Bad request" in text_of(alert) and "Invalid query parameter: status." in text_of(alert)


def test_removing_a_chip_drops_its_parameters():
    link = read(category="it,facility", **MARCH)["filters"]
    chip = '{"index":"opened_after+opened_before","type":"helpdesk-filter-remove"}.n_clicks'
    with triggered(chip, 1):
        left = link_filters.on_remove_filter([None, 1], link)
    assert left["params"] == {"category": "it,facility"}
    assert [c["id"] for c in left["chips"]] == ["category"]
    with triggered(chip, None):
        assert link_filters.on_remove_filter([None, None], link) is no_update
    assert "Category: Facility management" in text_of(link_filters.show_link_filters(left))
    assert link_filters.show_link_filters({"params": {}, "chips": []}) == []


def test_clear_all_empties_the_link_and_resets_the_controls():
    assert link_filters.on_clear_filters(1) == (
        {"params": {}, "chips": []},
        "",
        "all",
        "all",
        "-modified_at",
    )
    assert link_filters.on_clear_filters(None) == (no_update,) * 5


def test_a_control_set_by_hand_replaces_the_link_value_for_it():
    link = read(category="it,facility", answered="false")["filters"]
    with triggered("helpdesk-category.value", "services"):
        left = link_filters.on_control_change(None, "all", "services", None, link)
    assert left["params"] == {"answered": "false"} and chip_texts({"filters": left}) == [
        "Not answered"
    ]
    with triggered("helpdesk-search.value", "lift"):
        assert link_filters.on_control_change("lift", "all", "all", None, link) is no_update


def test_the_page_opens_as_the_link_asks():
    page = importlib.import_module("dash_app.pages.helpdesk")
    with dashboard(FakeSession()):
        built = page.layout(
            status="closed", category="it,services", utm="1", sort="-title", **MARCH
        )
    assert find(built, "helpdesk-status").value == "closed"
    assert find(built, "helpdesk-category").value == "all"
    assert find(built, "helpdesk-link").data["params"] == {"category": "it,services", **MARCH}
    text = text_of(built)
    assert "Category: Technical IT or Services complaints" in text
    assert "Opened from 1 Mar 2026 to 31 Mar 2026 (campus time)" in text
    assert "Clear all filters" in text and "Ignored from the link: utm" in text
    title = [c for c in find(built, "helpdesk-grid").columnDefs if c.get("colId") == "title"]
    assert title[0]["sort"] == "desc"


def test_the_page_builds_when_the_api_is_down():
    page = importlib.import_module("dash_app.pages.helpdesk")
    with dashboard(down_session()):
        built = page.layout(status="closed", opened_after=MARCH["opened_after"], utm="1")
    assert find(built, "helpdesk-link").data["params"] == {
        "status": "closed",
        "opened_after": MARCH["opened_after"],
        "utm": "1",
    }
    assert find(built, "helpdesk-ignored") is None and "Status: closed" in text_of(built)


def test_the_board_lists_the_categories_to_be_checked():
    page = importlib.import_module("dash_app.pages.helpdesk")
    flagged = dict(TICKET, category_confidence=0.41, category_to_check=True)
    answer = {"items": [flagged], "total": 1, "page": 1, "per_page": 100}
    session = FakeSession({("GET", "/tickets"): FakeResponse(200, answer)})
    with dashboard(session):
        plain = page.layout()
        built = page.layout(to_check="true")
        response, alert, _ = helpdesk.update_grid_rows(
            BLOCK, None, None, None, None, find(built, "helpdesk-link").data
        )
    assert find(plain, "helpdesk-to-check").href == "/helpdesk?to_check=true"
    assert "Category to be checked" in text_of(find(plain, "helpdesk-to-check"))
    assert find(built, "helpdesk-link").data["params"] == {"to_check": "true"}
    assert "Category to be checked" in text_of(find(built, "helpdesk-link-filters"))
    assert session.calls[-1]["params"]["to_check"] == "true" and alert is None
    row = response["rowData"][0]
    assert row["confidence_label"] == "41% · Category to be checked" and row["to_check"] is True
    assert words.flag_words("to_check", "false") == "Not category to be checked"
