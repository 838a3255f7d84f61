"""Aggregates answered by the database, for the dashboard and the analytics services."""

from __future__ import annotations

from flask import current_app
from peewee import fn

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api.classifier import CATEGORIES
from ticket_api.context import actor, load_actor
from ticket_api.db import database
from ticket_api.migrations import BUCKET_SECONDS
from ticket_api.models import STATUSES, VISIBLE_STATUSES, Ticket
from ticket_api.months import month_bounds, month_key
from ticket_api.schemas import (
    ActiveByCategory,
    ResolutionQuery,
    ResolutionTimes,
    StatusCounts,
    UnclosedCount,
    UnclosedQuery,
)
from ticket_api.serialize import json_response
from ticket_api.timefields import from_epoch, iso, to_epoch

bp = ApiBlueprint("stats", __name__, url_prefix="/api/stats")
bp.before_request(load_actor)
TAGS = ("statistics",)


@bp.operation("GET", "/status-counts", response=StatusCounts, tags=TAGS)
def status_counts():
    """How many tickets are in each status (closed is 0 for simple users)."""
    visible = VISIBLE_STATUSES[actor().role]
    counts = dict.fromkeys(STATUSES, 0)
    rows = (
        Ticket.select(Ticket.status, fn.COUNT(Ticket.id))
        .where(Ticket.status.in_(visible))
        .group_by(Ticket.status)
        .tuples()
    )
    counts.update(dict(rows))
    return json_response(counts)


@bp.operation("GET", "/unclosed", query=UnclosedQuery, response=UnclosedCount, tags=TAGS)
def unclosed(query: UnclosedQuery):
    """How many tickets opened at or after `since` are not closed yet."""
    count = (
        Ticket.select()
        .where((Ticket.status.in_(("open", "active"))) & (Ticket.opened_at >= query.since))
        .count()
    )
    since = from_epoch(to_epoch(query.since))
    return json_response({"count": count, "since": iso(since)})


def _closed_range(query: ResolutionQuery, zone) -> tuple[str, str] | None:
    """The months to report: the asked range narrowed to the months that hold closed
    tickets (the others are left out of the answer anyway), so work stays bounded."""
    low, high = database.execute_sql(
        "SELECT MIN(bucket), MAX(bucket) FROM resolution_rollup WHERE tickets > 0"
    ).fetchone()
    if low is None:
        return None
    first = month_key(from_epoch(int(low) * BUCKET_SECONDS), zone)
    last = month_key(from_epoch(int(high) * BUCKET_SECONDS), zone)
    first = max(first, query.from_month or first)
    last = min(last, query.to_month or last)
    return (first, last) if first <= last else None


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
    if not actor().is_helpdesk:
        raise ApiProblem(403, "Resolution times are for helpdesk staff.")
    zone = current_app.config["CAMPUSDESK_SETTINGS"].zone
    span = _closed_range(query, zone)
    months = []
    if span is not None:
        months = _monthly_averages(month_bounds(*span, zone))
    return json_response({"time_zone": zone.key, "months": months})


def _monthly_averages(bounds: list[tuple[str, int, int]]) -> list[dict]:
    # Closed tickets are summed per quarter hour of opening by triggers (resolution_rollup);
    # local month boundaries fall on quarter hours, so a CASE over the boundaries groups the
    # buckets into campus months with no time-zone maths in SQL and no scan of the tickets.
    param = database.obj.param
    cases = " ".join(f"WHEN bucket < {param} THEN {param}" for _ in bounds)
    args = [value for key, _, end in bounds for value in (end // BUCKET_SECONDS, key)]
    sql = (
        f"SELECT CASE {cases} END AS month, SUM(tickets), SUM(seconds) "
        f"FROM resolution_rollup WHERE bucket >= {param} AND bucket < {param} "
        f"AND tickets > 0 GROUP BY 1 ORDER BY 1"
    )
    span = [bounds[0][1] // BUCKET_SECONDS, bounds[-1][2] // BUCKET_SECONDS]
    rows = database.execute_sql(sql, args + span).fetchall()
    return [
        {
            "month": month,
            "average_hours": float(total) / int(count) / 3600,
            "closed_tickets": int(count),
        }
        for month, count, total in rows
        if count
    ]


@bp.operation("GET", "/active-by-category", response=ActiveByCategory, tags=TAGS)
def active_by_category():
    """How many tickets are active in each category; all three are always listed."""
    rows = dict(
        Ticket.select(Ticket.category, fn.COUNT(Ticket.id))
        .where(Ticket.status == "active")
        .group_by(Ticket.category)
        .tuples()
    )
    return json_response(
        {
            "categories": [
                {"category": c["key"], "label": c["label"], "active": rows.get(c["key"], 0)}
                for c in CATEGORIES
            ]
        }
    )
