"""The speed service: how long tickets take to be closed and to get a first answer."""

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


def create_app(settings: Settings | None = None):
    """The speed service."""
    return create_service_app(
        "resolution",
        "speed service",
        "How long tickets take: to be closed, and to get a first answer from the helpdesk.",
        bp,
        settings,
    )
