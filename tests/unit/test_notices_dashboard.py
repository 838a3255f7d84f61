"""The dashboard's side of campus notices: times in campus time, the text kept on failure,
the hint and the banner drawn from the API's answers."""

from __future__ import annotations

from dash import no_update

from callbacks import notices
from tests.unit.dash_fakes import FakeResponse, FakeSession, dashboard, problem

NOTICE = {
    "id": 3,
    "text": "Wi-Fi down in building C",
    "author_name": "Marco",
    "created_at": "2026-12-01T08:00:00+00:00",
    "ends_at": "2026-12-01T17:00:00+00:00",
}


def text_of(component) -> str:
    return str(getattr(component, "to_plotly_json", lambda: component)())


def test_an_end_typed_in_campus_time_is_sent_as_an_instant():
    with dashboard(FakeSession({})):
        assert notices.campus_instant("2026-12-01T18:00") == "2026-12-01T18:00:00+01:00"
        assert notices.campus_instant("2026-07-01T18:00") == "2026-07-01T18:00:00+02:00"
        assert notices.campus_instant("") is None


def test_posting_sends_the_notice_and_clears_the_form():
    session = FakeSession({("POST", "/notices"): FakeResponse(201, NOTICE)})
    with dashboard(session):
        out = notices.post_notice(1, " Wi-Fi down in building C ", "2026-12-01T18:00", "Marco", 4)
    assert out == ("", "", None, 5)
    sent = session.calls[0]
    assert sent["json"] == {
        "text": "Wi-Fi down in building C",
        "ends_at": "2026-12-01T18:00:00+01:00",
    }
    assert sent["headers"]["X-Role"] == "helpdesk" and sent["headers"]["X-User-Name"] == b"Marco"


def test_a_refused_notice_keeps_its_text():
    session = FakeSession(
        {
            ("POST", "/notices"): problem(
                422, "Validation failed", "A notice must end in the future."
            )
        }
    )
    with dashboard(session):
        text, ends, alert, changed = notices.post_notice(1, "Lift out", "2001-01-01T10:00", None, 0)
    assert (text, ends, changed) == (no_update, no_update, no_update)
    assert "must end in the future" in text_of(alert)
    with dashboard(FakeSession({})):
        short = notices.post_notice(1, " x ", None, None, 0)
    assert "Write the notice first." in text_of(short[2])


def test_banner_and_hint_come_from_the_api_and_stay_quiet_when_it_fails():
    session = FakeSession({("GET", "/notices"): FakeResponse(200, {"items": [NOTICE]})})
    with dashboard(session):
        banner = notices.show_banner("notice-banner")
        hint = notices.show_report_hint("the wifi is down in C")
        assert notices.show_report_hint("wifi") == []  # too short to ask
    assert "Wi-Fi down in building C" in text_of(banner[0]) and "until" in text_of(banner[0])
    assert "Is it this known problem?" in text_of(hint[0])
    assert session.calls[1]["params"] == {"matching": "the wifi is down in C"}
    with dashboard(FakeSession({})):  # the API does not answer this route
        assert notices.show_banner("notice-banner") == []
        assert notices.show_report_hint("the wifi is down in C") == []
