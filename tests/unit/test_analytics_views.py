"""The analytics page's builders: readings, tables and their links, CSV rows, figures, queries."""

from __future__ import annotations

import copy
from datetime import date
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
from dash import dcc, html

from components import analytics, analytics_format, analytics_params
from components.analytics_backlog import window_words
from components.analytics_format import ViewContext, csv_rows, csv_text, data_table
from tests.unit import analytics_answers as answers
from tests.unit.dash_fakes import FakeSession, dashboard
from tests.unit.test_components import LABELS, text_of

ROME = ZoneInfo("Europe/Rome")
CONTEXT = ViewContext(ROME, date(2026, 11, 30), LABELS[1], {})


@pytest.fixture(autouse=True)
def app():
    """Links need the running app (its URL prefix)."""
    with dashboard(FakeSession()) as built:
        yield built


def shown(key: str, answer: dict | None = None, context: ViewContext = CONTEXT) -> dict:
    return analytics_params.view(key, answer or answers.ANSWERS[key][1], context)


def filters_of(href: str) -> dict:
    """The ticket list filters a link carries, after checking it leads to the board."""
    parts = urlsplit(href)
    assert parts.path == "/helpdesk"
    return dict(parse_qsl(parts.query))


def cells(table: dict, column: int) -> list[dict]:
    return [r["cells"][column] for r in table["rows"]]


def test_unclosed_reading_table_and_links():
    view = shown("unclosed")
    assert view["reading"] == (
        "23 tickets opened in the last 30 days are still not closed, "
        "5 more than in the 30 days before."
    )
    table = view["table"]
    assert table["columns"] == ["Window", "From", "To", "Unclosed tickets"]
    assert [r["header"] for r in table["rows"]] == ["Last 30 days", "The 30 days before"]
    assert [c["text"] for c in cells(table, 0)] == ["31 Oct 2026, 11:00", "1 Oct 2026, 12:00"]
    counts = cells(table, 2)
    assert [c["text"] for c in counts] == ["23", "18"]
    assert filters_of(counts[0]["href"]) == answers.UNCLOSED["tickets"]
    assert filters_of(counts[1]["href"]) == answers.UNCLOSED["previous"]["tickets"]
    bar = view["figure"]["data"][0]
    assert bar["y"] == [18, 23] and bar["customdata"] == [counts[1]["href"], counts[0]["href"]]


def test_unclosed_reading_in_the_singular_and_when_equal():
    one = copy.deepcopy(answers.UNCLOSED)
    one.update(count=1, last=1, unit="hours")
    one["previous"]["count"] = 1
    assert shown("unclosed", one)["reading"] == (
        "1 ticket opened in the last hour is still not closed, as many as in the hour before."
    )
    one["previous"]["count"] = 4
    assert "3 fewer than in the hour before" in shown("unclosed", one)["reading"]
    assert window_words(36, "hours") == "36 hours" and window_words(1, "days") == "day"


def test_backlog_reading_names_the_category_and_compares_with_the_first_day():
    context = ViewContext(ROME, date(2026, 11, 30), LABELS[1], {"category": "it"})
    view = shown("backlog", context=context)
    assert view["reading"] == (
        "44 Technical IT tickets were open or active at the end of 3 Nov 2026, "
        "4 more than at the end of 1 Nov 2026."
    )
    assert view["table"]["caption"].startswith("Technical IT tickets open or active")
    hrefs = [c["href"] for c in cells(view["table"], 0)]
    assert filters_of(hrefs[2]) == answers.BACKLOG["days"][2]["tickets"]["backlog"]
    opened = [c["href"] for c in cells(view["table"], 1)]
    assert filters_of(opened[0]) == answers.BACKLOG["days"][0]["tickets"]["opened"]
    today = ViewContext(ROME, date(2026, 11, 3), LABELS[1], {})
    assert shown("backlog", context=today)["reading"].startswith(
        "44 tickets are open or active now, 4 more"
    )


def test_backlog_age_reading_and_rows():
    view = shown("backlog-age")
    assert view["reading"] == (
        "32 tickets are open or active now; the largest age group is “90 days or more”, "
        "with 30 tickets."
    )
    assert [r["header"] for r in view["table"]["rows"]] == ["Opened today", "90 days or more"]
    empty = copy.deepcopy(answers.BACKLOG_AGE)
    for bucket in empty["buckets"]:
        bucket["count"] = 0
    assert shown("backlog-age", empty)["reading"] == "No ticket is open or active now."


def test_resolution_hours_are_rounded_for_people_and_link_to_the_closed_tickets():
    view = shown("resolution-time")
    assert view["reading"] == (
        "Tickets opened in March 2026 took 31.4 hours on average to be closed (212 tickets)."
    )
    march = view["table"]["rows"][1]
    assert march["header"] == "March 2026"
    hours, count = march["cells"]
    assert (hours["text"], hours["csv"], count["text"]) == ("31.4", "31.4", "212")
    assert (
        filters_of(hours["href"])
        == filters_of(count["href"])
        == {"status": "closed", **answers.MARCH}
    )
    assert view["figure"]["data"][0]["y"][1] == 31.43333333  # the chart keeps the exact value


