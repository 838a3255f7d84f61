"""/user : report a problem and browse the open and active tickets."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.common import page_header
from components.my_reports import my_reports_panel
from components.notices import notice_banner
from components.report import report_form
from components.tickets import ticket_list_panel
from dash_app import api_client

dash.register_page(
    __name__, path="/user", title="Report a problem · CampusDesk", name="Simple user"
)


def layout(**_query):
    """The simple user's start page."""
    words = api_client.vocabulary()
    tickets = ticket_list_panel(words.statuses, words.categories, words.visible.get("user", ()))
    return html.Div(
        [
            notice_banner(),
            page_header(
                "Campus problems", "Tell us what is wrong, then follow it up with the helpdesk."
            ),
            dbc.Row(
                [
                    dbc.Col(report_form(), lg=5, className="mb-4"),
                    dbc.Col([my_reports_panel(), tickets], lg=7),
                ],
                className="g-4",
            ),
        ]
    )
