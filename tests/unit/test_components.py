"""The dashboard's layout builders: every page builds, and shows what people must read."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from dash import html

from components import common, helpdesk, layout, messages, report, ticket_detail, tickets, workflow
from dash_app.vocabulary import Vocabulary
from tests.unit.dash_fakes import CATEGORIES, TICKET, WORKFLOW, FakeSession, dashboard

ROME = ZoneInfo("Europe/Rome")
WORDS = Vocabulary.from_api(CATEGORIES, WORKFLOW)
LABELS = (WORDS.statuses, WORDS.categories)


def text_of(component) -> str:
    """All the text a component renders, children first to last."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def find(component, cid):
    """The component with this id inside a layout tree, or None."""
    if getattr(component, "id", None) == cid:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            found = find(child, cid)
            if found is not None:
                return found
    return None


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


def test_badges_say_the_api_labels_in_words_or_the_raw_key():
    for status, label in WORDS.statuses.items():
        assert label in text_of(common.status_badge(status, WORDS.statuses))
    assert text_of(common.category_badge("services", WORDS.categories)).strip() == (
        "Services complaints"
    )
    # Without the API's words the key itself is shown, never a label kept here.
    assert text_of(common.category_badge("services", {})).strip() == "services"
    assert text_of(common.status_badge("active", {})).strip() == "active"


def test_labels_join_into_a_phrase():
    assert common.joined(["open", "active"], WORDS.statuses, lower=True) == "Open and active"
    assert (
        common.joined(["facility", "it", "services"], WORDS.categories, "or")
        == "Facility management, Technical IT or Services complaints"
    )
    assert common.joined(["it"], {}) == "it"


def test_dates_are_shown_in_the_campus_time_zone():
    assert common.format_time("2026-11-24T10:15:00+00:00", ROME) == "24 Nov 2026, 11:15"
    assert common.format_time("2026-07-01T10:15:00+00:00", ROME) == "1 Jul 2026, 12:15"
    assert common.format_time(None, ROME, empty="Not closed yet") == "Not closed yet"


def test_confidence_text_says_how_sure_and_who_set_it():
    assert common.confidence_text(0.91, "auto") == "Set automatically, 91% confident"
    assert common.confidence_text(0.4, "auto") == "Set automatically, 40% confident"
    assert common.confidence_text(None, "helpdesk") == "Set by the helpdesk"


def test_to_check_badge_only_where_the_api_flags_the_ticket():
    assert common.to_check_badge(TICKET) is None  # a simple user's ticket has no flag
    assert common.to_check_badge(dict(TICKET, category_to_check=False)) is None
    badge = common.to_check_badge(dict(TICKET, category_to_check=True))
    assert text_of(badge).strip() == "Category to be checked"
    assert "category-to-check" in badge.className


def test_facts_show_category_to_be_checked_for_a_flagged_ticket():
    flagged = dict(TICKET, category_confidence=0.41, category_to_check=True)
    text = text_of(ticket_detail.ticket_facts(flagged, ROME, "Europe/Rome", *LABELS))
    assert "Category to be checked" in text and "41% confident" in text
    plain = text_of(ticket_detail.ticket_facts(TICKET, ROME, "Europe/Rome", *LABELS))
    assert "to be checked" not in plain


def test_facts_show_three_dates_and_the_zone():
    text = text_of(ticket_detail.ticket_facts(TICKET, ROME, "Europe/Rome", *LABELS))
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


def test_the_next_step_button_says_the_api_action():
    step = {"from": "open", "to": "active", "action": "Take it in hand", "roles": ("helpdesk",)}
    panel = workflow.status_panel(dict(TICKET, status="open"), ROME, WORDS.statuses, step)
    text = text_of(panel)
    assert "Take it in hand" in text and "Moves the ticket to “Active”" in text
    closing = {"from": "active", "to": "closed", "action": "Close ticket", "roles": ()}
    button = workflow.status_panel(
        dict(TICKET, status="active"), ROME, WORDS.statuses, closing, final=True
    )[1]
    assert button.color == "danger" and "Close ticket" in text_of(button)


def test_without_a_step_a_closed_ticket_is_read_only():
    closed = dict(TICKET, status="closed", closed_at="2026-11-25T09:00:00+00:00")
    text = text_of(workflow.status_panel(closed, ROME, WORDS.statuses, None))
    assert "read-only" in text and "25 Nov 2026, 10:00" in text
    unknown = text_of(workflow.status_panel(dict(TICKET), ROME, {}, None))
    assert "No next step" in unknown and "read-only" not in unknown


def test_category_override_offers_the_api_categories():
    select = workflow.category_override(WORDS.categories)[2].children[0]
    assert [o["label"] for o in select.options] == [
        "Facility management",
        "Technical IT",
        "Services complaints",
    ]


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
            },
            {
                "at": "2026-11-24T10:20:00+00:00",
                "role": "helpdesk",
                "name": None,
                "field": "category",
                "old_value": "it",
                "new_value": "services",
            },
        ],
        ROME,
        *LABELS,
    )
    text = text_of(table)
    assert "Helpdesk · Marco" in text and "Open" in text and "Active" in text
    assert "Technical IT" in text and "Services complaints" in text


def test_conflict_notice_shows_the_current_version():
    text = text_of(ticket_detail.conflict_notice(dict(TICKET, title="Their title")))
    assert "Someone else changed this ticket" in text and "Their title" in text


def test_every_form_field_has_a_visible_label(app):
    from components.landing import landing_page

    tree = [
        report.report_form(),
        ticket_detail.edit_form(),
        messages.message_panel(),
        tickets.ticket_list_panel(*LABELS, ("open", "active")),
        helpdesk.board(*LABELS, WORDS.unfinished()),
        workflow.workflow_card(WORDS.categories),
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
    assert tickets.list_summary(1000, 3, exact=False) == "Showing 21–30 of more than 1,000 tickets."


def test_status_counts_total(app):
    text = text_of(helpdesk.status_counts({"open": 3, "active": 2, "closed": 1000}, WORDS.statuses))
    assert "1,000" in text and "1,005" in text and "Closed" in text
    assert isinstance(helpdesk.board(*LABELS, WORDS.unfinished()), html.Div)


def test_a_rate_limit_asks_to_wait_and_says_the_text_is_kept():
    from components.common import problem_alert
    from dash_app.api_client import ApiError

    alert = problem_alert(
        ApiError(429, "Too many requests", "Please try again in 40 seconds.", retry_after=40)
    )
    text = str(alert.to_plotly_json())
    assert alert.color == "warning"
    assert "Please wait a moment." in text and "try again in 40 seconds" in text
    assert "What you wrote is kept here." in text
    other = problem_alert(ApiError(409, "Conflict", "Changed meanwhile."))
    assert other.color == "danger" and "Please wait" not in str(other.to_plotly_json())
