"""/helpdesk : every ticket, counts per status, the server-side grid; links may filter it."""

import dash
from dash import html

from callbacks.link_filters import read_link
from components.common import page_header
from components.helpdesk import board
from components.notices import notices_card
from dash_app import api_client

dash.register_page(__name__, path="/helpdesk", title="All tickets · CampusDesk", name="Helpdesk")


def layout(**query):
    """The helpdesk's board, filtered as the link's query asks (the API's own filter names)."""
    words = api_client.vocabulary()
    link = read_link(query, api_client.ticket_filters(), words, api_client.settings().zone)
    return html.Div(
        [
            page_header(
                "All tickets",
                "Every ticket, newest changes first. Filter, sort and open one to work on it.",
            ),
            board(words.statuses, words.categories, words.unfinished(), link),
            notices_card(),
        ]
    )