def test_resolution_without_closed_tickets_says_so():
    view = shown("resolution-time", {"time_zone": "Europe/Rome", "months": []})
    assert view["reading"] == "No ticket opened in these months has been closed yet."
    assert "has been closed yet" in text_of(data_table(view["table"]))


def test_first_response_average_leads_to_the_answered_tickets():
    view = shown("first-response")
    assert view["reading"] == (
        "Tickets opened in April 2026 got a first answer after 18.1 hours on average "
        "(30 of 78 answered so far)."
    )
    opened, answered, average, unanswered, still_open = view["table"]["rows"][0]["cells"]
    assert average["text"] == "18.1"
    links = answers.FIRST_RESPONSE["months"][0]["tickets"]
    assert filters_of(average["href"]) == filters_of(answered["href"]) == links["answered"]
    assert filters_of(unanswered["href"]) == links["unanswered"]
    assert filters_of(still_open["href"]) == links["still_open"]
    assert filters_of(opened["href"]) == links["opened"]


def test_first_response_without_answers_yet():
    month = copy.deepcopy(answers.FIRST_RESPONSE)
    month["months"][0].update(answered=0, average_hours=None, unanswered=78)
    view = shown("first-response", month)
    assert view["reading"] == "None of the 78 tickets opened in April 2026 has had an answer yet."
    average = view["table"]["rows"][0]["cells"][2]
    assert average == {"text": "—", "csv": "", "href": None, "number": True}


def test_satisfaction_reads_the_average_and_links_each_number_of_stars():
    view = shown("satisfaction")
    assert view["reading"] == (
        "The reporters of 40 tickets closed in November 2026 rated 12 of them: "
        "3.9 stars on average, out of 5."
    )
    assert [t["name"] for t in view["figure"]["data"]] == [
        "1 star",
        "2 stars",
        "3 stars",
        "4 stars",
        "5 stars",
    ]
    assert filters_of(view["figure"]["data"][4]["customdata"][0])["stars"] == "5"
    table = view["table"]
    assert table["columns"][4:7] == [
        f"Average stars: {CONTEXT.category(key)}" for key in ("facility", "it", "services")
    ]
    cells = table["rows"][0]["cells"]
    assert [c["text"] for c in cells] == [
        "40",
        "12",
        "3.9",
        "—",
        "3.9",
        "—",
        "1",
        "1",
        "1",
        "4",
        "5",
    ]
    assert filters_of(cells[1]["href"])["rated"] == "true"
    assert cells[3]["href"] is None


def test_satisfaction_before_any_rating_says_so():
    answer = copy.deepcopy(answers.SATISFACTION)
    answer["months"][0].update(rated=0, average_stars=None)
    view = shown("satisfaction", answer)
    assert view["reading"] == "None of the 40 tickets closed in November 2026 has been rated yet."
    answer["months"].append({**answer["months"][0], "month": "2026-12", "closed": 0, "rated": 0})
    assert shown("satisfaction", answer)["reading"].endswith(
        "closed in November 2026 has been rated yet."
    )
    answer["months"] = answer["months"][1:]
    assert shown("satisfaction", answer)["reading"] == "No ticket was closed in these months."


def test_active_by_category_uses_the_api_labels():
    view = shown("active-by-category")
    assert view["reading"] == (
        "10 tickets are active now: 6 Services complaints, 3 Technical IT and "
        "1 Facility management."
    )
    assert [r["header"] for r in view["table"]["rows"]] == [
        "Facility management",
        "Technical IT",
        "Services complaints",
    ]
    assert view["figure"]["data"][0]["x"][1] == "Technical IT"
    # While the API cannot say, the service's own label stands in.
    bare = ViewContext(ROME, date(2026, 11, 30), {}, {})
    assert shown("active-by-category", context=bare)["table"]["rows"][1]["header"] == (
        "Service label it"
    )


def test_weekly_reading_bars_and_links():
    view = shown("weekly")
    assert view["reading"] == (
        "In the week of 23 Nov 2026, 3 tickets were opened and 2 closed; over the 2 weeks "
        "shown, 10 opened and 11 closed."
    )
    opened, closed = view["figure"]["data"]
    assert (opened["name"], closed["name"]) == ("Opened", "Closed")
    week = answers.WEEKLY["weeks"][0]
    assert filters_of(closed["customdata"][0]) == week["tickets"]["closed"]
    assert [c["csv"] for c in view["table"]["rows"][0]["cells"]] == ["7", "9"]


def test_category_months_counts_missing_categories_as_zero_without_a_link():
    view = shown("category-months")
    assert view["reading"] == (
        "In March 2026, 58 tickets were opened: 38 Services complaints and 20 Facility management."
    )
    assert view["table"]["columns"] == [
        "Opening month",
        "Facility management",
        "Technical IT",
        "Services complaints",
    ]
    facility, it, services = view["table"]["rows"][0]["cells"]
    assert it == {"text": "0", "csv": "0", "href": None, "number": True}
    assert filters_of(services["href"]) == {"category": "services", **answers.MARCH}
    assert view["figure"]["layout"]["barmode"] == "stack"


