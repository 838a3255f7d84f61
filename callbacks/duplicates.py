"""Same problem, one ticket: similar tickets while a person types a report, "This is my
problem too", the merged-ticket note of a follow link, and the helpdesk's "Merge into…"."""

from __future__ import annotations

import flask
from dash import ALL, Input, Output, State, callback, ctx, no_update

from components.common import error_alert, problem_alert
from components.duplicates import (
    MERGE_ACTION,
    MERGE_CANCEL,
    MERGE_CONFIRM,
    MERGE_INTO,
    MERGE_MODAL,
    MERGE_QUESTION,
    MERGED_NOTE,
    REPORT_SIMILAR,
    SIMILAR_FOLLOW,
    followed_confirmation,
    merge_question,
    merged_note,
    similar_box,
)
from components.layout import NAME_STORE
from components.my_reports import MY_REPORTS, follow_path, remember
from components.report import LOOKUP_CHARS, REPORT_EMAIL, REPORT_TEXT, follow_link_box
from components.ticket_detail import TICKET_STORE
from components.workflow import WORKFLOW_ALERT
from dash_app import api_client
from dash_app.api_client import ApiError
from kit.limits import MY_REPORTS_KEPT


@callback(Output(REPORT_SIMILAR, "children"), Input(REPORT_TEXT, "data"))
def show_similar(text):
    """While a person types a report: the open and active tickets it seems to be about."""
    text = (text or "").strip()
    if len(text) < LOOKUP_CHARS:
        return []
    try:
        items = api_client.for_role("user").similar(text)
    except ApiError:
        return []  # a nicety: the form works without it
    return similar_box(items, api_client.vocabulary().statuses)


@callback(
    Output(REPORT_SIMILAR, "children", allow_duplicate=True),
    Output(MY_REPORTS, "data", allow_duplicate=True),
    Input({"type": SIMILAR_FOLLOW, "index": ALL}, "n_clicks"),
    State(MY_REPORTS, "data"),
    State(REPORT_EMAIL, "value"),
    State(REPORT_EMAIL, "disabled"),
    prevent_initial_call=True,
)
def follow_similar(clicks, reports, email, no_mail):
    """Follow the ticket instead of reporting it ("This is my problem too"), with the
    e-mail address typed in the form, if any, for its notices; its private link is shown
    once and this browser remembers it in My reports."""
    if not ctx.triggered_id or not any(clicks or []):
        return no_update, no_update
    address = None if no_mail else (email or "").strip() or None
    try:
        ticket = api_client.for_role("user").follow_ticket(ctx.triggered_id["index"], address)
    except ApiError as error:
        return [problem_alert(error)], no_update
    token = ticket["follow_token"]
    url = flask.request.host_url.rstrip("/") + follow_path(token)
    box = follow_link_box(url, prefix="similar")
    return [followed_confirmation(ticket, box)], remember(
        reports, token, ticket, seen=0, keep=MY_REPORTS_KEPT
    )


@callback(Output(MERGED_NOTE, "children"), Input(TICKET_STORE, "data"))
def show_merged_note(ticket):
    """On a follow link's page: say when the person's ticket was merged into this one."""
    return merged_note(ticket or {})


@callback(
    Output(MERGE_MODAL, "is_open"),
    Output(MERGE_QUESTION, "children"),
    Output(TICKET_STORE, "data", allow_duplicate=True),
    Output(WORKFLOW_ALERT, "children", allow_duplicate=True),
    Input(MERGE_ACTION, "n_clicks"),
    Input(MERGE_CONFIRM, "n_clicks"),
    Input(MERGE_CANCEL, "n_clicks"),
    State(MERGE_INTO, "value"),
    State(TICKET_STORE, "data"),
    State(NAME_STORE, "data"),
    prevent_initial_call=True,
)
def on_merge(_ask, _confirm, _cancel, into, ticket, name):
    """Ask, then merge the ticket into the one named, with the version shown."""
    trigger = ctx.triggered_id
    if not ticket or not ctx.triggered[0].get("value") or trigger == MERGE_CANCEL:
        return False, no_update, no_update, no_update
    try:
        into = int(into)
    except (TypeError, ValueError):
        alert = error_alert("Which ticket?", "Give the number of the ticket to keep.", "warning")
        return False, no_update, no_update, alert
    if trigger == MERGE_ACTION:
        return True, merge_question(ticket, into), no_update, None
    try:
        merged = api_client.for_role("helpdesk", name).merge_ticket(
            ticket["id"], ticket["version"], into
        )
    except ApiError as error:
        if error.status == 409 and error.current:
            alert = error_alert(
                "Someone else changed this ticket first.",
                "The page now shows the current version: check it and try again.",
                color="warning",
            )
            return False, no_update, error.current, alert
        return False, no_update, no_update, problem_alert(error)
    return False, no_update, merged, None
