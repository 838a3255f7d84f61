"""/helpdesk : every ticket, counts per status, the server-side grid."""

import dash
from dash import html

from components.common import page_header
from components.helpdesk import board

dash.register_page(__name__, path="/helpdesk", title="All tickets · CampusDesk", name="Helpdesk")


def layout(**_query):
    """The helpdesk's board."""
    return html.Div(
        [
            page_header(
                "All tickets",
                "Every ticket, newest changes first. Filter, sort and open one to work on it.",
            ),
            board(),
        ]
    )
