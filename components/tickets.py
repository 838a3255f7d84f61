"""The simple user's list of open and active tickets: filters, cards, paging."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import (
    category_badge,
    choices,
    format_time,
    icon,
    joined,
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

SORT_CHOICES = [
    {"label": "Recently updated", "value": "-modified_at"},
    {"label": "Newest first", "value": "-opened_at"},
    {"label": "Oldest first", "value": "opened_at"},
    {"label": "Ticket number", "value": "id"},
]


def _select(cid: str, label: str, options: list, value: str | None) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=cid, className="small fw-semibold mb-1"),
            dbc.Select(id=cid, options=options, value=value, size="sm"),
        ],
        xs=12,
        sm=4,
    )


def status_choices(statuses: dict[str, str], visible: tuple[str, ...]) -> list[dict]:
    """The statuses a simple user sees, all of them together first, then each alone."""
    alone = [{"label": statuses.get(key, key), "value": key} for key in visible]
    if len(visible) < 2:
        return alone
    return [{"label": joined(visible, statuses, lower=True), "value": ",".join(visible)}] + alone


def ticket_filters(
    statuses: dict[str, str], categories: dict[str, str], visible: tuple[str, ...]
) -> html.Div:
    """Search box and the status, category and order choices (labels from the API)."""
    all_categories = [{"label": "All categories", "value": "all"}] + choices(categories)
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
                    _select(
                        LIST_STATUS,
                        "Status",
                        status_choices(statuses, visible),
                        ",".join(visible) or None,
                    ),
                    _select(LIST_CATEGORY, "Category", all_categories, "all"),
                    _select(LIST_SORT, "Order", SORT_CHOICES, "-modified_at"),
                ],
                className="g-2",
            ),
        ],
        className="mb-3",
    )


def ticket_list_panel(
    statuses: dict[str, str], categories: dict[str, str], visible: tuple[str, ...]
) -> dbc.Card:
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
        ticket_filters(statuses, categories, visible),
        html.P(
            id=LIST_SUMMARY, className="small text-body-secondary mb-2", **{"aria-live": "polite"}
        ),
        loading(html.Div(id=LIST_ITEMS, className="ticket-list")),
        html.Nav(pages, **{"aria-label": "Ticket list pages"}),
    ]
    return dbc.Card(
        [dbc.CardHeader(header, id="tickets"), dbc.CardBody(body)], className="shadow-sm border-0"
    )


def ticket_card(
    ticket: dict, zone, statuses: dict[str, str], categories: dict[str, str], base: str = "/user"
) -> html.Article:
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
                [
                    status_badge(ticket.get("status", ""), statuses),
                    category_badge(ticket.get("category"), categories),
                ],
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


def ticket_items(
    page: dict, zone, statuses: dict[str, str], categories: dict[str, str], base: str = "/user"
) -> list:
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
    return [ticket_card(ticket, zone, statuses, categories, base) for ticket in items]


def list_summary(total: int, page: int, per_page: int = PER_PAGE, exact: bool = True) -> str:
    """'Tickets 11-20 of 42' for the list header ('of more than 1,000' when not counted)."""
    if not total:
        return "No tickets."
    first = (page - 1) * per_page + 1
    if not exact:
        return f"Showing {first}–{page * per_page} of more than {total:,} tickets."
    last = min(total, page * per_page)
    noun = "ticket" if total == 1 else "tickets"
    return f"Showing {first}–{last} of {total} {noun}."
