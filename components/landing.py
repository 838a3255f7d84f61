"""The landing page: two clear choices, no login."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components.common import icon

CHOOSE_USER = "choose-user"
CHOOSE_HELPDESK = "choose-helpdesk"
LANDING_NAME = "landing-name"
LANDING_CURRENT = "landing-current"


def role_card(title: str, text: str, glyph: str, button_id: str, button_text: str) -> dbc.Col:
    """One of the two choices as a card with a single large button."""
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(icon(glyph), className="role-icon mb-3"),
                    html.H2(title, className="h4"),
                    html.P(text, className="text-body-secondary flex-grow-1"),
                    dbc.Button(
                        [button_text, icon("bi-arrow-right", "ms-2")],
                        id=button_id,
                        color="primary",
                        size="lg",
                        className="w-100",
                    ),
                ],
                className="d-flex flex-column p-4",
            ),
            className="h-100 shadow-sm border-0 role-card",
        ),
        md=6,
    )


def name_card() -> dbc.Card:
    """The optional name, used for messages and history."""
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Label("Your name (optional)", html_for=LANDING_NAME, className="fw-semibold"),
                dbc.Input(
                    id=LANDING_NAME,
                    maxLength=80,
                    autoComplete="name",
                    placeholder="e.g. Anna Rossi",
                ),
                dbc.FormText(
                    "Shown next to your messages and in a ticket's history. "
                    "Leave it empty to stay anonymous."
                ),
                html.P(id=LANDING_CURRENT, className="small mb-0 mt-3", **{"aria-live": "polite"}),
            ]
        ),
        className="shadow-sm border-0 mx-auto landing-name",
    )


def landing_page() -> html.Div:
    """Who are you: a simple user or a member of the helpdesk."""
    hero = html.Div(
        [
            html.H1("Welcome to CampusDesk", className="display-6 fw-semibold"),
            html.P(
                "Something broken, slow or not right on campus? Tell us and follow it up "
                "here. No account needed: just say who you are.",
                className="lead text-body-secondary",
            ),
        ],
        className="text-center mb-4 landing-hero",
    )
    choices = dbc.Row(
        [
            role_card(
                "I study or work here",
                "Report a problem with a building, the IT or a campus service, follow what "
                "happens and chat with the helpdesk.",
                "bi-person-raised-hand",
                CHOOSE_USER,
                "Continue as simple user",
            ),
            role_card(
                "I work at the helpdesk",
                "See every ticket, move it along from open to closed, check its category "
                "and answer the people who reported it.",
                "bi-headset",
                CHOOSE_HELPDESK,
                "Continue as helpdesk staff",
            ),
        ],
        className="g-4 mb-4",
    )
    return html.Div([hero, choices, name_card()])
