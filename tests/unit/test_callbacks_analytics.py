"""Callbacks of the analytics page, the services' client and the page itself, HTTP stubbed."""

from __future__ import annotations

import pytest
import requests
from dash import dcc, no_update

from callbacks import analytics as cb
from components import analytics as page_parts
from components import analytics_params
from components.layout import nav_links
from dash_app.api_client import SERVICE_TIMEOUT, ApiError, ServiceClient
from tests.unit import analytics_answers as answers
from tests.unit.dash_fakes import FakeResponse, FakeSession, dashboard, problem, triggered
from tests.unit.test_components import find, text_of

PICKED = f"{page_parts.CHOICE}.value"
#: The controls' values in the order update_analysis takes them (then refresh and timer).
CONTROLS = {
    "last": 30,
    "unit": "days",
    "from_month": "2026-01",
    "to_month": "2026-03",
    "from": "2026-11-01",
    "to": "2026-11-03",
    "category": "all",
}


def run(session, key, trigger=PICKED, **values):
    """update_analysis as Dash would call it after trigger changed."""
    controls = {**CONTROLS, **values}
    with dashboard(session), triggered(trigger, key):
        return cb.update_analysis(key, *controls.values(), None, None)


def links_in(component) -> list[str]:
    """The href of every dcc.Link inside a component tree."""
    found = [component.href] if isinstance(component, dcc.Link) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            found += links_in(child)
    return found


def refused_error() -> Exception:
    return requests.ConnectionError("connection refused")


def refused(*_args):
    """A route whose server does not answer."""
    raise refused_error()


def test_an_analysis_shows_title_definition_reading_chart_table_and_its_address():
    session = FakeSession(answers.service_routes())
    section, csv, search = run(session, "resolution-time")
    text = text_of(section)
    assert "Title of resolution-time" in text
    assert find(section, page_parts.DEFINITION).children[1].children == "previous"
    assert find(section, page_parts.READING).children.startswith("Tickets opened in March 2026")
    assert find(section, page_parts.GRAPH).figure["data"][0]["type"] == "bar"
    assert len(links_in(section)) == 4 and links_in(section)[0].startswith(
        "/helpdesk?status=closed"
    )
    assert csv["filename"] == "campusdesk-resolution-time-2026-01-2026-03.csv"
    assert csv["rows"][0] == ["Opening month", "Average hours to close", "Closed tickets"]
    assert search == "?analysis=resolution-time&from_month=2026-01&to_month=2026-03"
    asked = [c for c in session.calls if c["path"] == "/resolution-time"]
    assert asked[0]["host"] == "resolution.test"
    assert asked[0]["params"] == {"from_month": "2026-01", "to_month": "2026-03"}
    assert asked[0]["timeout"] == SERVICE_TIMEOUT


def test_a_refresh_asks_again_but_keeps_the_address_and_the_definitions():
    session = FakeSession(answers.service_routes())
    with dashboard(session):
        for trigger in (
            PICKED,
            f"{page_parts.REFRESH}.n_clicks",
            f"{page_parts.TIMER}.n_intervals",
        ):
            with triggered(trigger, 1):
                *_, search = cb.update_analysis("backlog-age", *CONTROLS.values(), 1, 1)
    assert search == no_update
    paths = [c["path"] for c in session.calls]
    assert paths.count("/backlog-age") == 3 and paths.count("/analyses") == 1


def test_opening_the_page_leaves_its_address_alone():
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    session = FakeSession(answers.service_routes())
    with dashboard(session):
        token = context_value.set(AttributeDict(triggered_inputs=[]))  # the first call
        try:
            section, csv, search = cb.update_analysis("weekly", *CONTROLS.values(), None, None)
        finally:
            context_value.reset(token)
    assert search is no_update and csv["rows"] and find(section, page_parts.GRAPH) is not None


def test_a_service_that_does_not_answer_says_unavailable_and_the_others_still_work():
    session = FakeSession(
        {**answers.service_routes(), ("GET", "by-category.test/analyses"): refused}
    )
    section, csv, search = run(session, "weekly")
    alert = find(section, "analytics-problem")
    assert alert.color == "danger" and csv is None
    assert "The volume service is unavailable" in text_of(alert)
    assert "cannot be shown right now" in text_of(alert)
    assert search.startswith("?analysis=weekly")
    section, csv, _ = run(session, "backlog")
    assert find(section, "analytics-problem") is None and csv["rows"]


def test_the_service_problem_when_the_ticket_api_is_down_is_shown_as_it_says():
    detail = "The ticket API at http://api.test/api cannot be reached."
    down = problem(503, "Ticket API unavailable", detail)
    session = FakeSession(answers.service_routes({"backlog-age": down}))
    section, csv, _ = run(session, "backlog-age")
    text = text_of(find(section, "analytics-problem"))
    assert "Ticket API unavailable" in text and detail in text and csv is None
    assert "Title of backlog-age" in text_of(section)  # its title and definition stay


