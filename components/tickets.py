"""The simple user's list of open and active tickets: filters, cards, paging."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import (
    CATEGORY_LABELS,
    category_badge,
    format_time,
    icon,
    loading,
    status_badge,
)

LIST_SEARCH = "tickets-search"
LIST_STATUS = "tickets-status"
LIST_CATEGORY = "tickets-category"
LIST_SORT = "tickets-sort"
LIST_PAGE = "tickets-page"
LIST_ITEMS = "tickets-items"
LIST_SUMMARY = "tickets-summary"
PER_PAGE = 10

STATUS_CHOICES = [
    {"label": "Open and active", "value": "open,active"},
    {"label": "Open", "value": "open"},
    {"label": "Active", "value": "active"},
]
CATEGORY_CHOICES = [{"label": "All categories", "value": "all"}] + [
    {"label": label, "value": key} for key, label in CATEGORY_LABELS.items()
]
SORT_CHOICES = [
    {"label": "Recently updated", "value": "-modified_at"},
    {"label": "Newest first", "value": "-opened_at"},
    {"label": "Oldest first", "value": "opened_at"},
    {"label": "Ticket number", "value": "id"},
]


def _select(cid: str, label: str, options: list, value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=cid, className="small fw-semibold mb-1"),
            dbc.Select(id=cid, options=options, value=value, size="sm"),
        ],
        xs=12,
        sm=4,
    )


def ticket_filters() -> html.Div:
    """Search box and the status, category and order choices."""
    return html.Div(
        [
            dbc.Label("Search", html_for=LIST_SEARCH, className="small fw-semibold mb-1"),
            dbc.InputGroup(
                [
                    dbc.InputGroupText(icon("bi-search")),
                    dbc.Input(
                        id=LIST_SEARCH,
                        type="search",
                        debounce=400,
                        placeholder="Words in the title, description or place",
                    ),
                ],
                size="sm",
                className="mb-2",
            ),
            dbc.Row(
                [
                    _select(LIST_STATUS, "Status", STATUS_CHOICES, "open,active"),
                    _select(LIST_CATEGORY, "Category", CATEGORY_CHOICES, "all"),
                    _select(LIST_SORT, "Order", SORT_CHOICES, "-modified_at"),
                ],
                className="g-2",
            ),
        ],
        className="mb-3",
    )


def ticket_list_panel() -> dbc.Card:
    """The card with the filters, the list and its pages."""
    header = html.H2([icon("bi-list-ul", "me-2"), "Open and active tickets"], className="h5 mb-0")
    pages = dbc.Pagination(
        id=LIST_PAGE,
        max_value=1,
        active_page=1,
        fully_expanded=False,
        first_last=True,
        previous_next=True,
        size="sm",
        className="mt-3 mb-0 flex-wrap",
    )
    body = [
        ticket_filters(),
        html.P(
            id=LIST_SUMMARY, className="small text-body-secondary mb-2", **{"aria-live": "polite"}
        ),
        loading(html.Div(id=LIST_ITEMS, className="ticket-list")),
        html.Nav(pages, **{"aria-label": "Ticket list pages"}),
    ]
    return dbc.Card(
        [dbc.CardHeader(header, id="tickets"), dbc.CardBody(body)], className="shadow-sm border-0"
    )


def ticket_card(ticket: dict, zone, base: str = "/user") -> html.Article:
    """One ticket in a list: number and title as a link, badges, place and last change."""
    href = dash.get_relative_path(f"{base}/tickets/{ticket['id']}")
    meta = [
        html.Span(
            [icon("bi-clock", "me-1"), f"Updated {format_time(ticket.get('modified_at'), zone)}"]
        )
    ]
    if ticket.get("location"):
        meta.insert(0, html.Span([icon("bi-geo-alt", "me-1"), ticket["location"]]))
    return html.Article(
        [
            html.Div(
                [status_badge(ticket.get("status", "")), category_badge(ticket.get("category"))],
                className="d-flex flex-wrap gap-1 mb-1",
            ),
            html.H3(
                dcc.Link(
                    [
                        html.Span(f"#{ticket['id']} ", className="text-body-secondary"),
                        ticket.get("title", ""),
                    ],
                    href=href,
                    className="stretched-link ticket-link",
                ),
                className="h6 mb-1 text-break",
            ),
            html.Div(meta, className="d-flex flex-wrap gap-3 small text-body-secondary"),
        ],
        className="ticket-card position-relative p-3 border rounded-3 mb-2 bg-white",
    )


def ticket_items(page: dict, zone, base: str = "/user") -> list:
    """The cards of one page of tickets, or a friendly empty state."""
    items = page.get("items") or []
    if not items:
        return [
            html.Div(
                [
                    icon("bi-inbox", "fs-3 d-block mb-2"),
                    "No tickets match. Try other words or filters.",
                ],
                className="text-center text-body-secondary py-4",
            )
        ]
    return [ticket_card(ticket, zone, base) for ticket in items]


def list_summary(total: int, page: int, per_page: int = PER_PAGE) -> str:
    """'Tickets 11-20 of 42' for the list header."""
    if not total:
        return "No tickets."
    first = (page - 1) * per_page + 1
    last = min(total, page * per_page)
    noun = "ticket" if total == 1 else "tickets"
    return f"Showing {first}–{last} of {total} {noun}."
