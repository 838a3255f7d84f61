"""The helpdesk's tools on one ticket: the next status step, the category override, history."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, no_update

from components.common import error_alert, problem_alert
from components.layout import NAME_STORE, URL
from components.ticket_detail import TICKET_STORE
from components.workflow import (
    CATEGORY_APPLY,
    CATEGORY_INFO,
    CATEGORY_SELECT,
    CLOSE_CANCEL,
    CLOSE_CONFIRM,
    CLOSE_MODAL,
    DELETE_ACTION,
    DELETE_CANCEL,
    DELETE_CONFIRM,
    DELETE_MODAL,
    HISTORY,
    STATUS_ACTION,
    STATUS_PANEL,
    WORKFLOW_ALERT,
    category_info,
    history_table,
    status_panel,
)
from dash_app import api_client
from dash_app.api_client import ApiError


def apply_change(ticket: dict, changes: dict, name: str | None):
    """PATCH as helpdesk; returns (ticket for the store, alert or None)."""
    try:
        return api_client.for_role("helpdesk", name).update_ticket(
            ticket["id"], ticket["version"], changes
        ), None
    except ApiError as error:
        if error.status == 409 and error.current:
            return error.current, error_alert(
                "Someone else changed this ticket first.",
                "The page now shows the current version: check it and try again.",
                color="warning",
            )
        return no_update, problem_alert(error)


@callback(
    Output(STATUS_PANEL, "children"),
    Output(CATEGORY_SELECT, "value"),
    Output(CATEGORY_INFO, "children"),
    Output(CATEGORY_SELECT, "disabled"),
    Output(CATEGORY_APPLY, "disabled"),
    Input(TICKET_STORE, "data"),
)
def show_workflow(ticket):
    """Offer only the move the API's workflow allows and show where the category comes from."""
    if not ticket:
        return None, None, "", True, True
    words = api_client.vocabulary()
    step = words.next_step(ticket["status"])
    final = bool(step) and words.is_final(step["to"])
    closed = bool(ticket.get("closed_at"))
    return (
        status_panel(ticket, api_client.settings().zone, words.statuses, step, final),
        ticket.get("category"),
        category_info(ticket),
        closed,
        closed,
    )


@callback(
    Output(TICKET_STORE, "data", allow_duplicate=True),
    Output(WORKFLOW_ALERT, "children"),
    Output(CLOSE_MODAL, "is_open"),
    Input(STATUS_ACTION, "n_clicks"),
    Input(CLOSE_CONFIRM, "n_clicks"),
    Input(CLOSE_CANCEL, "n_clicks"),
    State(TICKET_STORE, "data"),
    State(NAME_STORE, "data"),
    prevent_initial_call=True,
)
def on_status_step(step_clicks, _confirm, _cancel, ticket, name):
    """Move the ticket one step on; a step that cannot be undone waits for the confirmation."""
    trigger = ctx.triggered_id
    if not ticket or trigger == CLOSE_CANCEL or not ctx.triggered[0].get("value"):
        return no_update, no_update, False
    words = api_client.vocabulary()
    step = words.next_step(ticket["status"])
    if step is None or (trigger == STATUS_ACTION and not step_clicks):
        return no_update, no_update, False
    if trigger == STATUS_ACTION and words.is_final(step["to"]):
        return no_update, None, True
    saved, alert = apply_change(ticket, {"status": step["to"]}, name)
    return saved, alert, False


@callback(
    Output(TICKET_STORE, "data", allow_duplicate=True),
    Output(WORKFLOW_ALERT, "children", allow_duplicate=True),
    Input(CATEGORY_APPLY, "n_clicks"),
    State(CATEGORY_SELECT, "value"),
    State(TICKET_STORE, "data"),
    State(NAME_STORE, "data"),
    prevent_initial_call=True,
)
def on_category_override(clicks, category, ticket, name):
    """Set the category by hand; from then on it sticks."""
    if not ticket or not category or not clicks:
        return no_update, no_update
    if category == ticket.get("category") and ticket.get("category_source") == "helpdesk":
        return no_update, None
    return apply_change(ticket, {"category": category}, name)


@callback(Output(HISTORY, "children"), Input(TICKET_STORE, "data"))
def update_history(ticket):
    """Show the change history of the ticket as it is now."""
    if not ticket:
        return None
    try:
        items = api_client.for_role("helpdesk").history(ticket["id"])
    except ApiError as error:
        return problem_alert(error)
    words = api_client.vocabulary()
    return history_table(items, api_client.settings().zone, words.statuses, words.categories)


@callback(
    Output(DELETE_MODAL, "is_open"),
    Output(URL, "pathname", allow_duplicate=True),
    Output(WORKFLOW_ALERT, "children", allow_duplicate=True),
    Input(DELETE_ACTION, "n_clicks"),
    Input(DELETE_CONFIRM, "n_clicks"),
    Input(DELETE_CANCEL, "n_clicks"),
    State(TICKET_STORE, "data"),
    State(NAME_STORE, "data"),
    prevent_initial_call=True,
)
def on_delete_ticket(_ask, _confirm, _cancel, ticket, name):
    """Ask, then delete the ticket and go back to the board."""
    trigger = ctx.triggered_id
    if not ticket or not ctx.triggered[0].get("value") or trigger == DELETE_CANCEL:
        return False, no_update, no_update
    if trigger == DELETE_ACTION:
        return True, no_update, None
    try:
        api_client.for_role("helpdesk", name).delete_ticket(ticket["id"])
    except ApiError as error:
        return False, no_update, problem_alert(error)
    return False, dash.get_relative_path("/helpdesk"), None
