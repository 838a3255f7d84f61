"""The volume service: how many tickets, of which category, when."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from kit.jsonio import json_response
from kit.openapi import ApiBlueprint
from kit.query_types import MAX_DAYS, MONTH
from kit.settings import Settings
from metrics_services import compute
from metrics_services.base import create_service_app, ticket_api
from metrics_services.schemas import (
    DayRangeQuery,
    DaySpanQuery,
    Filters,
    MonthRangeQuery,
    day_range,
)

TAGS = ("analysis",)
bp = ApiBlueprint("by_category", __name__)


class CategoryActive(BaseModel):
    category: str
    label: str
    active: int = Field(ge=0)
    tickets: Filters


class ActiveByCategory(BaseModel):
    categories: list[CategoryActive]


class Week(BaseModel):
    week: date = Field(description="its Monday")
    opened: int = Field(ge=0)
    closed: int = Field(ge=0)
    tickets: dict[str, Filters] = Field(description="opened, closed")


class Weekly(BaseModel):
    time_zone: str
    start: date = Field(alias="from")
    to: date
    weeks: list[Week]


class CategoryMonth(BaseModel):
    month: str = Field(pattern=MONTH)
    counts: dict[str, int]
    tickets: dict[str, Filters]


class CategoryMonths(BaseModel):
    time_zone: str
    categories: list[dict[str, str]] = Field(description="key and label, in order")
    months: list[CategoryMonth]


class HourCell(BaseModel):
    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 is Monday")
    hour: int = Field(ge=0, le=23)
    opened: int = Field(ge=0)
    tickets: Filters


class OpeningHours(BaseModel):
    time_zone: str
    start: date = Field(alias="from")
    to: date
    cells: list[HourCell]


@bp.operation("GET", "/active-by-category", response=ActiveByCategory, tags=TAGS)
def active_by_category():
    """Active tickets per category.

    The tickets the helpdesk is working on now (status active), in each category; all three
    categories are always listed. Open (not yet taken in hand) and closed tickets are left
    out.
    """
    body = ticket_api().get("/stats/active-by-category")
    categories = [
        {**c, "tickets": compute.tickets(status="active", category=c["category"])}
        for c in body["categories"]
    ]
    return json_response({"categories": categories})


@bp.operation("GET", "/weekly", query=DayRangeQuery, response=Weekly, tags=TAGS)
def weekly(query: DayRangeQuery):
    """Opened and closed per week.

    For each week (Monday to Sunday, campus time) of the range, the tickets opened in it and
    the tickets closed in it, whenever they were opened; the range is widened to whole
    weeks. Deleted tickets are left out. Without a range: the last 12 weeks.
    """
    start, end = compute.whole_weeks(*day_range(query, default_days=12 * 7))
    while (end - start).days >= MAX_DAYS:  # whole weeks within the longest range
        start += timedelta(days=7)
    body = ticket_api().get("/stats/days", **{"from": start, "to": end, "category": query.category})
    zone = ZoneInfo(body["time_zone"])
    weeks = []
    for week in compute.weekly(body["days"]):
        first, last = compute.week_bounds(date.fromisoformat(week["week"]), zone)
        category = query.category
        opened = compute.tickets(zone, opened_after=first, opened_before=last, category=category)
        closed = compute.tickets(zone, closed_after=first, closed_before=last, category=category)
        weeks.append({**week, "tickets": {"opened": opened, "closed": closed}})
    return json_response(
        {"time_zone": zone.key, "from": str(start), "to": str(end), "weeks": weeks}
    )


@bp.operation("GET", "/category-months", query=MonthRangeQuery, response=CategoryMonths, tags=TAGS)
def category_months(query: MonthRangeQuery):
    """Tickets per category per month.

    The tickets opened in each campus month, by category, whatever their status now.
    Deleted tickets are left out. Without a range: from the first month with tickets to the
    current month.
    """
    api = ticket_api()
    categories = [{"key": c["key"], "label": c["label"]} for c in api.get("/categories")]
    body = api.get("/stats/months", from_month=query.from_month, to_month=query.to_month)
    zone = ZoneInfo(body["time_zone"])
    months: dict[str, dict] = {}
    for row in body["months"]:
        month = months.setdefault(
            row["month"], {"month": row["month"], "counts": {}, "tickets": {}}
        )
        start, end = compute.month_bounds(row["month"], zone)
        month["counts"][row["category"]] = row["opened"]
        month["tickets"][row["category"]] = compute.tickets(
            zone, category=row["category"], opened_after=start, opened_before=end
        )
    return json_response(
        {"time_zone": zone.key, "categories": categories, "months": list(months.values())}
    )


@bp.operation("GET", "/opening-hours", query=DaySpanQuery, response=OpeningHours, tags=TAGS)
def opening_hours(query: DaySpanQuery):
    """When tickets are opened: weekday and hour.

    The tickets opened over the range, per weekday and hour of the day in campus time, all
    168 cells listed; whatever their category and status now. Deleted tickets are left out.
    Without a range: the last 12 weeks.
    """
    start, end = day_range(query, default_days=12 * 7)
    body = ticket_api().get("/stats/opening-hours", **{"from": start, "to": end})
    zone = ZoneInfo(body["time_zone"])
    first, _ = compute.day_bounds(start, zone)
    _, last = compute.day_bounds(end, zone)
    cells = [
        {
            **cell,
            "tickets": compute.tickets(
                zone,
                opened_after=first,
                opened_before=last,
                opened_weekday=cell["weekday"],
                opened_hour=cell["hour"],
            ),
        }
        for cell in body["cells"]
    ]
    return json_response(
        {"time_zone": zone.key, "from": str(start), "to": str(end), "cells": cells}
    )


def create_app(settings: Settings | None = None):
    """The volume service."""
    return create_service_app(
        "by-category",
        "volume service",
        "How many tickets, of which category, when: active per category, opened and closed "
        "per week, per category per month, and by weekday and hour.",
        bp,
        settings,
    )
