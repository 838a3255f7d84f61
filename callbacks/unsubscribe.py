"""The unsubscribe page's button."""

from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from components.common import problem_alert
from components.unsubscribe import (
    UNSUBSCRIBE_BUTTON,
    UNSUBSCRIBE_RESULT,
    UNSUBSCRIBE_TOKEN,
    stopped,
)
from dash_app import api_client
from dash_app.api_client import ApiError


@callback(
    Output(UNSUBSCRIBE_RESULT, "children"),
    Output(UNSUBSCRIBE_BUTTON, "disabled"),
    Input(UNSUBSCRIBE_BUTTON, "n_clicks"),
    State(UNSUBSCRIBE_TOKEN, "data"),
    prevent_initial_call=True,
)
def on_unsubscribe(clicks, token):
    """Stop the mails of the link, and say so."""
    if not clicks:
        return no_update, no_update
    try:
        subscription = api_client.for_role("user").unsubscribe(token or "")
    except ApiError as error:
        return problem_alert(error), False
    return stopped(subscription), True