def test_bad_parameters_show_the_service_problem_and_its_field_messages():
    bad = problem(
        400,
        "Bad request",
        "Invalid query parameter: last.",
        errors=[{"field": "last", "message": "Input should be less than or equal to 8760"}],
    )
    session = FakeSession(answers.service_routes({"unclosed": bad}))
    section, csv, search = run(session, "unclosed", last=9000)
    alert = find(section, "analytics-problem")
    assert alert.color == "warning" and csv is None
    text = text_of(alert)
    assert "Bad request" in text and "Invalid query parameter: last." in text
    assert "Last: Input should be less than or equal to 8760" in text
    assert "did not accept these parameters" in text
    assert search == "?analysis=unclosed&last=9000&unit=days"


def test_an_answer_the_page_cannot_read_is_a_problem_not_a_traceback():
    odd = FakeResponse(200, {"months": "soon"})
    session = FakeSession(answers.service_routes({"first-response": odd}))
    section, csv, _ = run(session, "first-response")
    assert "Unexpected answer" in text_of(find(section, "analytics-problem")) and csv is None


def test_unknown_analysis_falls_back_to_the_default():
    session = FakeSession(answers.service_routes())
    _, _, search = run(session, "no-such-analysis")
    assert search == "?analysis=unclosed&last=30&unit=days"


def test_only_the_chosen_analysis_parameters_show():
    hidden = dict(zip(page_parts.GROUP_IDS, cb.show_parameters("backlog")))
    assert hidden == {"window": True, "months": True, "days": False, "category": False}
    assert all(cb.show_parameters("backlog-age"))


def test_choosing_an_analysis_starts_from_its_defaults():
    with dashboard(FakeSession()):
        values = dict(zip(cb.PARAMETER_NAMES, cb.on_choose_analysis("unclosed")))
    assert values["last"] == 7 and values["unit"] == "days" and values["category"] == "all"


def test_download_sends_the_rows_of_the_table_shown():
    csv = {"filename": "campusdesk-x.csv", "rows": [["Month", "Tickets"], ["March 2026", "3"]]}
    sent = cb.on_download_csv(1, csv)
    assert sent["filename"] == "campusdesk-x.csv" and sent["type"] == "text/csv"
    assert sent["content"] == "Month,Tickets\r\nMarch 2026,3\r\n"
    assert cb.on_download_csv(None, csv) is no_update and cb.on_download_csv(1, None) is no_update


def test_the_page_shows_what_its_address_asks_and_is_in_the_helpdesk_navigation():
    from dash_app.pages import analytics as page

    with dashboard(FakeSession()):
        built = page.layout(analysis="backlog", category="it", **{"from": "2026-10-01"})
    assert find(built, page_parts.CHOICE).value == "backlog"
    assert find(built, page_parts.FROM_DAY).value == "2026-10-01"
    assert find(built, page_parts.CATEGORY).value == "it"
    assert "Technical IT" in text_of(find(built, page_parts.CATEGORY).options[2]["label"])
    assert find(built, "analytics-window").hidden and not find(built, "analytics-days").hidden
    assert len(find(built, page_parts.CHOICE).options) == len(analytics_params.ANALYSES) == 10
    with dashboard(FakeSession()):
        hrefs = [link.href for link in nav_links("helpdesk")]
    assert "/helpdesk/analytics" in hrefs


def test_service_client_errors_name_the_service():
    down = ServiceClient(
        "unclosed", "http://unclosed.test", session=FakeSession(error=refused_error())
    )
    with pytest.raises(ApiError) as caught:
        down.analysis("/unclosed", {"last": "7"})
    assert caught.value.status == 0 and caught.value.title == "The backlog service is unavailable"
    slow = FakeSession(error=requests.Timeout("slow"))
    with pytest.raises(ApiError) as caught:
        ServiceClient("resolution", "http://resolution.test", session=slow).analyses()
    assert caught.value.title == "The speed service is too slow"
    odd = FakeSession({("GET", "unclosed.test/analyses"): FakeResponse(200, {"service": "x"})})
    with pytest.raises(ApiError, match="did not list its analyses"):
        ServiceClient("unclosed", "http://unclosed.test", session=odd).analyses()


def test_service_client_leaves_out_empty_parameters():
    session = FakeSession({("GET", "unclosed.test/backlog"): FakeResponse(200, answers.BACKLOG)})
    client = ServiceClient("unclosed", "http://unclosed.test/", session=session)
    assert client.analysis("/backlog", {"from": "2026-11-01", "to": "", "category": None})
    assert session.calls[0]["params"] == {"from": "2026-11-01"}
    assert "X-Role" not in session.calls[0]["headers"]
