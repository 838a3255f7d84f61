"""Query models and answer parts the services share."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Optional

from flask import current_app
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.campus_time import local_date
from kit.query_types import MAX_DAYS, MAX_MONTHS, MONTH, Day, month_count

CATEGORY = r"^(facility|it|services)$"
#: Filters of the ticket API's list route selecting exactly the tickets behind a number.
Filters = Annotated[
    dict[str, str],
    Field(description="the ticket list filters (GET /api/tickets) of the tickets counted"),
]


class Query(BaseModel):
    """Query strings: converted from text; unknown parameters refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class DaySpanQuery(Query):
    start: Optional[Day] = Field(None, alias="from", description="first campus day, YYYY-MM-DD")
    end: Optional[Day] = Field(None, alias="to", description="last campus day, inclusive")

    @model_validator(mode="after")
    def _ordered(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError("to must not be before from")
        if self.start and self.end and (self.end - self.start).days >= MAX_DAYS:
            raise ValueError(f"a range covers at most {MAX_DAYS} days")
        return self


class DayRangeQuery(DaySpanQuery):
    category: Optional[str] = Field(None, pattern=CATEGORY, description="only this category")


class MonthRangeQuery(Query):
    from_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")
    to_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")

    @model_validator(mode="after")
    def _ordered(self):
        if self.from_month and self.to_month:
            if self.to_month < self.from_month:
                raise ValueError("to_month must not be before from_month")
            if month_count(self.from_month, self.to_month) > MAX_MONTHS:
                raise ValueError(f"a range covers at most {MAX_MONTHS} months")
        return self


def campus_today() -> date:
    """Today's date on campus (the configured time zone), for default ranges."""
    import time

    return local_date(int(time.time()), current_app.config["CAMPUSDESK_SETTINGS"].zone)


def day_range(query: DaySpanQuery, default_days: int) -> tuple[date, date]:
    """The days asked for; a missing end is today, a missing start ``default_days`` before
    the end (at most the longest range)."""
    end = query.end or max(campus_today(), query.start or date.min)
    start = query.start or end - timedelta(days=default_days - 1)
    if (end - start).days >= MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    return start, end
