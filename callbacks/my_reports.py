"""My reports: list the tickets this browser remembers, and remember the ones it reports or
opens through their follow links (local storage only)."""

from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from components.common import HIDDEN, SHOWN, error_alert
from components.my_reports import (
    MY_REPORTS,
    MY_REPORTS_LIST,
    MY_REPORTS_PANEL,
    my_reports_items,
    remember,
)
from components.ticket_detail import REPORTER, TICKET_ID, TICKET_ROLE, TICKET_STORE
from dash_app import api_client
from dash_app.api_client import ApiError
from kit.limits import MY_REPORTS_KEPT


@callback(
    Output(MY_REPORTS_LIST, "children"),
    Output(MY_REPORTS_PANEL, "style"),
    Input(MY_REPORTS_LIST, "id"),
    Input(MY_REPORTS, "data"),
)
def show_my_reports(_id, reports):
    """The remembered reports that still open a ticket, with their status and whether the
    helpdesk answered since the person last looked; nothing while there are none."""
    reports = [r for r in reports or [] if isinstance(r, dict) and r.get("token")]
    if not reports:
        return [], HIDDEN
    try:
        found = api_client.for_role(REPORTER).followed([r["token"] for r in reports])
    except ApiError as error:
        alert = error_alert("Cannot show your reports now.", error.detail, color="warning")
        return [alert], SHOWN
    items = my_reports_items(reports, found, api_client.vocabulary().statuses)
    return items, SHOWN if items else HIDDEN


@callback(
    Output(MY_REPORTS, "data", allow_duplicate=True),
    Input(TICKET_STORE, "data"),
    State(TICKET_ROLE, "data"),
    State(TICKET_ID, "data"),
    State(MY_REPORTS, "data"),
    prevent_initial_call=True,
)
def remember_followed_ticket(ticket, role, token, reports):
    """A ticket opened by its follow link joins My reports on this device (first in the
    list), seen up to the helpdesk's newest message."""
    if role != REPORTER or not ticket or not token:
        return no_update
    return remember(
        reports,
        token,
        ticket,
        seen=ticket.get("last_helpdesk_message_id") or 0,
        keep=MY_REPORTS_KEPT,
    )
