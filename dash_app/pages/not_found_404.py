"""Any other path: a friendly 'not found' page."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", title="Page not found · CampusDesk")


def layout(**_query):
    """The page for unknown paths."""
    return html.Div(
        [
            html.H1("Page not found", className="h3"),
            html.P("This address does not lead anywhere in CampusDesk."),
            dcc.Link("Go to the start page", href=dash.get_relative_path("/")),
        ]
    )
