"""The helpdesk board: status counts and the grid's blocks of rows, fetched from the API."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, no_update

from components.common import TO_CHECK_TEXT, format_time, problem_alert
from components.helpdesk import (
    BLOCK_SIZE,
    BOARD_ALERT,
    COUNTS,
    COUNTS_REFRESH,
    DEFAULT_ORDER,
    GRID,
    GRID_RESET,
    HD_CATEGORY,
    HD_ORDER,
    HD_SEARCH,
    HD_STATUS,
    status_counts,
)
from components.link_filters import LINK_STORE, MATCHES, match_line
from components.photos import photos_label, photos_tip
from dash_app import api_client
from dash_app.api_client import ApiError

ORDER_AND_PAGING = ("page", "per_page", "sort")
SORTABLE = {
    "id",
    "title",
    "status",
    "category",
    "category_confidence",
    "opened_at",
    "modified_at",
    "closed_at",
}


def grid_query(request: dict, q, status, category, order, link: dict | None = None) -> dict:
    """The GET /api/tickets query for one block the grid asks for.

    The link's filters come first; a control that is set overrides the same parameter, and a
    column header's sort overrides every other order.
    """
    start = int(request.get("startRow") or 0)
    end = int(request.get("endRow") or start + BLOCK_SIZE)
    per_page = max(1, min(200, end - start))
    query = dict((link or {}).get("params") or {})
    chosen = {
        "q": (q or "").strip() or None,
        "status": _chosen(status),
        "category": _chosen(category),
    }
    for name, value in chosen.items():
        query[name] = value if value is not None else query.get(name)
    sort = query.pop("sort", None) or order or DEFAULT_ORDER
    for item in request.get("sortModel") or []:
        if item.get("colId") in SORTABLE:
            sort = ("-" if item.get("sort") == "desc" else "") + item["colId"]
            break
    return {"page": start // per_page + 1, "per_page": per_page, "sort": sort, **query}


def is_filtered(query: dict) -> bool:
    """Whether a list query narrows the tickets down (paging and order do not)."""
    return any(v not in (None, "", []) for k, v in query.items() if k not in ORDER_AND_PAGING)


def _chosen(value):
    return None if value in (None, "", "all") else value


def grid_row(ticket: dict, zone, words) -> dict:
    """One ticket as a grid row, with the API's labels and times in the campus time zone."""
    confidence = ticket.get("category_confidence")
    if ticket.get("category_source") == "helpdesk":
        confidence_label = "Set by helpdesk"
    elif confidence is None:
        confidence_label = "—"
    else:
        confidence_label = f"{round(confidence * 100)}%"
    to_check = ticket.get("category_to_check") is True
    if to_check:
        confidence_label += f" · {TO_CHECK_TEXT}"
    href = dash.get_relative_path(f"/helpdesk/tickets/{ticket['id']}")
    return {
        "id": ticket["id"],
        "row_id": str(ticket["id"]),
        "link": f"[#{ticket['id']}]({href})",
        "title": ticket.get("title"),
        "status_label": words.statuses.get(ticket.get("status"), ticket.get("status")),
        "category_label": words.categories.get(ticket.get("category"), ticket.get("category")),
        "confidence_label": confidence_label,
        "to_check": to_check,
        "location": ticket.get("location") or "",
        "reported_by_label": f"{ticket.get('reported_by') or 1} "
        + ("person" if (ticket.get("reported_by") or 1) == 1 else "people"),
        "photos_label": photos_label(ticket.get("photos")),
        "photos_tip": photos_tip(ticket.get("photos")),
        "opened_label": format_time(ticket.get("opened_at"), zone),
        "modified_label": format_time(ticket.get("modified_at"), zone),
        "closed_label": format_time(ticket.get("closed_at"), zone, empty=""),
    }


@callback(
    Output(GRID, "getRowsResponse"),
    Output(BOARD_ALERT, "children"),
    Output(MATCHES, "children"),
    Input(GRID, "getRowsRequest"),
    State(HD_SEARCH, "value"),
    State(HD_STATUS, "value"),
    State(HD_CATEGORY, "value"),
    State(HD_ORDER, "value"),
    State(LINK_STORE, "data"),
)
def update_grid_rows(request, q, status, category, order, link):
    """Answer one block request of the grid with one page of the API, and say how many match."""
    if not request:
        return no_update, no_update, no_update
    query = grid_query(request, q, status, category, order, link)
    try:
        result = api_client.for_role("helpdesk").list_tickets(**query)
    except ApiError as error:
        return {"rowData": [], "rowCount": 0}, problem_alert(error), ""
    zone, words = api_client.settings().zone, api_client.vocabulary()
    rows = [grid_row(t, zone, words) for t in result.get("items") or []]
    total = int(result.get("total") or 0)
    exact = result.get("total_exact", True)
    response = {"rowData": rows}
    start, end = int(request.get("startRow") or 0), int(request.get("endRow") or 0)
    if exact:
        response["rowCount"] = total
    elif len(rows) < end - start:  # not counted, but this block is the last one
        response["rowCount"] = start + len(rows)
    return response, None, match_line(total, is_filtered(query), exact)


@callback(Output(COUNTS, "children"), Input(COUNTS_REFRESH, "n_intervals"))
def update_status_counts(_ticks):
    """How many tickets are in each status right now."""
    statuses = api_client.vocabulary().statuses
    try:
        return status_counts(api_client.for_role("helpdesk").status_counts(), statuses)
    except ApiError:
        return status_counts(None, statuses)


# The grid fetches again from the first block whenever a filter changes (no page reload).
clientside_callback(
    ClientsideFunction(namespace="campusdesk", function_name="resetGrid"),
    Output(GRID_RESET, "data"),
    Input(HD_SEARCH, "value"),
    Input(HD_STATUS, "value"),
    Input(HD_CATEGORY, "value"),
    Input(HD_ORDER, "value"),
    Input(LINK_STORE, "data"),
    State(GRID, "id"),
    prevent_initial_call=True,
)
