"""/helpdesk/tickets/<id> : status, category override, messages and history of one ticket."""

import dash

from components.ticket_detail import ticket_page
from dash_app import api_client

dash.register_page(
    __name__,
    path_template="/helpdesk/tickets/<ticket_id>",
    title=lambda ticket_id=None, **_: f"Ticket #{ticket_id} · Helpdesk · CampusDesk",
    name="Ticket (helpdesk)",
)


def layout(ticket_id=None, **_query):
    """A ticket as the helpdesk works on it."""
    return ticket_page(ticket_id, "helpdesk", api_client.vocabulary().categories)
