"""One ticket's page parts shared by both roles: header, edit form, facts, conflict notice."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import (
    category_badge,
    confidence_text,
    fact,
    format_time,
    icon,
    loading,
    section_card,
    status_badge,
    to_check_badge,
)
from components.duplicates import MERGED_NOTE, merge_facts, reported_by_text
from components.messages import message_panel
from components.notes import notes_card
from components.notices import notice_banner
from components.rating import rating_card
from components.workflow import history_card, workflow_card

TICKET_ID = "ticket-id"
TICKET_ROLE = "ticket-role"
TICKET_STORE = "ticket-store"
TICKET_HEADER = "ticket-header"
TICKET_ALERT = "ticket-alert"
TICKET_FACTS = "ticket-facts"
TICKET_BODY = "ticket-body"
EDIT_TITLE = "edit-title"
EDIT_DESCRIPTION = "edit-description"
EDIT_LOCATION = "edit-location"
EDIT_SAVE = "edit-save"
EDIT_FEEDBACK = {
    "title": "edit-title-feedback",
    "description": "edit-description-feedback",
    "location": "edit-location-feedback",
}


#: The role of a ticket's pages opened by its follow link (dash_app.api_client.REPORTER): the
#: ticket is named by its follow token.
REPORTER = "reporter"
FOLLOW_NOTE = "follow-note"


def ticket_stores(ticket_id, role: str) -> list:
    """The stores that tell the page's callbacks which ticket (its number, or its follow
    token for the reporter) and which role."""
    try:
        clean_id = str(ticket_id) if role == REPORTER and ticket_id else int(ticket_id)
    except (TypeError, ValueError):
        clean_id = None
    return [
        dcc.Store(id=TICKET_ID, data=clean_id),
        dcc.Store(id=TICKET_ROLE, data=role),
        dcc.Store(id=TICKET_STORE),
    ]


def pending_header(ticket_id=None) -> list:
    """The h1 of the ticket page before the ticket is loaded (or when it cannot be)."""
    if str(ticket_id or "").isdigit():
        title = f"Ticket #{ticket_id}"
    else:  # a follow token is no name to show
        title = "Your ticket" if ticket_id else "Ticket"
    return [html.H1(title, className="h3 mb-1")]


def ticket_header(ticket: dict, statuses: dict[str, str], categories: dict[str, str]) -> list:
    """The h1 of the ticket page: number, title and badges."""
    return [
        html.H1(
            [html.Span(f"#{ticket['id']} ", className="text-body-secondary"), ticket["title"]],
            className="h3 mb-2 text-break page-title",
        ),
        html.Div(
            [
                status_badge(ticket["status"], statuses),
                category_badge(ticket.get("category"), categories),
            ],
            className="d-flex flex-wrap gap-1",
        ),
    ]


def _field(label: str, cid: str, control) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=cid, className="fw-semibold"),
            control,
            dbc.FormFeedback(id=EDIT_FEEDBACK[cid.removeprefix("edit-")], type="invalid"),
        ],
        className="mb-3",
    )


def edit_form() -> dbc.Card:
    """Title, description and location of a ticket, editable, with a save button."""
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2([icon("bi-pencil-square", "me-2"), "Details"], className="h5 mb-0")
            ),
            dbc.CardBody(
                [
                    _field("Title", EDIT_TITLE, dbc.Input(id=EDIT_TITLE, maxLength=120)),
                    _field(
                        "Description",
                        EDIT_DESCRIPTION,
                        dbc.Textarea(
                            id=EDIT_DESCRIPTION, rows=6, maxLength=10000, submit_on_enter=False
                        ),
                    ),
                    _field(
                        "Location (optional)",
                        EDIT_LOCATION,
                        dbc.Input(id=EDIT_LOCATION, maxLength=120),
                    ),
                    dbc.Button(
                        [icon("bi-save", "me-2"), "Save changes"], id=EDIT_SAVE, color="primary"
                    ),
                ]
            ),
        ],
        className="shadow-sm border-0 mb-4",
    )


def ticket_facts(
    ticket: dict,
    zone,
    zone_name: str,
    statuses: dict[str, str],
    categories: dict[str, str],
    links: bool = False,
) -> list:
    """Status, category, who reported it and how many people, the three dates, in the campus
    time zone, and the merged tickets (``links``: to their pages, for the helpdesk)."""
    closed = format_time(ticket.get("closed_at"), zone, empty="Not closed yet")
    return [
        html.Dl(
            [
                fact("Status", status_badge(ticket["status"], statuses)),
                fact(
                    "Category",
                    [
                        category_badge(ticket.get("category"), categories),
                        to_check_badge(ticket),
                        html.Div(
                            confidence_text(
                                ticket.get("category_confidence"), ticket.get("category_source")
                            ),
                            className="small text-body-secondary mt-1",
                        ),
                    ],
                ),
                fact(
                    "Reported by",
                    [
                        ticket.get("reporter_name") or "Anonymous",
                        html.Div(
                            reported_by_text(ticket.get("reported_by")),
                            className="small text-body-secondary",
                            id="fact-reported-by",
                        ),
                    ],
                ),
                # only the helpdesk's answer carries it (ticket_api/models.py, CONTACT_FIELDS)
                fact(
                    "Reporter's e-mail",
                    html.A(ticket["reporter_email"], href=f"mailto:{ticket['reporter_email']}"),
                    "fact-email",
                )
                if ticket.get("reporter_email")
                else None,
                fact("Opened", format_time(ticket.get("opened_at"), zone), "fact-opened"),
                fact("Last changed", format_time(ticket.get("modified_at"), zone), "fact-modified"),
                fact("Closed", closed, "fact-closed"),
                *merge_facts(ticket, links),
            ],
            className="mb-1",
        ),
        html.P(
            [icon("bi-globe2", "me-1"), f"Times in {zone_name}."],
            className="small text-body-secondary mb-0",
        ),
    ]


def facts_card() -> dbc.Card:
    """The card that holds the ticket's facts."""
    return section_card("At a glance", "bi-info-circle", TICKET_FACTS)


