"""How did we do? Show the rating form once a followed ticket is closed, and send it."""

from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from components.common import HIDDEN, SHOWN, error_alert, problem_alert
from components.rating import (
    RATING_ALERT,
    RATING_BODY,
    RATING_CARD,
    RATING_COMMENT,
    RATING_SEND,
    RATING_STARS,
    rating_form,
    rating_given,
)
from components.ticket_detail import REPORTER, TICKET_ID, TICKET_STORE
from dash_app import api_client
from dash_app.api_client import ApiError


@callback(
    Output(RATING_BODY, "children"),
    Output(RATING_CARD, "style"),
    Input(TICKET_STORE, "data"),
)
def show_rating(ticket):
    """Nothing until the ticket is closed (nor ever through a follower's link, as rating is
    the reporter's); then the form, or the rating already given."""
    if not ticket or ticket.get("status") != "closed" or ticket.get("link_role") == "follower":
        return [], HIDDEN
    if ticket.get("rating"):
        return rating_given(ticket["rating"]), SHOWN
    return rating_form(), SHOWN


@callback(
    Output(RATING_BODY, "children", allow_duplicate=True),
    Output(RATING_ALERT, "children"),
    Input(RATING_SEND, "n_clicks"),
    State(RATING_STARS, "value"),
    State(RATING_COMMENT, "value"),
    State(TICKET_ID, "data"),
    prevent_initial_call=True,
)
def send_rating(clicks, stars, comment, token):
    """Send the rating; on any failure the choice and the comment stay."""
    if not clicks:
        return no_update, no_update
    if not stars:
        return no_update, error_alert("Choose from 1 to 5 first.", "", color="warning")
    try:
        rating = api_client.for_role(REPORTER).rate(token, int(stars), comment)
    except ApiError as error:
        return no_update, problem_alert(error)
    return rating_given(rating), None
