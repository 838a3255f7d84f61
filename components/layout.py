"""The frame around every page: navigation bar, role stores, main landmark, role question."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import icon
from components.my_reports import MY_REPORTS

URL = "app-url"
ROLE_STORE = "role-store"
NAME_STORE = "name-store"
NAV_LINKS = "nav-links"
NAV_ROLE = "nav-role"
ROLE_MODAL = "role-modal"
ROLE_MODAL_BODY = "role-modal-body"
ROLE_MODAL_CONFIRM = "role-modal-confirm"

ROLE_LABELS = {"user": "Simple user", "helpdesk": "Helpdesk staff"}
ROLE_ICONS = {"user": "bi-person", "helpdesk": "bi-headset"}


def navbar() -> dbc.Navbar:
    """The top bar: brand, the links of the current role, who you are and how to switch."""
    brand = dcc.Link(
        [icon("bi-life-preserver", "me-2"), "CampusDesk"],
        href=dash.get_relative_path("/"),
        className="navbar-brand fw-semibold",
    )
    return dbc.Navbar(
        dbc.Container(
            [
                brand,
                html.Nav(
                    id=NAV_LINKS,
                    className="d-flex flex-wrap gap-1 me-auto",
                    **{"aria-label": "Main"},
                ),
                html.Div(id=NAV_ROLE, className="d-flex align-items-center gap-2"),
            ],
            fluid="lg",
            className="flex-wrap gap-2",
        ),
        color="white",
        className="border-bottom shadow-sm app-navbar py-2",
    )


def nav_links(role: str | None) -> list:
    """The navigation links for a role."""
    if role == "helpdesk":
        items = [
            ("/helpdesk", "bi-kanban", "All tickets"),
            ("/helpdesk/analytics", "bi-bar-chart-line", "Analytics"),
        ]
    elif role == "user":
        items = [
            ("/user", "bi-plus-circle", "Report a problem"),
            ("/user#tickets", "bi-list-ul", "Open tickets"),
        ]
    else:
        items = []
    # A plain link for the in-page anchor: the browser then scrolls to it.
    return [
        (html.A if "#" in path else dcc.Link)(
            [icon(glyph, "me-1"), text],
            href=dash.get_relative_path(path),
            className="nav-link px-2",
        )
        for path, glyph, text in items
    ]


def nav_role(role: str | None, name: str | None) -> list:
    """Who the visitor is (as text) and a link to switch role."""
    if role not in ROLE_LABELS:
        return [html.Span("No role chosen", className="small text-body-secondary")]
    who = ROLE_LABELS[role] + (f" · {name}" if name else "")
    return [
        html.Span(
            [
                icon(ROLE_ICONS[role], "me-1"),
                html.Span("You are: ", className="visually-hidden"),
                who,
            ],
            className="badge rounded-pill text-dark bg-light border role-badge",
        ),
        dcc.Link(
            [icon("bi-arrow-left-right", "me-1"), "Switch role"],
            href=dash.get_relative_path("/"),
            className="btn btn-sm btn-outline-secondary",
        ),
    ]


def role_modal() -> dbc.Modal:
    """Asks whether to continue in the role that the current page is made for."""
    return dbc.Modal(
        [
            dbc.ModalHeader(
                dbc.ModalTitle("Continue in this role?", id="role-modal-title"), close_button=False
            ),
            dbc.ModalBody(id=ROLE_MODAL_BODY),
            dbc.ModalFooter(
                [
                    html.A(
                        "Back to the start",
                        href=dash.get_relative_path("/"),
                        className="btn btn-outline-secondary",
                    ),
                    dbc.Button("Continue", id=ROLE_MODAL_CONFIRM, color="primary"),
                ]
            ),
        ],
        id=ROLE_MODAL,
        is_open=False,
        backdrop="static",
        keyboard=False,
        centered=True,
        labelledby="role-modal-title",
    )


def app_shell() -> html.Div:
    """Everything around the pages, shared by all of them."""
    return html.Div(
        [
            dcc.Location(id=URL),
            dcc.Store(id=ROLE_STORE, storage_type="session"),
            dcc.Store(id=NAME_STORE, storage_type="session"),
            dcc.Store(id=MY_REPORTS, storage_type="local"),
            html.A(
                "Skip to main content",
                href="#main",
                className="visually-hidden-focusable skip-link",
            ),
            navbar(),
            html.Main(
                dbc.Container(dash.page_container, fluid="lg", className="py-4"),
                id="main",
                tabIndex="-1",
            ),
            html.Footer(
                dbc.Container(
                    "CampusDesk · the campus helpdesk",
                    fluid="lg",
                    className="small text-body-secondary py-3",
                ),
                className="border-top mt-4",
            ),
            role_modal(),
        ],
        className="app-root",
    )
