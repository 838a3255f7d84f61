"""The helpdesk's tools on one ticket: next status step, category override, change history."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components.common import (
    CATEGORY_LABELS,
    STATUS_LABELS,
    confidence_text,
    format_time,
    icon,
    loading,
    section_card,
    status_badge,
)

# The workflow as data: the only step offered from each status (SPEC section 2).
NEXT_STEP = {
    "open": ("active", "Start work", "bi-play-fill"),
    "active": ("closed", "Close ticket", "bi-check2-circle"),
}

STATUS_PANEL = "status-panel"
STATUS_ACTION = "status-action"
WORKFLOW_ALERT = "workflow-alert"
CLOSE_MODAL = "close-modal"
CLOSE_CONFIRM = "close-confirm"
CLOSE_CANCEL = "close-cancel"
CATEGORY_SELECT = "category-select"
CATEGORY_APPLY = "category-apply"
CATEGORY_INFO = "category-info"
HISTORY = "ticket-history"
DELETE_ACTION = "delete-action"
DELETE_MODAL = "delete-modal"
DELETE_CONFIRM = "delete-confirm"
DELETE_CANCEL = "delete-cancel"
FIELD_LABELS = {
    "status": "Status",
    "category": "Category",
    "title": "Title",
    "description": "Description",
    "location": "Location",
}


def status_panel(ticket: dict, zone) -> list:
    """The current status and the one next step, if any."""
    status = ticket["status"]
    parts = [
        html.Div([html.Span("Now: ", className="me-1"), status_badge(status)], className="mb-3")
    ]
    step = NEXT_STEP.get(status)
    if step:
        target, label, glyph = step
        parts.append(
            dbc.Button(
                [icon(glyph, "me-1"), label],
                id=STATUS_ACTION,
                color="danger" if target == "closed" else "primary",
                outline=target == "closed",
                className="w-100",
            )
        )
        parts.append(
            html.P(
                f"Moves the ticket to “{STATUS_LABELS[target]}”.",
                className="small text-body-secondary mt-2 mb-0",
            )
        )
    else:
        parts.append(
            html.P(
                f"Closed on {format_time(ticket.get('closed_at'), zone)}. "
                "Closed tickets are read-only.",
                className="small mb-0",
            )
        )
        parts.append(html.Button(id=STATUS_ACTION, hidden=True, disabled=True))
    return parts


def category_override() -> list:
    """The category menu with its button and where the category comes from."""
    options = [{"label": label, "value": key} for key, label in CATEGORY_LABELS.items()]
    return [
        html.H3("Category", className="h6"),
        dbc.Label("Category of this ticket", html_for=CATEGORY_SELECT, className="small"),
        dbc.InputGroup(
            [
                dbc.Select(id=CATEGORY_SELECT, options=options),
                dbc.Button("Change", id=CATEGORY_APPLY, color="secondary", outline=True),
            ]
        ),
        html.P(id=CATEGORY_INFO, className="small text-body-secondary mt-2 mb-0"),
    ]


def workflow_card() -> dbc.Card:
    """The card holding the status step and the category override."""
    header = html.H2([icon("bi-diagram-3", "me-2"), "Workflow"], className="h5 mb-0")
    status = html.Div(html.Button(id=STATUS_ACTION, hidden=True), id=STATUS_PANEL)
    body = (
        [
            loading(html.Div(id=WORKFLOW_ALERT)),
            html.H3("Status", className="h6"),
            loading(status),
            html.Hr(),
        ]
        + category_override()
        + delete_section()
    )
    return dbc.Card(
        [dbc.CardHeader(header), dbc.CardBody(body), close_modal()],
        className="shadow-sm border-0 mb-4",
    )


def category_info(ticket: dict) -> str:
    """Where the current category comes from."""
    return confidence_text(ticket.get("category_confidence"), ticket.get("category_source"))


def confirm_modal(
    modal_id: str, title: str, text: str, confirm_id: str, cancel_id: str, confirm_text: str
) -> dbc.Modal:
    """A question that must be answered before something that cannot be undone."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(title, id=f"{modal_id}-title")),
            dbc.ModalBody(text),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id=cancel_id, color="secondary", outline=True),
                    dbc.Button(confirm_text, id=confirm_id, color="danger"),
                ]
            ),
        ],
        id=modal_id,
        is_open=False,
        centered=True,
        labelledby=f"{modal_id}-title",
    )


def close_modal() -> dbc.Modal:
    """Closing cannot be undone: ask first."""
    return confirm_modal(
        CLOSE_MODAL,
        "Close this ticket?",
        "A closed ticket cannot be reopened or edited, and the reporter no longer sees it. "
        "Close it only when the problem is solved.",
        CLOSE_CONFIRM,
        CLOSE_CANCEL,
        "Yes, close it",
    )


def delete_section() -> list:
    """Removing spam and duplicates, behind its own confirmation."""
    return [
        html.Hr(),
        html.H3("Spam or duplicate?", className="h6"),
        dbc.Button(
            [icon("bi-trash", "me-1"), "Delete ticket"],
            id=DELETE_ACTION,
            color="danger",
            outline=True,
            size="sm",
        ),
        confirm_modal(
            DELETE_MODAL,
            "Delete this ticket?",
            "The ticket, its messages and its history are removed for good. Use this only "
            "for spam and duplicates; close solved tickets instead.",
            DELETE_CONFIRM,
            DELETE_CANCEL,
            "Yes, delete it",
        ),
    ]


def _value(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "status":
        return STATUS_LABELS.get(value, value)
    if field == "category":
        return CATEGORY_LABELS.get(value, value)
    return str(value)


def history_table(items: list[dict], zone) -> html.Div:
    """Every change of the ticket, oldest first: when, who, what, from, to."""
    if not items:
        return html.P("No changes recorded yet.", className="small text-body-secondary mb-0")
    rows = [
        html.Tr(
            [
                html.Td(format_time(c.get("at"), zone), className="text-nowrap"),
                html.Td(
                    ("Helpdesk" if c.get("role") == "helpdesk" else "User")
                    + (f" · {c['name']}" if c.get("name") else "")
                ),
                html.Td(FIELD_LABELS.get(c.get("field"), c.get("field"))),
                html.Td(
                    _value(c.get("field"), c.get("old_value")), className="text-break history-value"
                ),
                html.Td(
                    _value(c.get("field"), c.get("new_value")), className="text-break history-value"
                ),
            ]
        )
        for c in items
    ]
    head = html.Thead(
        html.Tr([html.Th(h, scope="col") for h in ("When", "Who", "Field", "From", "To")])
    )
    return html.Div(
        dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="mb-0 small"),
        className="table-responsive",
    )


def history_card() -> dbc.Card:
    """The card with the change history."""
    return section_card("History", "bi-clock-history", HISTORY)
