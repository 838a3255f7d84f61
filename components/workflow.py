"""The helpdesk's tools on one ticket: next status step, category override, change history."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components.common import (
    choices,
    confidence_text,
    format_time,
    icon,
    loading,
    section_card,
    status_badge,
)
from components.duplicates import (
    MERGE_ACTION,
    MERGE_CANCEL,
    MERGE_CONFIRM,
    MERGE_INTO,
    MERGE_MODAL,
    MERGE_QUESTION,
)

# The moves themselves come from the ticket API; this only picks an icon by target status.
STEP_ICONS = {"active": "bi-play-fill", "closed": "bi-check2-circle"}

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
    "merged_into": "Merged into",
    "merged_from": "Merged here",
}


def step_button(step: dict, statuses: dict[str, str], final: bool) -> list:
    """The button of a workflow move, named as the API names it, and where it leads.

    A step into a final status, which cannot be undone, looks like the danger it is.
    """
    target = step["to"]
    return [
        dbc.Button(
            [icon(STEP_ICONS.get(target, "bi-arrow-right"), "me-1"), step["action"]],
            id=STATUS_ACTION,
            color="danger" if final else "primary",
            outline=final,
            className="w-100",
        ),
        html.P(
            f"Moves the ticket to “{statuses.get(target, target)}”.",
            className="small text-body-secondary mt-2 mb-0",
        ),
    ]


def status_panel(
    ticket: dict, zone, statuses: dict[str, str], step: dict | None, final: bool = False
) -> list:
    """The current status and the one next step (a move of the API's workflow), if any."""
    now = html.Div(
        [html.Span("Now: ", className="me-1"), status_badge(ticket["status"], statuses)],
        className="mb-3",
    )
    if step:
        return [now] + step_button(step, statuses, final)
    if ticket.get("closed_at"):
        note = (
            f"Closed on {format_time(ticket.get('closed_at'), zone)}. Closed tickets are read-only."
        )
    else:
        note = "No next step can be offered right now."
    return [
        now,
        html.P(note, className="small mb-0"),
        html.Button(id=STATUS_ACTION, hidden=True, disabled=True),
    ]


def category_override(categories: dict[str, str]) -> list:
    """The category menu (the API's categories) with its button and where it comes from."""
    options = choices(categories)
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


def workflow_card(categories: dict[str, str]) -> dbc.Card:
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
        + category_override(categories)
        + merge_section()
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
    modal_id: str, title: str, text, confirm_id: str, cancel_id: str, confirm_text: str
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


def merge_section() -> list:
    """The duplicate of another ticket: "Merge into…" the number of the ticket to keep,
    behind a confirmation."""
    return [
        html.Hr(),
        html.H3("Same problem as another ticket?", className="h6"),
        dbc.Label("Merge into ticket number", html_for=MERGE_INTO, className="small"),
        dbc.InputGroup(
            [
                dbc.InputGroupText("#"),
                dbc.Input(id=MERGE_INTO, type="number", min=1, step=1, inputMode="numeric"),
                dbc.Button(
                    [icon("bi-sign-merge-left", "me-1"), "Merge into…"],
                    id=MERGE_ACTION,
                    color="secondary",
                    outline=True,
                ),
            ],
            size="sm",
        ),
        html.P(
            "This ticket is then closed as a duplicate, and its people follow the other one.",
            className="small text-body-secondary mt-2 mb-0",
        ),
        confirm_modal(
            MERGE_MODAL,
            "Merge this ticket?",
            html.Span(id=MERGE_QUESTION),
            MERGE_CONFIRM,
            MERGE_CANCEL,
            "Yes, merge it",
        ),
    ]


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


def history_table(
    items: list[dict], zone, statuses: dict[str, str], categories: dict[str, str]
) -> html.Div:
    """Every change of the ticket, oldest first: when, who, what, from, to."""
    labels = {"status": statuses, "category": categories}

    def shown(field: str, value) -> str:
        if value in (None, ""):
            return "—"
        return labels.get(field, {}).get(value, str(value))

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
                    shown(c.get("field"), c.get("old_value")), className="text-break history-value"
                ),
                html.Td(
                    shown(c.get("field"), c.get("new_value")), className="text-break history-value"
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
