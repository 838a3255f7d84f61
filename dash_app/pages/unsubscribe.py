"""/unsubscribe/<token> : the link at the end of every notice e-mail. Opening it changes
nothing (mail programs open links to look at them); its button stops the mails."""

import dash

from components.unsubscribe import unsubscribe_page
from dash_app import api_client
from dash_app.api_client import ApiError

dash.register_page(
    __name__,
    path_template="/unsubscribe/<token>",
    title="E-mails about a ticket · CampusDesk",
    name="Unsubscribe",
)


def layout(token=None, **_query):
    """What the link is about, with the button that stops the mails."""
    try:
        return unsubscribe_page(token, api_client.for_role("user").subscription(token or ""))
    except ApiError as error:
        return unsubscribe_page(token, None, error)
