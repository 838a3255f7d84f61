"""The simple user's ticket list."""

from __future__ import annotations

import math

from dash import Input, Output, callback, ctx

from components.common import problem_alert
from components.report import REPORT_CREATED
from components.tickets import (
    LIST_CATEGORY,
    LIST_ITEMS,
    LIST_PAGE,
    LIST_SEARCH,
    LIST_SORT,
    LIST_STATUS,
    LIST_SUMMARY,
    PER_PAGE,
    list_summary,
    ticket_items,
)
from dash_app import api_client
from dash_app.api_client import ApiError

FILTER_IDS = (LIST_SEARCH, LIST_STATUS, LIST_CATEGORY, LIST_SORT)


def list_params(q, status, category, sort, page) -> dict:
    """The query of GET /api/tickets for the list's controls."""
    return {
        "q": (q or "").strip() or None,
        # Without a choice the API lists every status the role may see.
        "status": status or None,
        "category": None if category in (None, "", "all") else category,
        "sort": sort or "-modified_at",
        "page": max(1, int(page or 1)),
        "per_page": PER_PAGE,
    }


@callback(
    Output(LIST_ITEMS, "children"),
    Output(LIST_SUMMARY, "children"),
    Output(LIST_PAGE, "max_value"),
    Output(LIST_PAGE, "active_page"),
    Input(LIST_SEARCH, "value"),
    Input(LIST_STATUS, "value"),
    Input(LIST_CATEGORY, "value"),
    Input(LIST_SORT, "value"),
    Input(LIST_PAGE, "active_page"),
    Input(REPORT_CREATED, "data"),
)
def update_ticket_list(q, status, category, sort, page, _created):
    """Fetch the page of tickets that matches the filters."""
    if ctx.triggered_id in FILTER_IDS:
        page = 1  # new filters: the old page number may no longer exist
    params = list_params(q, status, category, sort, page)
    try:
        result = api_client.for_role("user").list_tickets(**params)
    except ApiError as error:
        return [problem_alert(error)], "", 1, params["page"]
    total = int(result.get("total") or 0)
    pages = max(1, math.ceil(total / PER_PAGE))
    zone = api_client.settings().zone
    words = api_client.vocabulary()
    items = ticket_items(result, zone, words.statuses, words.categories)
    exact = result.get("total_exact", True)
    summary = list_summary(total, params["page"], exact=exact)
    return items, summary, pages, params["page"]
