"""/user : report a problem and browse the open and active tickets."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.common import page_header
from components.report import report_form
from components.tickets import ticket_list_panel

dash.register_page(
    __name__, path="/user", title="Report a problem · CampusDesk", name="Simple user"
)


def layout(**_query):
    """The simple user's start page."""
    return html.Div(
        [
            page_header(
                "Campus problems", "Tell us what is wrong, then follow it up with the helpdesk."
            ),
            dbc.Row(
                [
                    dbc.Col(report_form(), lg=5, className="mb-4"),
                    dbc.Col(ticket_list_panel(), lg=7),
                ],
                className="g-4",
            ),
        ]
    )
