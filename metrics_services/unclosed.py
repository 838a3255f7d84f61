"""The backlog service: tickets not closed yet, over a rolling window, over time, by age."""

from __future__ import annotations

import time
from datetime import date
from typing import Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, model_validator

from kit.jsonio import json_response
from kit.openapi import ApiBlueprint
from kit.settings import Settings
from metrics_services import compute
from metrics_services.base import create_service_app, ticket_api
from metrics_services.schemas import DayRangeQuery, Filters, Query, day_range

MAX_LAST = {"hours": 8760, "days": 3650}
AGE_EDGES = (1, 3, 7, 30, 90)
TAGS = ("analysis",)
bp = ApiBlueprint("unclosed", __name__)


class UnclosedQuery(Query):
    last: int = Field(ge=1, le=8760, description="X: the window is the last X hours or days")
    unit: Literal["hours", "days"] = Field("hours", description="hours, or days of 24 hours")

    @model_validator(mode="after")
    def _in_range(self):
        if self.last > MAX_LAST[self.unit]:
            raise ValueError(f"last is at most {MAX_LAST[self.unit]} {self.unit}")
        return self


class Window(BaseModel):
    count: int = Field(ge=0)
    start: str = Field(alias="from")
    to: str
    tickets: Filters


class Unclosed(BaseModel):
    count: int = Field(ge=0)
    start: str = Field(alias="from", description="start of the window, included")
    to: str = Field(description="the moment of the answer")
    last: int
    unit: Literal["hours", "days"]
    tickets: Filters
    previous: Window = Field(description="the window of the same length just before")


class BacklogDay(BaseModel):
    day: date
    backlog: int = Field(ge=0, description="open or active at the end of the day")
    opened: int = Field(ge=0, description="opened that day")
    closed: int = Field(ge=0, description="closed that day, whenever opened")
    tickets: dict[str, Filters] = Field(description="backlog, opened, closed")


class Backlog(BaseModel):
    time_zone: str
    start: date = Field(alias="from")
    to: date
    days: list[BacklogDay]


class AgeBucket(BaseModel):
    label: str
    min_age_days: int
    max_age_days: Optional[int]
    count: int = Field(ge=0)
    tickets: Filters


class BacklogAge(BaseModel):
    time_zone: str
    today: date
    buckets: list[AgeBucket]


@bp.operation("GET", "/unclosed", query=UnclosedQuery, response=Unclosed, tags=TAGS)
def unclosed(query: UnclosedQuery):
    """Unclosed tickets opened in the last X hours or days.

    Counts the tickets opened in the rolling window from X hours (or X times 24 hours) ago,
    included, up to the moment of the answer, that are open or active now. Tickets opened
    earlier are left out however long they wait, and so are closed and deleted tickets.
    `previous` counts the same for the window of the same length just before.
    """
    previous_start, start, now = compute.window(int(time.time()), query.last, query.unit)
    api = ticket_api()
    iso = compute.utc_iso
    counts = api.get("/stats/unclosed", since=iso(start), previous=iso(previous_start))
    status = compute.UNCLOSED
    return json_response(
        {
            "count": counts["count"],
            "from": iso(start),
            "to": iso(now),
            "last": query.last,
            "unit": query.unit,
            "tickets": compute.tickets(status=status, opened_after=start, opened_before=now + 1),
            "previous": {
                "count": counts["previous"]["count"],
                "from": iso(previous_start),
                "to": iso(start),
                "tickets": compute.tickets(
                    status=status, opened_after=previous_start, opened_before=start
                ),
            },
        }
    )


@bp.operation("GET", "/backlog", query=DayRangeQuery, response=Backlog, tags=TAGS)
def backlog(query: DayRangeQuery):
    """Backlog over time.

    For each campus day of the range, the tickets open or active at its end: opened before
    midnight and not closed by then, whenever they were opened. Deleted tickets are left out.
    Today's figure is the backlog so far. Without a range: the last 30 days.
    """
    api = ticket_api()
    start, end = day_range(query, default_days=30)
    body = api.get("/stats/days", **{"from": start, "to": end, "category": query.category})
    zone = ZoneInfo(body["time_zone"])
    days = []
    category = query.category
    for day, count in compute.running_backlog(body["backlog_before"], body["days"]):
        start_of_day, end_of_day = compute.day_bounds(date.fromisoformat(day["day"]), zone)
        tickets = {
            "backlog": compute.tickets(zone, open_at=end_of_day, category=category),
            "opened": compute.tickets(
                zone, opened_after=start_of_day, opened_before=end_of_day, category=category
            ),
            "closed": compute.tickets(
                zone, closed_after=start_of_day, closed_before=end_of_day, category=category
            ),
        }
        days.append({**day, "backlog": count, "tickets": tickets})
    return json_response({"time_zone": zone.key, "from": str(start), "to": str(end), "days": days})


@bp.operation("GET", "/backlog-age", response=BacklogAge, tags=TAGS)
def backlog_age():
    """Age of today's backlog.

    The tickets open or active now, by campus days since the day they were opened: opened
    today, 1 to 2 days, 3 to 6 days, 7 to 29 days, 30 to 89 days, 90 days or more. Closed
    and deleted tickets are left out.
    """
    body = ticket_api().get("/stats/unclosed-by-age", edges=",".join(map(str, AGE_EDGES)))
    zone = ZoneInfo(body["time_zone"])
    today = date.fromisoformat(body["today"])
    buckets = [
        {
            "label": compute.age_label(b["min_age_days"], b["max_age_days"]),
            "min_age_days": b["min_age_days"],
            "max_age_days": b["max_age_days"],
            "count": b["unclosed"],
            "tickets": compute.age_filters(today, b["min_age_days"], b["max_age_days"], zone),
        }
        for b in body["buckets"]
    ]
    return json_response({"time_zone": zone.key, "today": str(today), "buckets": buckets})


def create_app(settings: Settings | None = None):
    """The backlog service."""
    return create_service_app(
        "unclosed",
        "backlog service",
        "Tickets not closed yet: in a rolling window, over time and by age.",
        bp,
        settings,
    )