def test_opening_hours_heat_map_and_the_7_by_24_table():
    view = shown("opening-hours")
    assert view["reading"] == (
        "Most tickets were opened on Tuesdays between 10:00 and 11:00 (42 tickets from "
        "8 Sep 2026 to 30 Nov 2026, campus time)."
    )
    heat = view["figure"]["data"][0]
    assert heat["type"] == "heatmap" and len(heat["z"]) == 7 and len(heat["z"][0]) == 24
    assert heat["z"][1][10] == 42
    assert filters_of(heat["customdata"][1][10])["opened_weekday"] == "2"
    table = view["table"]
    assert table["columns"][:3] == ["Weekday", "00:00", "01:00"] and len(table["columns"]) == 25
    assert table["rows"][1]["header"] == "Tuesday"
    assert filters_of(table["rows"][1]["cells"][10]["href"])["opened_hour"] == "10"


def test_the_csv_holds_the_table_as_shown_with_a_header_row():
    view = shown("resolution-time")
    rows = csv_rows(view["table"])
    assert rows == [
        ["Opening month", "Average hours to close", "Closed tickets"],
        ["February 2026", "12.2", "1"],
        ["March 2026", "31.4", "212"],
    ]
    assert csv_text(rows).splitlines()[0] == "Opening month,Average hours to close,Closed tickets"
    big = analytics_format.count_cell(1234, {})
    assert (big["text"], big["csv"]) == ("1,234", "1234")


def test_html_table_has_caption_scopes_and_linked_numbers():
    table = data_table(shown("backlog-age")["table"])
    element = table.children
    caption, head, body = element.children
    assert isinstance(caption, html.Caption) and "by age" in caption.children
    assert [th.scope for th in head.children.children] == ["col", "col"]
    assert head.children.children[1].className == "text-end"
    first = body.children[0].children
    assert first[0].scope == "row" and first[0].children == "Opened today"
    link = first[1].children
    assert isinstance(link, dcc.Link) and link.children == "2"
    assert table.tabIndex == 0 and table.role == "region"


@pytest.mark.parametrize("key", list(answers.ANSWERS))
def test_every_chart_is_fixed_and_every_point_links_to_the_board(key):
    view = shown(key)
    layout = view["figure"]["layout"]
    assert layout["xaxis"]["fixedrange"] and layout["yaxis"]["fixedrange"]
    for trace in view["figure"]["data"]:
        flat = [h for row in trace["customdata"] for h in (row if isinstance(row, list) else [row])]
        assert flat and all(h is None or filters_of(h) for h in flat)
    assert view["reading"].endswith(".") and view["table"]["rows"]


def test_small_counts_get_whole_number_ticks_only():
    assert analytics_format.count_axis([0, 2, 3], "Tickets")["dtick"] == 1
    assert "dtick" not in analytics_format.count_axis([0, 40], "Tickets")


def test_definition_shows_quoted_words_as_code():
    parts = analytics.definition("Counts now. `previous` counts before.")
    assert parts[0] == "Counts now. " and isinstance(parts[1], html.Code)
    assert parts[1].children == "previous"


def test_defaults_and_the_page_address():
    today = date(2026, 11, 30)  # a Monday
    backlog = analytics_params.default_values("backlog", today)
    assert (backlog["from"], backlog["to"]) == ("2026-11-01", "2026-11-30")
    weekly = analytics_params.default_values("weekly", today)
    assert weekly["from"] == "2026-09-14"  # a Monday: twelve whole weeks, this one the last
    months = analytics_params.default_values("resolution-time", date(2026, 1, 15))
    assert (months["from_month"], months["to_month"]) == ("2025-02", "2026-01")
    key, values = analytics_params.from_query(
        {"analysis": "weekly", "from": "2026-10-01", "category": "it", "last": "99"}, today
    )
    assert key == "weekly" and values["from"] == "2026-10-01" and values["category"] == "it"
    assert values["last"] == 7  # not a parameter of this analysis
    params = analytics_params.analysis_params("weekly", values)
    assert params == {"from": "2026-10-01", "to": "2026-11-30", "category": "it"}
    assert analytics_params.page_search("weekly", params) == (
        "?analysis=weekly&from=2026-10-01&to=2026-11-30&category=it"
    )
    assert analytics_params.from_query({"analysis": "nonsense"}, today)[0] == "unclosed"


def test_parameters_are_sent_as_text_and_all_categories_is_no_filter():
    values = {"last": 30.0, "unit": "days", "category": "all", "from": None}
    assert analytics_params.analysis_params("unclosed", values) == {"last": "30", "unit": "days"}
    assert analytics_params.analysis_params("backlog", values) == {}
    name = analytics_params.csv_filename("backlog", {"from": "2026-11-01", "category": "it"})
    assert name == "campusdesk-backlog-2026-11-01-it.csv"


def test_every_analysis_has_a_view_and_a_service():
    assert set(analytics_params.ANALYSES) == set(analytics_params.VIEWS) == set(answers.ANSWERS)
    for key, analysis in analytics_params.ANALYSES.items():
        assert analysis.service == answers.ANSWERS[key][0] and analysis.path == f"/{key}"
