"""/follow/<token> : a ticket opened by its private follow link, for its reporter, on any
device and whatever its status: the conversation, the facts, and how it ended."""

import dash

from components.ticket_detail import REPORTER, ticket_page
from dash_app import api_client

dash.register_page(
    __name__,
    path_template="/follow/<token>",
    title="Your ticket · CampusDesk",
    name="Ticket (follow link)",
)


def layout(token=None, **_query):
    """The ticket of a follow link, as its reporter sees it."""
    return ticket_page(token, REPORTER, api_client.vocabulary().categories)
