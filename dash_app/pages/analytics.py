"""/helpdesk/analytics : pick an analysis, set its parameters, see chart and numbers."""

from datetime import datetime

import dash
from dash import html

from components.analytics import analytics_page
from components.analytics_params import from_query
from components.common import page_header
from dash_app import api_client

dash.register_page(
    __name__, path="/helpdesk/analytics", title="Analytics · CampusDesk", name="Analytics"
)


def layout(**query):
    """The analytics page, showing the analysis and parameters its address asks for."""
    today = datetime.now(api_client.settings().zone).date()
    key, values = from_query(query, today)
    return html.Div(
        [
            page_header(
                "Analytics",
                "Where the campus hurts: pick an analysis and its period. Every number opens "
                "the list of its tickets.",
            ),
            analytics_page(key, values, api_client.vocabulary().categories),
        ]
    )
