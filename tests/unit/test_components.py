"""The dashboard's layout builders: every page builds, and shows what people must read."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from dash import html

from components import common, helpdesk, layout, messages, report, ticket_detail, tickets, workflow
from tests.unit.dash_fakes import TICKET, FakeSession, dashboard

ROME = ZoneInfo("Europe/Rome")


def text_of(component) -> str:
    """All the text a component renders, children first to last."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


@pytest.fixture(scope="module")
def app():
    with dashboard(FakeSession()) as built:
        yield built


@pytest.mark.parametrize(
    "module_name",
    ["landing", "user", "user_ticket", "helpdesk", "helpdesk_ticket", "not_found_404"],
)
def test_every_page_builds(app, module_name):
    import importlib

    page = importlib.import_module(f"dash_app.pages.{module_name}")
    built = page.layout(ticket_id="7") if "ticket" in module_name else page.layout()
    assert text_of(built).strip()


def test_status_badge_says_the_status_in_words():
    for status, label in common.STATUS_LABELS.items():
        assert label in text_of(common.status_badge(status))


def test_dates_are_shown_in_the_campus_time_zone():
    assert common.format_time("2026-11-24T10:15:00+00:00", ROME) == "24 Nov 2026, 11:15"
    assert common.format_time("2026-07-01T10:15:00+00:00", ROME) == "1 Jul 2026, 12:15"
    assert common.format_time(None, ROME, empty="Not closed yet") == "Not closed yet"


def test_confidence_text_flags_low_confidence_and_overrides():
    assert "91%" in common.confidence_text(0.91, "auto")
    assert "low" in common.confidence_text(0.4, "auto")
    assert common.confidence_text(None, "helpdesk") == "Set by the helpdesk"


def test_facts_show_three_dates_and_the_zone():
    text = text_of(ticket_detail.ticket_facts(TICKET, ROME, "Europe/Rome"))
    assert "24 Nov 2026, 11:15" in text and "24 Nov 2026, 12:00" in text
    assert "Not closed yet" in text and "Europe/Rome" in text


def test_message_bubble_keeps_markup_as_text():
    bubble = messages.message_bubble(
        {
            "id": 1,
            "body": "<script>alert(1)</script>",
            "author_role": "helpdesk",
            "author_name": "Marco",
            "created_at": "2026-11-24T10:15:00+00:00",
        },
        "user",
        ROME,
    )
    assert "<script>alert(1)</script>" in text_of(bubble)
    assert "Helpdesk · Marco" in text_of(bubble)


def test_only_the_allowed_next_step_is_offered():
    open_panel = text_of(workflow.status_panel(dict(TICKET, status="open"), ROME))
    active_panel = text_of(workflow.status_panel(dict(TICKET, status="active"), ROME))
    closed_panel = text_of(
        workflow.status_panel(
            dict(TICKET, status="closed", closed_at="2026-11-25T09:00:00+00:00"), ROME
        )
    )
    assert "Start work" in open_panel and "Close" not in open_panel
    assert "Close ticket" in active_panel and "Start work" not in active_panel
    assert "read-only" in closed_panel


def test_history_table_names_fields_and_values(app):
    table = workflow.history_table(
        [
            {
                "at": "2026-11-24T10:15:00+00:00",
                "role": "helpdesk",
                "name": "Marco",
                "field": "status",
                "old_value": "open",
                "new_value": "active",
            }
        ],
        ROME,
    )
    text = text_of(table)
    assert "Helpdesk · Marco" in text and "Open" in text and "Active" in text


def test_conflict_notice_shows_the_current_version():
    text = text_of(ticket_detail.conflict_notice(dict(TICKET, title="Their title")))
    assert "Someone else changed this ticket" in text and "Their title" in text


def test_every_form_field_has_a_visible_label(app):
    from components.landing import landing_page

    tree = [
        report.report_form(),
        ticket_detail.edit_form(),
        messages.message_panel(),
        tickets.ticket_list_panel(),
        helpdesk.board(),
        workflow.workflow_card(),
        landing_page(),
    ]
    labelled, fields = set(), set()

    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif hasattr(node, "to_plotly_json"):
            kind = type(node).__name__
            if kind == "Label":
                labelled.add(node.html_for)
            elif kind in ("Input", "Textarea", "Select"):
                fields.add(node.id)
            walk(getattr(node, "children", None))

    walk(tree)
    assert len(fields) >= 12 and fields <= labelled, fields - labelled


def test_navbar_shows_role_in_words(app):
    assert "Helpdesk staff · Marco" in text_of(layout.nav_role("helpdesk", "Marco"))
    assert "No role chosen" in text_of(layout.nav_role(None, None))


def test_list_summary_counts():
    assert tickets.list_summary(42, 2) == "Showing 11–20 of 42 tickets."
    assert tickets.list_summary(0, 1) == "No tickets."


def test_status_counts_total(app):
    text = text_of(helpdesk.status_counts({"open": 3, "active": 2, "closed": 1000}))
    assert "1,000" in text and "1,005" in text
    assert isinstance(helpdesk.board(), html.Div)
