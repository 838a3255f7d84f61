"""The internal notes card: fetch new notes (polling with after_id), add one."""

from __future__ import annotations

from dash import Input, Output, State, callback, ctx, no_update

from callbacks.messages import appended
from components.common import error_alert, problem_alert
from components.layout import NAME_STORE
from components.notes import (
    NOTE_BODY,
    NOTE_SAVE,
    NOTES,
    NOTES_ALERT,
    NOTES_LAST_ID,
    NOTES_POKE,
    NOTES_POLL,
    no_notes,
    note_item,
)
from components.ticket_detail import TICKET_ID
from dash_app import api_client
from dash_app.api_client import ApiError


def notes_update(notes: list[dict], last_id, zone):
    """The list's new children (a Patch that appends when some are already shown)."""
    return appended([note_item(n, zone) for n in notes], last_id, no_notes())


@callback(
    Output(NOTES, "children"),
    Output(NOTES_LAST_ID, "data"),
    Output(NOTES_ALERT, "children"),
    Input(TICKET_ID, "data"),
    Input(NOTES_POLL, "n_intervals"),
    Input(NOTES_POKE, "data"),
    State(NOTES_LAST_ID, "data"),
)
def update_notes(ticket_id, _ticks, _poke, last_id):
    """Show every note, then only the notes newer than the last one shown."""
    if ticket_id is None:
        return no_update, no_update, no_update
    try:
        found = api_client.for_role("helpdesk").notes(ticket_id, after_id=last_id or None)
    except ApiError as error:
        if error.status == 404:
            return no_update, no_update, None
        alert = error_alert(
            "Cannot refresh the internal notes.",
            error.detail,
            color="warning",
            className="py-2 small",
        )
        return no_update, no_update, alert
    notes = found["items"]
    if not notes and last_id is not None:
        return no_update, no_update, None
    newest = max([n["id"] for n in notes] + [last_id or 0])
    return notes_update(notes, last_id, api_client.settings().zone), newest, None


@callback(
    Output(NOTE_BODY, "value"),
    Output(NOTES_POKE, "data"),
    Output(NOTES_ALERT, "children", allow_duplicate=True),
    Input(NOTE_SAVE, "n_clicks"),
    State(NOTE_BODY, "value"),
    State(TICKET_ID, "data"),
    State(NAME_STORE, "data"),
    State(NOTES_POKE, "data"),
    prevent_initial_call=True,
)
def on_add_note(clicks, body, ticket_id, name, poke):
    """Save the typed note; the list shows it at once through a refresh."""
    text = (body or "").strip()
    if not ctx.triggered_id or not clicks or not text:
        return no_update, no_update, None
    try:
        api_client.for_role("helpdesk", name).add_note(ticket_id, text, author_name=name)
    except ApiError as error:
        return no_update, no_update, problem_alert(error)  # the text stays in the box
    return "", (poke or 0) + 1, None
