"""The speed service: how long tickets take to be closed and to get a first answer, and how
satisfied their reporters were with the outcome."""

from __future__ import annotations

from typing import Optional
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from kit.jsonio import json_response
from kit.openapi import ApiBlueprint
from kit.query_types import MONTH
from kit.settings import Settings
from metrics_services import compute
from metrics_services.base import create_service_app, ticket_api
from metrics_services.schemas import Filters, MonthRangeQuery

TAGS = ("analysis",)
bp = ApiBlueprint("resolution", __name__)


class MonthResolution(BaseModel):
    month: str = Field(pattern=MONTH)
    average_hours: float = Field(ge=0, description="not rounded")
    closed_tickets: int = Field(ge=1)
    tickets: Filters


class Resolution(BaseModel):
    time_zone: str
    months: list[MonthResolution]


class MonthResponse(BaseModel):
    month: str = Field(pattern=MONTH)
    opened: int = Field(ge=0, description="tickets opened in the month")
    answered: int = Field(ge=0, description="of those, answered by the helpdesk")
    average_hours: Optional[float] = Field(description="opening to first answer; null if none")
    unanswered: int = Field(ge=0, description="of those, not answered yet")
    still_open: int = Field(ge=0, description="of those, open or active now")
    tickets: dict[str, Filters] = Field(description="opened, answered, unanswered, still_open")


class FirstResponse(BaseModel):
    time_zone: str
    months: list[MonthResponse]


@bp.operation("GET", "/resolution-time", query=MonthRangeQuery, response=Resolution, tags=TAGS)
def resolution_time(query: MonthRangeQuery):
    """Average resolution time by opening month.

    For closed tickets, the average time from opening to closing, grouped by the campus
    month in which the ticket was opened, oldest first. Open and active tickets are left
    out (see the first response time for how many remain), and so are deleted tickets and
    months without closed tickets.
    """
    body = ticket_api().get(
        "/stats/resolution-time", from_month=query.from_month, to_month=query.to_month
    )
    zone = ZoneInfo(body["time_zone"])
    months = []
    for month in body["months"]:
        start, end = compute.month_bounds(month["month"], zone)
        filters = compute.tickets(zone, status="closed", opened_after=start, opened_before=end)
        months.append({**month, "tickets": filters})
    return json_response({"time_zone": zone.key, "months": months})


@bp.operation("GET", "/first-response", query=MonthRangeQuery, response=FirstResponse, tags=TAGS)
def first_response(query: MonthRangeQuery):
    """Average first response time by opening month.

    For the tickets opened in each campus month, the average time from opening to the first
    message written by the helpdesk, with how many tickets it averages over, how many have
    no answer yet and how many are still open or active. Status changes alone are not an
    answer. Without a range: from the first month with tickets to the current month.
    """
    body = ticket_api().get("/stats/months", from_month=query.from_month, to_month=query.to_month)
    zone = ZoneInfo(body["time_zone"])
    months: dict[str, dict] = {}
    for row in body["months"]:
        total = months.setdefault(
            row["month"], {"opened": 0, "answered": 0, "seconds": 0, "resolved": 0}
        )
        total["opened"] += row["opened"]
        total["answered"] += row["responded"]
        total["seconds"] += row["response_seconds"]
        total["resolved"] += row["resolved"]
    return json_response(
        {"time_zone": zone.key, "months": [_month(m, t, zone) for m, t in months.items()]}
    )


def _month(month: str, total: dict, zone: ZoneInfo) -> dict:
    start, end = compute.month_bounds(month, zone)

    def filters(**extra) -> dict:
        return compute.tickets(zone, opened_after=start, opened_before=end, **extra)

    answered = total["answered"]
    return {
        "month": month,
        "opened": total["opened"],
        "answered": answered,
        "average_hours": total["seconds"] / answered / 3600 if answered else None,
        "unanswered": total["opened"] - answered,
        "still_open": total["opened"] - total["resolved"],
        "tickets": {
            "opened": filters(),
            "answered": filters(answered=True),
            "unanswered": filters(answered=False),
            "still_open": filters(status=compute.UNCLOSED),
        },
    }


