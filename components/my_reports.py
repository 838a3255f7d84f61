"""My reports: the tickets this browser reported or opened by their follow links, kept in
the browser's local storage only (nothing about the person on the server)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.common import HIDDEN, icon, status_badge

#: The local-storage store: [{"token", "id", "title", "seen"}], newest first. "seen" is the id
#: of the helpdesk's newest message when the person last opened the ticket.
MY_REPORTS = "my-reports"
MY_REPORTS_PANEL = "my-reports-panel"
MY_REPORTS_LIST = "my-reports-list"


def remember(reports: list | None, token: str, ticket: dict, seen=None, *, keep: int) -> list:
    """reports with this ticket first (added, or moved up with its title refreshed), at most
    ``keep`` of them (the oldest are forgotten first)."""
    kept = [r for r in (reports or []) if isinstance(r, dict) and r.get("token") != token]
    old = next((r for r in reports or [] if isinstance(r, dict) and r.get("token") == token), {})
    entry = {
        "token": token,
        "id": ticket.get("id"),
        "title": ticket.get("title", ""),
        "seen": seen if seen is not None else old.get("seen"),
    }
    return [entry] + kept[: keep - 1]


def follow_path(token: str) -> str:
    """The dashboard path a follow link opens."""
    return dash.get_relative_path(f"/follow/{token}")


def my_reports_panel() -> dbc.Card:
    """The card listing My reports, hidden while the browser remembers none."""
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2([icon("bi-bookmark-star", "me-2"), "My reports"], className="h5 mb-0")
            ),
            dbc.CardBody(html.Div(id=MY_REPORTS_LIST)),
        ],
        id=MY_REPORTS_PANEL,
        className="shadow-sm border-0 mb-4",
        style=HIDDEN,
    )


def my_reports_items(reports: list[dict], found: dict[str, dict], statuses: dict) -> list:
    """One line per remembered report that still opens a ticket: its title (a link to the
    follow page), status, and whether the helpdesk wrote since the person last looked."""
    items = []
    for report in reports:
        ticket = found.get(report.get("token"))
        if ticket is None:
            continue
        newest = ticket.get("last_helpdesk_message_id")
        answered = bool(newest) and newest > (report.get("seen") or 0)
        badges = [status_badge(ticket["status"], statuses)]
        if answered:
            badges.append(
                dbc.Badge(
                    [icon("bi-chat-dots-fill", "me-1"), "New answer"],
                    color="primary",
                    className="ms-2 new-answer",
                )
            )
        items.append(
            html.Li(
                [
                    html.A(
                        f"#{ticket['id']} {ticket['title']}",
                        href=follow_path(report["token"]),
                        className="fw-semibold me-2 my-report-link",
                    ),
                    html.Span(badges),
                ],
                className="list-group-item d-flex flex-wrap align-items-center my-report",
            )
        )
    return [html.Ul(items, className="list-group list-group-flush")] if items else []