def conflict_notice(current: dict) -> dbc.Alert:
    """Someone else saved first: say so, show their version, keep what was typed."""
    return dbc.Alert(
        [
            html.H2(
                [icon("bi-people-fill", "me-2"), "Someone else changed this ticket"],
                className="h6 alert-heading",
            ),
            html.P(
                "It was changed while you were editing. Your text is still in the form below; "
                "this is the version saved now. Save again to replace it with yours.",
                className="mb-2",
            ),
            html.Dl(
                [
                    html.Dt("Title now"),
                    html.Dd(current.get("title") or "", className="text-break"),
                    html.Dt("Description now"),
                    html.Dd(current.get("description") or "", className="text-break pre-wrap"),
                    html.Dt("Location now"),
                    html.Dd(current.get("location") or "—"),
                ],
                className="mb-0 small conflict-current",
            ),
        ],
        color="warning",
        id="conflict-notice",
    )


def saved_notice() -> dbc.Alert:
    """A short confirmation after a save."""
    return dbc.Alert(
        [icon("bi-check-circle-fill", "me-2"), "Changes saved."],
        color="success",
        duration=5000,
        className="py-2",
    )


def missing_ticket(role: str, detail: str = "") -> dbc.Alert:
    """The ticket cannot be shown: unknown, or closed for a simple user."""
    text = {
        "user": "It does not exist, or it was closed and is no longer shown to simple users.",
        REPORTER: "This link opens no ticket: check that the whole link was copied. A ticket "
        "the helpdesk deleted cannot be opened any more.",
    }.get(role, "It does not exist or was deleted.")
    return dbc.Alert([html.Strong("This ticket cannot be shown. "), text], color="secondary")


def follow_note() -> dbc.Alert:
    """What the follow link is, on the page it opens."""
    return dbc.Alert(
        [
            icon("bi-key-fill", "me-2"),
            html.Strong("Your private link to this ticket. "),
            "Keep it: it opens the ticket on any device, also once it is closed, and lets you "
            "answer the helpdesk. Whoever has it can do the same, so share it only with whom "
            "you trust.",
        ],
        color="info",
        className="small py-2",
        id=FOLLOW_NOTE,
    )


def ticket_page(ticket_id, role: str, categories: dict[str, str]) -> html.Div:
    """The whole ticket page; the helpdesk gets the workflow and history cards too, the
    reporter through the follow link the conversation and the facts."""
    back = ("/helpdesk", "All tickets") if role == "helpdesk" else ("/user", "Back to the tickets")
    left = [message_panel()] if role == REPORTER else [edit_form(), message_panel()]
    right = [facts_card()]
    if role == REPORTER:
        right.insert(0, html.Div(id=MERGED_NOTE))
        right.insert(0, follow_note())
        right.append(rating_card())
    if role == "helpdesk":
        left += [notes_card(), history_card()]
        right.insert(0, workflow_card(categories))
    return html.Div(
        ticket_stores(ticket_id, role)
        + ([] if role == "helpdesk" else [notice_banner()])
        + [
            dcc.Link(
                [icon("bi-arrow-left", "me-1"), back[1]],
                href=dash.get_relative_path(back[0]),
                className="back-link small d-inline-block mb-2",
            ),
            html.Div(pending_header(ticket_id), id=TICKET_HEADER, className="mb-4"),
            loading(html.Div(id=TICKET_ALERT)),
            html.Div(
                dbc.Row([dbc.Col(left, lg=7), dbc.Col(right, lg=5)], className="g-4"),
                id=TICKET_BODY,
            ),
        ]
    )