class CategoryRatings(BaseModel):
    category: str
    closed: int = Field(ge=0, description="tickets of the category closed in the month")
    rated: int = Field(ge=0, description="of those, rated by their reporter")
    average_stars: Optional[float] = Field(description="1 to 5; null if none was rated")
    tickets: dict[str, Filters] = Field(description="closed, rated")


class StarCount(BaseModel):
    stars: int = Field(ge=1, le=5)
    count: int = Field(ge=0, description="ratings that gave this many stars")
    tickets: Filters


class MonthSatisfaction(BaseModel):
    month: str = Field(pattern=MONTH)
    closed: int = Field(ge=0, description="tickets closed in the month")
    rated: int = Field(ge=0, description="of those, rated by their reporter")
    average_stars: Optional[float] = Field(description="1 to 5, not rounded; null if none")
    stars: list[StarCount] = Field(min_length=5, max_length=5, description="1 to 5 stars")
    categories: list[CategoryRatings]
    tickets: dict[str, Filters] = Field(description="closed, rated")


class Category(BaseModel):
    key: str
    label: str


class Satisfaction(BaseModel):
    time_zone: str
    categories: list[Category]
    months: list[MonthSatisfaction]


@bp.operation("GET", "/satisfaction", query=MonthRangeQuery, response=Satisfaction, tags=TAGS)
def satisfaction(query: MonthRangeQuery):
    """Satisfaction by closing month and category.

    How the reporters of the tickets closed in each campus month rated the outcome, 1 to 5
    stars, once, through their follow link: the average, how many ratings gave each number
    of stars, and how many of the closed tickets were rated, per category too. Without a
    range: from the first month with tickets to the current month.
    """
    api = ticket_api()
    categories = [{"key": c["key"], "label": c["label"]} for c in api.get("/categories")]
    body = api.get("/stats/satisfaction", from_month=query.from_month, to_month=query.to_month)
    zone = ZoneInfo(body["time_zone"])
    months: dict[str, list[dict]] = {}
    for row in body["months"]:
        months.setdefault(row["month"], []).append(row)
    return json_response(
        {
            "time_zone": zone.key,
            "categories": categories,
            "months": [_satisfaction(m, rows, zone) for m, rows in months.items()],
        }
    )


def _average(stars: list[int]) -> float | None:
    rated = sum(stars)
    return sum(n * count for n, count in enumerate(stars, 1)) / rated if rated else None


def _satisfaction(month: str, rows: list[dict], zone: ZoneInfo) -> dict:
    start, end = compute.month_bounds(month, zone)

    def filters(**extra) -> dict:
        return compute.tickets(
            zone, status="closed", closed_after=start, closed_before=end, **extra
        )

    stars = [sum(row["stars"][i] for row in rows) for i in range(5)]
    return {
        "month": month,
        "closed": sum(row["closed"] for row in rows),
        "rated": sum(stars),
        "average_stars": _average(stars),
        "stars": [
            {"stars": n, "count": count, "tickets": filters(stars=str(n))}
            for n, count in enumerate(stars, 1)
        ],
        "categories": [
            {
                "category": row["category"],
                "closed": row["closed"],
                "rated": row["rated"],
                "average_stars": _average(row["stars"]),
                "tickets": {
                    "closed": filters(category=row["category"]),
                    "rated": filters(category=row["category"], rated=True),
                },
            }
            for row in rows
        ],
        "tickets": {
            "closed": filters(),
            "rated": filters(rated=True),
        },
    }


def create_app(settings: Settings | None = None):
    """The speed service."""
    return create_service_app(
        "resolution",
        "speed service",
        "How long tickets take: to be closed, and to get a first answer from the helpdesk; "
        "and how their reporters rated the outcome.",
        bp,
        settings,
    )
