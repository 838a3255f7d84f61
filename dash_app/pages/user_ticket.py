"""/user/tickets/<id> : one ticket for its reporter: edit it, talk with the helpdesk."""

import dash

from components.ticket_detail import ticket_page
from dash_app import api_client

dash.register_page(
    __name__,
    path_template="/user/tickets/<ticket_id>",
    title=lambda ticket_id=None, **_: f"Ticket #{ticket_id} · CampusDesk",
    name="Ticket (simple user)",
)


def layout(ticket_id=None, **_query):
    """A ticket as a simple user sees it."""
    return ticket_page(ticket_id, "user", api_client.vocabulary().categories)
