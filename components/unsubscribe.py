"""The page of a mail's unsubscribe link: what it is about, and one button to stop the mails."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import icon, page_header, problem_alert

UNSUBSCRIBE_TOKEN = "unsubscribe-token"
UNSUBSCRIBE_BUTTON = "unsubscribe-button"
UNSUBSCRIBE_RESULT = "unsubscribe-result"


def stopped(subscription: dict) -> dbc.Alert:
    """The confirmation once the mails of the link are stopped."""
    return dbc.Alert(
        [
            icon("bi-check-circle-fill", "me-2"),
            html.Strong("Done: no more e-mails about this ticket. "),
            f"You will get none about ticket #{subscription['ticket_id']}, "
            f"“{subscription['title']}”. The link to the ticket in the e-mails you already "
            "have still opens it.",
        ],
        color="success",
        id="unsubscribe-done",
    )


def unsubscribe_page(token: str, subscription: dict | None, error=None) -> html.Div:
    """The page: the ticket the link is about and the button, or that it is already done,
    or why the link opens nothing."""
    header = page_header(
        "E-mails about a ticket",
        "Each e-mail CampusDesk sends about a ticket carries this link to stop them.",
    )
    if subscription is None:
        body = [problem_alert(error)] if error is not None else []
    elif not subscription["subscribed"]:
        body = [stopped(subscription)]
    else:
        body = [
            html.P(
                [
                    "You get e-mails about ticket ",
                    html.Strong(f"#{subscription['ticket_id']}, “{subscription['title']}”"),
                    " when the helpdesk answers, starts work or closes it.",
                ]
            ),
            dbc.Button(
                [icon("bi-bell-slash", "me-2"), "Stop these e-mails"],
                id=UNSUBSCRIBE_BUTTON,
                color="primary",
            ),
        ]
    return html.Div(
        [
            header,
            dcc.Store(id=UNSUBSCRIBE_TOKEN, data=token),
            dbc.Card(
                dbc.CardBody(body + [html.Div(id=UNSUBSCRIBE_RESULT, **{"aria-live": "polite"})]),
                className="shadow-sm border-0 unsubscribe-card",
            ),
        ]
    )
