"""One ticket's page for both roles: load it, show its facts, save edits (If-Match)."""

from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from components.common import problem_alert
from components.layout import NAME_STORE
from components.ticket_detail import (
    EDIT_DESCRIPTION,
    EDIT_FEEDBACK,
    EDIT_LOCATION,
    EDIT_SAVE,
    EDIT_TITLE,
    FOLLOW_NOTE,
    REPORTER,
    TICKET_ALERT,
    TICKET_BODY,
    TICKET_FACTS,
    TICKET_HEADER,
    TICKET_ID,
    TICKET_ROLE,
    TICKET_STORE,
    conflict_notice,
    missing_ticket,
    pending_header,
    saved_notice,
    ticket_facts,
    ticket_header,
)
from dash_app import api_client
from dash_app.api_client import ApiError

EDITABLE = ("title", "description", "location")


def edit_errors(title, description, location) -> dict[str, str]:
    """Validation messages for the edit form (empty when it may be sent)."""
    errors = {}
    title, description = (title or "").strip(), (description or "").strip()
    if not 3 <= len(title) <= 120:
        errors["title"] = "The title needs 3 to 120 characters."
    if not 1 <= len(description) <= 10000:
        errors["description"] = "The description needs 1 to 10,000 characters."
    if len((location or "").strip()) > 120:
        errors["location"] = "The location can have at most 120 characters."
    return errors


def changed_fields(ticket: dict, title, description, location) -> dict:
    """Only the fields the person actually changed (location '' means none)."""
    typed = {
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "location": (location or "").strip() or None,
    }
    return {k: v for k, v in typed.items() if v != ticket.get(k)}


def _feedback(errors: dict) -> list:
    return [k in errors for k in EDITABLE] + [errors.get(k, "") for k in EDITABLE]


@callback(
    Output(TICKET_STORE, "data"),
    Output(EDIT_TITLE, "value"),
    Output(EDIT_DESCRIPTION, "value"),
    Output(EDIT_LOCATION, "value"),
    Output(TICKET_ALERT, "children"),
    Output(TICKET_BODY, "hidden"),
    Input(TICKET_ID, "data"),
    State(TICKET_ROLE, "data"),
)
def load_ticket(ticket_id, role):
    """Fetch the ticket and fill the page with it."""
    ticket, alert, hidden = _fetch(ticket_id, role)
    if ticket is None:
        return None, "", "", "", alert, hidden
    return ticket, ticket["title"], ticket["description"], ticket.get("location") or "", None, False


@callback(
    Output(TICKET_STORE, "data", allow_duplicate=True),
    Output(TICKET_ALERT, "children", allow_duplicate=True),
    Output(TICKET_BODY, "hidden", allow_duplicate=True),
    Input(FOLLOW_NOTE, "id"),
    State(TICKET_ID, "data"),
    prevent_initial_call="initial_duplicate",
)
def load_followed_ticket(_note, token):
    """The page of a follow link (no edit form to fill): fetch its ticket."""
    return _fetch(token, REPORTER)


def _fetch(ticket_id, role: str) -> tuple[dict | None, object, bool]:
    """The ticket, or None with the alert to show instead of the page's body."""
    if ticket_id is None:
        return None, missing_ticket(role), True
    try:
        ticket = api_client.for_role(role).get_ticket(ticket_id)
    except ApiError as error:
        if error.status == 404:
            return None, missing_ticket(role), True
        return None, problem_alert(error), True
    return ticket, None, False


@callback(
    Output(TICKET_HEADER, "children"),
    Output(TICKET_FACTS, "children"),
    Input(TICKET_STORE, "data"),
    State(TICKET_ID, "data"),
    State(TICKET_ROLE, "data"),
)
def show_ticket(ticket, ticket_id, role=None):
    """Render the header and the facts whenever the ticket changes."""
    if not ticket:
        return pending_header(ticket_id), None
    settings, words = api_client.settings(), api_client.vocabulary()
    labels = (words.statuses, words.categories)
    links = role == "helpdesk"
    facts = ticket_facts(ticket, settings.zone, settings.time_zone, *labels, links=links)
    return ticket_header(ticket, *labels), facts


@callback(
    [
        Output(TICKET_STORE, "data", allow_duplicate=True),
        Output(TICKET_ALERT, "children", allow_duplicate=True),
    ]
    + [Output(f"edit-{k}", "invalid") for k in EDITABLE]
    + [Output(EDIT_FEEDBACK[k], "children") for k in EDITABLE],
    Input(EDIT_SAVE, "n_clicks"),
    State(EDIT_TITLE, "value"),
    State(EDIT_DESCRIPTION, "value"),
    State(EDIT_LOCATION, "value"),
    State(TICKET_STORE, "data"),
    State(TICKET_ROLE, "data"),
    State(NAME_STORE, "data"),
    prevent_initial_call=True,
)
def on_save_ticket(clicks, title, description, location, ticket, role, name):
    """Save the edits with the version seen; on 409 show the current one and keep the text."""
    if not ticket or not clicks:
        return [no_update, no_update] + _feedback({})
    errors = edit_errors(title, description, location)
    if errors:
        return [no_update, None] + _feedback(errors)
    changes = changed_fields(ticket, title, description, location)
    if not changes:
        return [no_update, saved_notice()] + _feedback({})
    try:
        saved = api_client.for_role(role, name).update_ticket(
            ticket["id"], ticket["version"], changes
        )
    except ApiError as error:
        if error.status == 409 and error.current:
            # The next save is made against the version shown, on purpose.
            return [error.current, conflict_notice(error.current)] + _feedback({})
        return [no_update, problem_alert(error)] + _feedback(
            {k: v for k, v in error.field_errors().items() if k in EDITABLE}
        )
    return [saved, saved_notice()] + _feedback({})
