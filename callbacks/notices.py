"""Campus notices: the students' banner, the report form's hint, the helpdesk's card."""

from __future__ import annotations

from datetime import datetime

from dash import ALL, Input, Output, State, callback, ctx, no_update

from components.common import error_alert, problem_alert
from components.layout import NAME_STORE
from components.notices import (
    NOTICE_ALERT,
    NOTICE_BANNER,
    NOTICE_CHANGED,
    NOTICE_ENDS,
    NOTICE_LIST,
    NOTICE_POST,
    NOTICE_REMOVE,
    NOTICE_TEXT,
    REPORT_NOTICE_HINT,
    notice_alerts,
    notice_hint,
    notice_rows,
)
from components.report import LOOKUP_CHARS, REPORT_TEXT
from dash_app import api_client
from dash_app.api_client import ApiError


@callback(Output(NOTICE_BANNER, "children"), Input(NOTICE_BANNER, "id"))
def show_banner(_id):
    """The active notices; nothing when there are none or the API cannot say."""
    try:
        notices = api_client.for_role("user").notices()
    except ApiError:
        return []  # a banner is a nicety: the page works without it
    return notice_alerts(notices, api_client.settings().zone)


@callback(Output(REPORT_NOTICE_HINT, "children"), Input(REPORT_TEXT, "data"))
def show_report_hint(text):
    """While a person types a report: the notices their text seems to be about."""
    text = (text or "").strip()
    if len(text) < LOOKUP_CHARS:
        return []
    try:
        return notice_hint(api_client.for_role("user").notices(matching=text))
    except ApiError:
        return []


@callback(
    Output(NOTICE_LIST, "children"),
    Input(NOTICE_LIST, "id"),
    Input(NOTICE_CHANGED, "data"),
)
def list_notices(_id, _changed):
    """The helpdesk's list of the notices showing now."""
    try:
        notices = api_client.for_role("helpdesk").notices()
    except ApiError as error:
        return [problem_alert(error)]
    return notice_rows(notices, api_client.settings().zone)


def campus_instant(value: str | None) -> str | None:
    """A datetime-local value (campus wall-clock time) as an ISO instant, or None."""
    if not value:
        return None
    local = datetime.fromisoformat(value)
    return local.replace(tzinfo=api_client.settings().zone).isoformat()


@callback(
    Output(NOTICE_TEXT, "value"),
    Output(NOTICE_ENDS, "value"),
    Output(NOTICE_ALERT, "children"),
    Output(NOTICE_CHANGED, "data"),
    Input(NOTICE_POST, "n_clicks"),
    State(NOTICE_TEXT, "value"),
    State(NOTICE_ENDS, "value"),
    State(NAME_STORE, "data"),
    State(NOTICE_CHANGED, "data"),
    prevent_initial_call=True,
)
def post_notice(clicks, text, ends, name, changed):
    """Post the notice; on any failure the text stays for another try."""
    if not clicks:
        return no_update, no_update, no_update, no_update
    text = (text or "").strip()
    if len(text) < 3:
        alert = error_alert("Write the notice first.", "At least 3 characters.", "warning")
        return no_update, no_update, alert, no_update
    try:
        ends_at = campus_instant(ends)
    except ValueError:
        alert = error_alert("That end time is not a date and time.", "", "warning")
        return no_update, no_update, alert, no_update
    try:
        api_client.for_role("helpdesk", name).post_notice(text, ends_at)
    except ApiError as error:
        return no_update, no_update, problem_alert(error), no_update
    return "", "", None, (changed or 0) + 1


@callback(
    Output(NOTICE_ALERT, "children", allow_duplicate=True),
    Output(NOTICE_CHANGED, "data", allow_duplicate=True),
    Input({"type": NOTICE_REMOVE, "index": ALL}, "n_clicks"),
    State(NOTICE_CHANGED, "data"),
    prevent_initial_call=True,
)
def remove_notice(clicks, changed):
    """Take the notice whose button was pressed down."""
    if not ctx.triggered_id or not any(clicks or []):
        return no_update, no_update
    try:
        api_client.for_role("helpdesk").remove_notice(ctx.triggered_id["index"])
    except ApiError as error:
        if error.status != 404:  # already gone: the list refreshes either way
            return problem_alert(error), (changed or 0) + 1
    return None, (changed or 0) + 1
