"""The chat panel: fetch new messages (polling with after_id), send with a button or Enter."""

from __future__ import annotations

from dash import (
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    ctx,
    no_update,
)

from callbacks.photos import send_photos
from components.common import error_alert, problem_alert
from components.layout import NAME_STORE
from components.messages import (
    COMPOSER,
    LAST_ID,
    POKE,
    POLL,
    SEND,
    THREAD,
    THREAD_ALERT,
    empty_thread,
    longer_thread_note,
    message_bubble,
)
from components.photos import ids as photo_ids
from components.ticket_detail import TICKET_ID, TICKET_ROLE, TICKET_STORE
from dash_app import api_client
from dash_app.api_client import ApiError

PHOTOS = photo_ids("message")


def appended(items: list, last_id, empty):
    """A polled list's new children: all of them (or ``empty``) the first time, then a
    Patch that appends; the "nothing yet" line (``last_id`` 0) goes with the first item."""
    if last_id is None:
        return items or [empty]
    patch = Patch()
    if last_id == 0:
        patch.clear()
    for item in items:
        patch.append(item)
    return patch


def thread_update(messages: list[dict], last_id, role: str, zone):
    """The thread's new children (a Patch that appends when some are already shown)."""
    return appended([message_bubble(m, role, zone) for m in messages], last_id, empty_thread())


@callback(
    Output(THREAD, "children"),
    Output(LAST_ID, "data"),
    Output(THREAD_ALERT, "children"),
    Input(TICKET_ID, "data"),
    Input(POLL, "n_intervals"),
    Input(POKE, "data"),
    State(LAST_ID, "data"),
    State(TICKET_ROLE, "data"),
)
def update_thread(ticket_id, _ticks, _poke, last_id, role):
    """Show the whole thread, then only the messages newer than the last one shown.

    One refresh follows the API's cursor for a bounded number of requests; a thread longer
    than that says so, and the next refresh goes on from the last message shown.
    """
    if ticket_id is None:
        return no_update, no_update, no_update
    try:
        thread = api_client.for_role(role).messages(ticket_id, after_id=last_id or None)
    except ApiError as error:
        if error.status == 404:
            return no_update, no_update, None
        return (
            no_update,
            no_update,
            error_alert(
                "Cannot refresh the messages.",
                error.detail,
                color="warning",
                className="py-2 small",
            ),
        )
    messages = thread["items"]
    if not messages and last_id is not None:
        return no_update, no_update, None
    newest = max([m["id"] for m in messages] + [last_id or 0])
    note = longer_thread_note() if thread["has_more"] else None
    return thread_update(messages, last_id, role, api_client.settings().zone), newest, note


@callback(
    Output(COMPOSER, "value"),
    Output(POKE, "data"),
    Output(THREAD_ALERT, "children", allow_duplicate=True),
    Output(PHOTOS["store"], "data", allow_duplicate=True),
    Output(PHOTOS["chosen"], "children", allow_duplicate=True),
    Input(SEND, "n_clicks"),
    Input(COMPOSER, "n_submit"),
    State(COMPOSER, "value"),
    State(TICKET_ID, "data"),
    State(TICKET_ROLE, "data"),
    State(NAME_STORE, "data"),
    State(POKE, "data"),
    State(PHOTOS["store"], "data"),
    prevent_initial_call=True,
)
def on_send_message(_clicks, _submits, body, ticket_id, role, name, poke, photos=None):
    """Send the typed message, then the chosen photos with it (or the photos alone); the
    thread shows them at once through a poll."""
    text = (body or "").strip()
    keep = [no_update, no_update]
    if not ctx.triggered_id or not ctx.triggered[0].get("value") or not (text or photos):
        return no_update, no_update, None, *keep
    if len(text) > 5000:
        return (
            no_update,
            no_update,
            error_alert(
                "Message too long.",
                "Keep it to 5,000 characters.",
                color="warning",
                className="py-2 small",
            ),
            *keep,
        )
    client = api_client.for_role(role, name)
    message_id = None
    if text:
        try:
            message_id = client.send_message(ticket_id, text, author_name=name)["id"]
        except ApiError as error:
            # Keep the text in the box so nothing typed is lost.
            return no_update, no_update, problem_alert(error), *keep
    then = "Your message was sent; choose other photos to send them." if text else ""
    refused = send_photos(client, ticket_id, photos, message_id, then=then)
    if refused is not None:
        # the message went (the box empties); the photos stay chosen, to change and resend
        return "", (poke or 0) + 1, refused, *keep
    return "", (poke or 0) + 1, None, [], []


@callback(Output(COMPOSER, "disabled"), Output(SEND, "disabled"), Input(TICKET_STORE, "data"))
def update_composer(ticket):
    """A closed (or missing) ticket takes no messages."""
    off = not ticket or bool(ticket.get("closed_at"))
    return off, off


clientside_callback(
    ClientsideFunction(namespace="campusdesk", function_name="scrollThread"),
    Output(THREAD, "className"),
    Input(THREAD, "children"),
    State(THREAD, "id"),
    prevent_initial_call=True,
)
