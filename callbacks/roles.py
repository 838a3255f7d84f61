"""The visitor's role: chosen on the landing page, kept for the session, asked when unclear."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, no_update

from components.landing import CHOOSE_HELPDESK, CHOOSE_USER, LANDING_CURRENT, LANDING_NAME
from components.layout import (
    NAME_STORE,
    NAV_LINKS,
    NAV_ROLE,
    ROLE_LABELS,
    ROLE_MODAL,
    ROLE_MODAL_BODY,
    ROLE_MODAL_CONFIRM,
    ROLE_STORE,
    URL,
    nav_links,
    nav_role,
)

HOME = {"user": "/user", "helpdesk": "/helpdesk"}


def section_of(pathname: str | None) -> str | None:
    """The role a page is made for ('user', 'helpdesk'), or None for shared pages."""
    path = "/" + (dash.strip_relative_path(pathname or "/") or "")
    for role in ("user", "helpdesk"):
        if path == f"/{role}" or path.startswith(f"/{role}/"):
            return role
    return None


@callback(
    Output(NAV_LINKS, "children"),
    Output(NAV_ROLE, "children"),
    Input(ROLE_STORE, "data"),
    Input(NAME_STORE, "data"),
)
def update_navbar(role, name):
    """Show the links of the current role and who the visitor is."""
    return nav_links(role), nav_role(role, name)


@callback(
    Output(ROLE_STORE, "data"),
    Output(NAME_STORE, "data"),
    Output(URL, "pathname"),
    Input(CHOOSE_USER, "n_clicks"),
    Input(CHOOSE_HELPDESK, "n_clicks"),
    State(LANDING_NAME, "value"),
    prevent_initial_call=True,
)
def on_choose_role(user_clicks, helpdesk_clicks, name):
    """Remember the chosen role (and name) and open that role's start page."""
    if not (user_clicks or helpdesk_clicks):
        # Dash also calls this when the landing page is inserted; only a click counts.
        return no_update, no_update, no_update
    role = "helpdesk" if ctx.triggered_id == CHOOSE_HELPDESK else "user"
    clean = (name or "").strip()[:80] or None
    return role, clean, dash.get_relative_path(HOME[role])


@callback(
    Output(LANDING_NAME, "value"),
    Output(LANDING_CURRENT, "children"),
    Input(LANDING_CURRENT, "id"),
    State(ROLE_STORE, "data"),
    State(NAME_STORE, "data"),
    State(LANDING_NAME, "value"),
)
def show_current_role(_id, role, name, typed):
    """On the landing page, say which role is active now and prefill the name."""
    # Never replace what the visitor already started typing.
    value = no_update if typed else (name or "")
    if role in ROLE_LABELS:
        return value, f"You are browsing as {ROLE_LABELS[role].lower()}. Pick again to switch."
    return value, "You have not chosen a role yet."


@callback(
    Output(ROLE_STORE, "data", allow_duplicate=True),
    Output(ROLE_MODAL, "is_open"),
    Output(ROLE_MODAL_BODY, "children"),
    Output(ROLE_MODAL_CONFIRM, "children"),
    Input(URL, "pathname"),
    Input(ROLE_STORE, "data"),
    Input(ROLE_MODAL_CONFIRM, "n_clicks"),
    prevent_initial_call="initial_duplicate",
)
def check_role_for_page(pathname, role, _confirm):
    """Set or ask for the role that the current page needs."""
    needed = section_of(pathname)
    if needed is None or needed == role:
        return no_update, False, no_update, no_update
    if ctx.triggered_id == ROLE_MODAL_CONFIRM and _confirm:
        return needed, False, no_update, no_update
    if role is None and needed == "user":
        # A student following a link to a ticket is a simple user: no question needed.
        return "user", False, no_update, no_update
    label = ROLE_LABELS[needed].lower()
    now = f"You are browsing as {ROLE_LABELS[role].lower()}. " if role in ROLE_LABELS else ""
    body = f"{now}This page is for {label}. Continue as {label}?"
    return no_update, True, body, f"Continue as {label}"
