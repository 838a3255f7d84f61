"""Aggregates answered by the database, for the dashboard and the analytics services."""

from __future__ import annotations

from flask import current_app

from kit.jsonio import json_response
from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import analytics
from ticket_api.classifier import CATEGORIES
from ticket_api.context import actor, load_actor
from ticket_api.models import VISIBLE_STATUSES
from ticket_api.schemas import (
    ActiveByCategory,
    ResolutionQuery,
    ResolutionTimes,
    StatusCounts,
)
from ticket_api.stats_schemas import (
    AgeQuery,
    AgeTable,
    DayRange,
    DaySpan,
    DayTable,
    HourTable,
    MonthRange,
    MonthTable,
    RatingTable,
    SinceQuery,
    UnclosedWindow,
)
from ticket_api.timefields import from_epoch, iso, to_epoch

bp = ApiBlueprint("stats", __name__, url_prefix="/api/stats")
bp.before_request(load_actor)
TAGS = ("statistics",)


def _zone():
    return current_app.config["CAMPUSDESK_SETTINGS"].zone


def _helpdesk_only() -> None:
    if not actor().is_helpdesk:
        raise ApiProblem(403, "Analytics are for helpdesk staff.")


@bp.operation("GET", "/status-counts", response=StatusCounts, tags=TAGS)
def status_counts():
    """How many tickets are in each status (closed is 0 for simple users)."""
    return json_response(analytics.status_counts(VISIBLE_STATUSES[actor().role]))


@bp.operation("GET", "/unclosed", query=SinceQuery, response=UnclosedWindow, tags=TAGS)
def unclosed(query: SinceQuery):
    """How many tickets opened at or after `since` (and before `until`) are not closed yet.

    With `previous`, the same count for the window from `previous` to `since` as well.
    """
    since = to_epoch(query.since)
    until = None if query.until is None else to_epoch(query.until)
    body = {
        "count": analytics.unclosed(since, until),
        "since": iso(from_epoch(since)),
        "until": None if until is None else iso(from_epoch(until)),
    }
    if query.previous is not None:
        earlier = to_epoch(query.previous)
        body["previous"] = {
            "count": analytics.unclosed(earlier, since),
            "since": iso(from_epoch(earlier)),
            "until": body["since"],
        }
    return json_response(body)


@bp.operation(
    "GET",
    "/resolution-time",
    query=ResolutionQuery,
    response=ResolutionTimes,
    errors=(403,),
    tags=TAGS,
)
def resolution_time(query: ResolutionQuery):
    """Average time from opening to closing of closed tickets, by month of opening.

    Months are counted in the campus time zone; months without closed tickets are left out.
    """
    _helpdesk_only()
    zone = _zone()
    months = analytics.resolution_months(query.from_month, query.to_month, zone)
    return json_response({"time_zone": zone.key, "months": months})


@bp.operation("GET", "/active-by-category", response=ActiveByCategory, tags=TAGS)
def active_by_category():
    """How many tickets are active in each category; all three are always listed."""
    counts = analytics.active_by_category()
    return json_response(
        {
            "categories": [
                {"category": c["key"], "label": c["label"], "active": counts.get(c["key"], 0)}
                for c in CATEGORIES
            ]
        }
    )


@bp.operation("GET", "/months", query=MonthRange, response=MonthTable, errors=(403,), tags=TAGS)
def month_totals(query: MonthRange):
    """Per campus month and category: opened, closed, resolved and answered tickets.

    `opened` counts the tickets opened in the month; `closed` those closed in it, whenever
    opened; `resolved` and `responded` are the tickets opened in the month that are closed,
    or that the helpdesk has answered, with their summed waiting seconds. Without a range:
    from the first month with tickets to the current month.
    """
    _helpdesk_only()
    zone = _zone()
    months = analytics.month_span(query.from_month, query.to_month, zone)
    rows = analytics.month_totals(months, query.category)
    return json_response({"time_zone": zone.key, "months": rows})


@bp.operation(
    "GET", "/satisfaction", query=MonthRange, response=RatingTable, errors=(403,), tags=TAGS
)
def satisfaction(query: MonthRange):
    """Per campus month of closing and category: tickets closed, and how their reporters
    rated the outcome (how many ratings gave each number of stars).

    Every month and category of the range is listed, zeros included. Without a range: from
    the first month with tickets to the current month.
    """
    _helpdesk_only()
    zone = _zone()
    months = analytics.month_span(query.from_month, query.to_month, zone)
    return json_response(
        {"time_zone": zone.key, "months": analytics.satisfaction(months, zone, query.category)}
    )


@bp.operation("GET", "/days", query=DayRange, response=DayTable, errors=(403,), tags=TAGS)
def day_totals(query: DayRange):
    """Per campus day: tickets opened and closed, and how many were open as the range began.

    Every day of the range is listed, oldest first, days without tickets as zeros.
    """
    _helpdesk_only()
    before, days = analytics.day_totals(query.start, query.end, query.category)
    return json_response({"time_zone": _zone().key, "backlog_before": before, "days": days})


@bp.operation(
    "GET", "/unclosed-by-age", query=AgeQuery, response=AgeTable, errors=(403,), tags=TAGS
)
def unclosed_by_age(query: AgeQuery):
    """Open and active tickets by age: campus days from the day of opening to today.

    Buckets run from one edge (included) to the next (excluded); the last has no end.
    """
    _helpdesk_only()
    zone = _zone()
    today, buckets = analytics.unclosed_by_age(query.edges, zone, query.category)
    return json_response({"time_zone": zone.key, "today": today.isoformat(), "buckets": buckets})


@bp.operation("GET", "/opening-hours", query=DaySpan, response=HourTable, errors=(403,), tags=TAGS)
def opening_hours(query: DaySpan):
    """Tickets opened per weekday and hour of the day, in campus time, over the days asked.

    All 168 cells are listed, weekday 1 being Monday.
    """
    _helpdesk_only()
    cells = analytics.opening_hours(query.start, query.end)
    return json_response({"time_zone": _zone().key, "cells": cells})
