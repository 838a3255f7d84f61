"""The report form of simple users, its live category preview and the confirmation."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import category_badge, icon
from components.duplicates import REPORT_SIMILAR
from components.notices import REPORT_NOTICE_HINT
from components.photos import photo_picker

REPORT_TITLE = "report-title"
REPORT_DESCRIPTION = "report-description"
REPORT_LOCATION = "report-location"
REPORT_NAME = "report-name"
REPORT_EMAIL = "report-email"
REPORT_EMAIL_HINT = "report-email-hint"
REPORT_SUBMIT = "report-submit"
REPORT_RESULT = "report-result"
REPORT_PREVIEW = "report-preview"
REPORT_CREATED = "report-created"
REPORT_TEXT = "report-text"
#: The report form looks up similar tickets and matching notices once this much has been typed.
LOOKUP_CHARS = 8

FIELDS = {  # field -> (component id, label, limit)
    "title": (REPORT_TITLE, "Title", 120),
    "description": (REPORT_DESCRIPTION, "What is the problem?", 10000),
    "location": (REPORT_LOCATION, "Where? (optional)", 120),
    "reporter_name": (REPORT_NAME, "Your name (optional)", 80),
    "email": (REPORT_EMAIL, "Your e-mail, for news of this ticket (optional)", 254),
}
#: Under the e-mail field, whether the helpdesk sends mail or not.
EMAIL_HINTS = {
    True: "We write when the helpdesk answers, starts work or closes the ticket. Only the "
    "helpdesk sees your address; every e-mail has a link to stop them.",
    False: "E-mail notifications are not set up on this helpdesk: keep the private link "
    "you get after sending to follow your ticket.",
}
FEEDBACK = {name: f"{cid}-feedback" for name, (cid, _label, _limit) in FIELDS.items()}


def _field(name: str, control, hint: str | None = None, hint_id: str | None = None) -> html.Div:
    cid, label, _limit = FIELDS[name]
    parts = [
        dbc.Label(label, html_for=cid, className="fw-semibold"),
        control,
        dbc.FormFeedback(id=FEEDBACK[name], type="invalid"),
    ]
    if hint_id:
        parts.append(dbc.FormText(hint, id=hint_id))
    elif hint:
        parts.append(dbc.FormText(hint))
    return html.Div(parts, className="mb-3")


def report_fields() -> list:
    """The labelled fields of the report form and the category preview. The e-mail field
    starts disabled; the page enables it when the helpdesk sends mail (email_field_state)."""
    title = dbc.Input(id=REPORT_TITLE, maxLength=120, placeholder="e.g. Elevator stuck on floor 2")
    description = dbc.Textarea(
        id=REPORT_DESCRIPTION,
        rows=5,
        maxLength=10000,
        submit_on_enter=False,
        placeholder="What happened, since when, what did you try?",
    )
    location = dbc.Input(id=REPORT_LOCATION, maxLength=120, placeholder="Building, room")
    name = dbc.Input(id=REPORT_NAME, maxLength=80, autoComplete="name")
    email = dbc.Input(
        id=REPORT_EMAIL,
        type="email",
        maxLength=254,
        autoComplete="email",
        disabled=True,
        placeholder="name@campus.example",
    )
    return [
        _field("title", title, "3 to 120 characters."),
        _field("description", description),
        html.Div(id=REPORT_PREVIEW, className="mb-3 category-preview", **{"aria-live": "polite"}),
        html.Div(id=REPORT_NOTICE_HINT, **{"aria-live": "polite"}),
        html.Div(id=REPORT_SIMILAR, **{"aria-live": "polite"}),
        dbc.Row(
            [
                dbc.Col(_field("location", location), sm=6),
                dbc.Col(_field("reporter_name", name), sm=6),
            ],
            className="g-2",
        ),
        _field("email", email, "", REPORT_EMAIL_HINT),
    ]


def email_field_state(notifications: bool) -> tuple[bool, str]:
    """Whether the e-mail field is disabled, and the hint under it."""
    return not notifications, EMAIL_HINTS[bool(notifications)]


def report_form() -> dbc.Card:
    """The card in which a simple user reports a new problem."""
    header = html.H2([icon("bi-plus-circle", "me-2"), "Report a problem"], className="h5 mb-0")
    result = html.Div(id=REPORT_RESULT, className="mt-3", **{"aria-live": "polite"})
    submit = dbc.Button(
        [icon("bi-send", "me-2"), "Send report"],
        id=REPORT_SUBMIT,
        color="primary",
        className="w-100",
    )
    body = report_fields() + [
        photo_picker("report"),
        submit,
        dcc.Loading(result, type="dot", color="#1d4ed8"),
        dcc.Store(id=REPORT_CREATED),
        dcc.Store(id=REPORT_TEXT),
    ]
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="shadow-sm border-0")


def category_preview(result: dict | None, categories: dict[str, str] | None = None) -> list:
    """What the classifier thinks of the text so far, or a hint to keep typing."""
    if not result:
        return [
            html.Span(
                [
                    icon("bi-magic", "me-1"),
                    "We will suggest a category as you describe the problem.",
                ],
                className="small text-body-secondary",
            )
        ]
    percent = round(float(result.get("confidence") or 0) * 100)
    return [
        html.Span("Likely category: ", className="small text-body-secondary me-1"),
        category_badge(result.get("category"), categories or {}),
        html.Span(
            f" {percent}% sure · the helpdesk can change it",
            className="small text-body-secondary ms-1",
        ),
    ]


def follow_link_box(url: str, prefix: str = "report") -> html.Div:
    """The ticket's private follow link, to copy and keep (its parts' ids start with
    prefix)."""
    return html.Div(
        [
            html.P(
                [
                    html.Strong("Your private link to this ticket. "),
                    "Keep it (bookmark it, or copy it somewhere safe): it opens the ticket on "
                    "any device, also once it is closed, and lets you answer the helpdesk.",
                ],
                className="mb-1 small",
            ),
            html.Div(
                [
                    html.A(
                        html.Code(url, id=f"{prefix}-follow-url", className="follow-url"),
                        href=url,
                        className="me-2",
                        id=f"{prefix}-follow-link",
                    ),
                    dcc.Clipboard(
                        target_id=f"{prefix}-follow-url",
                        title="Copy the link",
                        className="d-inline-block follow-copy",
                    ),
                ],
                className="d-flex align-items-center flex-wrap",
            ),
        ],
        className="follow-box mb-2",
    )


def confirmation(ticket: dict, categories: dict[str, str], follow_url: str = "") -> dbc.Alert:
    """The thank-you with the ticket's number, its private follow link and a link to it."""
    ticket_id = ticket["id"]
    label = categories.get(ticket.get("category"), ticket.get("category") or "")
    return dbc.Alert(
        [
            html.H3(
                [icon("bi-check-circle-fill", "me-2"), f"Thank you! Ticket #{ticket_id} is open."],
                className="h6 alert-heading",
            ),
            html.P(
                f"It was filed under {label}. You can follow it and chat with the helpdesk there.",
                className="mb-2",
            ),
            follow_link_box(follow_url) if follow_url else None,
            dcc.Link(
                f"Follow ticket #{ticket_id}",
                href=dash.get_relative_path(f"/user/tickets/{ticket_id}"),
                className="alert-link",
                id="report-ticket-link",
            ),
        ],
        color="success",
        className="mb-0",
    )
