"""The helpdesk's ticket board: counts per status, filters and the server-side data grid."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import STATUS_ICONS, choices, icon, joined
from components.link_filters import LINK_STORE, filter_summary, ignored_notice, match_area

GRID = "helpdesk-grid"
COUNTS = "helpdesk-counts"
COUNTS_REFRESH = "helpdesk-counts-refresh"
BOARD_ALERT = "helpdesk-alert"
HD_SEARCH = "helpdesk-search"
HD_STATUS = "helpdesk-status"
HD_CATEGORY = "helpdesk-category"
HD_ORDER = "helpdesk-order"
GRID_RESET = "helpdesk-grid-reset"
TO_CHECK_FILTER = "helpdesk-to-check"
#: The board's query listing only the tickets whose automatic category the API says to check.
TO_CHECK_QUERY = "?to_check=true"
BLOCK_SIZE = 100  # rows per API page; the API allows up to 200

DEFAULT_ORDER = "-modified_at"
ORDERS = [
    {"label": "Recently updated", "value": "-modified_at"},
    {"label": "Lowest category confidence first", "value": "category_confidence"},
    {"label": "Newest first", "value": "-opened_at"},
    {"label": "Oldest first", "value": "opened_at"},
]
COLUMNS = [
    {
        "headerName": "#",
        "field": "link",
        "colId": "id",
        "cellRenderer": "markdown",
        "width": 90,
        "pinned": "left",
    },
    {
        "headerName": "Title",
        "field": "title",
        "colId": "title",
        "flex": 2,
        "minWidth": 220,
        "tooltipField": "title",
    },
    {
        "headerName": "Photos",
        "field": "photos_label",
        "sortable": False,
        "width": 100,
        "tooltipField": "photos_tip",
        "cellClass": "photos-cell",
    },
    {
        "headerName": "Status",
        "field": "status_label",
        "colId": "status",
        "width": 120,
        "cellClass": "status-cell",
    },
    {"headerName": "Category", "field": "category_label", "colId": "category", "width": 170},
    {
        "headerName": "Confidence",
        "field": "confidence_label",
        "colId": "category_confidence",
        "width": 230,
        "tooltipField": "confidence_label",
        "cellClassRules": {"category-to-check-cell": "params.data && params.data.to_check"},
    },
    {"headerName": "Location", "field": "location", "sortable": False, "width": 140},
    {"headerName": "Reported by", "field": "reported_by_label", "sortable": False, "width": 150},
    {"headerName": "Opened", "field": "opened_label", "colId": "opened_at", "width": 170},
    {"headerName": "Updated", "field": "modified_label", "colId": "modified_at", "width": 170},
    {"headerName": "Closed", "field": "closed_label", "colId": "closed_at", "width": 170},
]


def status_filters(statuses: dict[str, str], unfinished: tuple[str, ...]) -> list[dict]:
    """Status choices: all, the ones not finished yet together, then each status."""
    options = [{"label": "All statuses", "value": "all"}]
    if len(unfinished) > 1:
        together = joined(unfinished, statuses, lower=True)
        options.append({"label": together, "value": ",".join(unfinished)})
    return options + choices(statuses)


def category_filters(categories: dict[str, str]) -> list[dict]:
    """Category choices: all, then each category."""
    return [{"label": "All categories", "value": "all"}] + choices(categories)


def count_card(status: str, value, label: str) -> dbc.Col:
    """One status with its number of tickets."""
    return dbc.Col(
        html.Div(
            [
                html.Div(
                    [
                        icon(STATUS_ICONS.get(status, "bi-collection"), "me-2"),
                        label,
                    ],
                    className="small fw-semibold",
                ),
                html.Div(
                    f"{value:,}" if isinstance(value, int) else value,
                    className="fs-3 fw-semibold count-value",
                    id=f"count-{status}",
                ),
            ],
            className=f"count-card count-{status} p-3 rounded-3 h-100",
        ),
        xs=6,
        md=3,
    )


def status_counts(counts: dict | None, statuses: dict[str, str]) -> list:
    """The counts row, one card per status and the total; dashes while unknown."""
    counts = counts or {}
    keys = list(statuses) or list(counts)
    total = sum(int(counts[k]) for k in keys if isinstance(counts.get(k), int))
    cards = [count_card(k, counts.get(k, "–"), statuses.get(k, k)) for k in keys]
    return cards + [count_card("total", total if counts else "–", "All tickets")]


def _select(cid: str, label: str, options: list, value: str, md: int) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=cid, className="small fw-semibold mb-1"),
            dbc.Select(id=cid, options=options, value=value, size="sm"),
        ],
        xs=12,
        sm=6,
        md=md,
    )


def board_filters(status_options: list, category_options: list, values: dict) -> dbc.Row:
    """Search, status, category and order controls above the grid, set to values."""
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Search", html_for=HD_SEARCH, className="small fw-semibold mb-1"),
                    dbc.Input(
                        id=HD_SEARCH,
                        type="search",
                        debounce=400,
                        size="sm",
                        placeholder="Title, description or place",
                        value=values.get("q"),
                    ),
                ],
                xs=12,
                md=3,
            ),
            _select(HD_STATUS, "Status", status_options, values.get("status", "all"), 3),
            _select(HD_CATEGORY, "Category", category_options, values.get("category", "all"), 3),
            _select(HD_ORDER, "Order", ORDERS, values.get("sort", DEFAULT_ORDER), 3),
        ],
        className="g-2 mb-3",
    )


def grid_columns(sort: str | None = None) -> list[dict]:
    """The grid's columns; sort ('title', '-closed_at') marks its column's header."""
    key = (sort or "").removeprefix("-")
    direction = "desc" if (sort or "").startswith("-") else "asc"
    return [dict(c, sort=direction) if c.get("colId") == key else c for c in COLUMNS]


def ticket_grid(sort: str | None = None) -> dag.AgGrid:
    """Every ticket, fetched a block at a time from the API (infinite row model)."""
    return dag.AgGrid(
        id=GRID,
        columnDefs=grid_columns(sort),
        rowModelType="infinite",
        defaultColDef={"sortable": True, "resizable": True, "filter": False},
        dashGridOptions={
            "cacheBlockSize": BLOCK_SIZE,
            "maxBlocksInCache": 20,
            "rowHeight": 40,
            "infiniteInitialRowCount": 1,
            "maxConcurrentDatasourceRequests": 2,
            "tooltipShowDelay": 400,
            "rowSelection": {
                "mode": "singleRow",
                "checkboxes": False,
                "enableClickSelection": False,
            },
            "localeText": {"noRowsToShow": "No tickets match these filters."},
        },
        getRowId="params.data.row_id",
        style={"height": "560px", "width": "100%"},
        className="ag-theme-quartz ticket-grid",
    )


def tickets_card(controls: dbc.Row, link: dict) -> dbc.Card:
    """The card with the filters (the controls and the link's others) above the grid."""
    filters = link.get("filters") or {}
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H2([icon("bi-table", "me-2"), "Tickets"], className="h5 mb-0"),
                        dcc.Link(
                            [icon("bi-question-diamond", "me-1"), "Category to be checked"],
                            href=dash.get_relative_path("/helpdesk") + TO_CHECK_QUERY,
                            id=TO_CHECK_FILTER,
                            className="btn btn-sm btn-outline-secondary",
                        ),
                    ],
                    className="d-flex flex-wrap gap-2 justify-content-between "
                    "align-items-center mb-3",
                ),
                ignored_notice(link.get("ignored") or []),
                controls,
                filter_summary(filters.get("chips") or []),
                match_area(),
                html.Div(ticket_grid(link.get("sort_column")), className="grid-wrap"),
                html.P(
                    "Sort by clicking a column header. Open a ticket with its number.",
                    className="small text-body-secondary mt-2 mb-0",
                ),
            ]
        ),
        className="shadow-sm border-0",
    )


def board(
    statuses: dict[str, str],
    categories: dict[str, str],
    unfinished: tuple[str, ...],
    link: dict | None = None,
) -> html.Div:
    """The whole helpdesk board, with the API's labels, set up as a link asked.

    link (see callbacks.link_filters.read_link): "controls" (their values), "sort_column",
    "filters" (what the controls cannot show) and "ignored" (parameter names left out).
    """
    link = link or {}
    options = (status_filters(statuses, unfinished), category_filters(categories))
    controls = board_filters(*options, link.get("controls") or {})
    return html.Div(
        [
            html.Section(
                dbc.Row(id=COUNTS, children=status_counts(None, statuses), className="g-3"),
                className="mb-4",
                **{"aria-label": "Tickets per status"},
            ),
            html.Div(id=BOARD_ALERT),
            tickets_card(controls, link),
            dcc.Interval(id=COUNTS_REFRESH, interval=30000),
            dcc.Store(id=GRID_RESET),
            dcc.Store(id=LINK_STORE, data=link.get("filters") or {"params": {}, "chips": []}),
        ]
    )
