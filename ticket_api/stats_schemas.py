"""Queries and answers of the statistics routes that the analytics services call."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    model_validator,
)

from kit.query_types import MAX_DAYS, MAX_MONTHS, MONTH, Day, month_count
from ticket_api.schemas import CategoryKey, Instant, Query


def _edges(value: str) -> list[int]:
    try:
        numbers = [int(part) for part in value.split(",")]
    except ValueError:
        raise ValueError("must be whole numbers of days separated by commas") from None
    if any(b <= a for a, b in zip(numbers, numbers[1:])) or numbers[0] < 1:
        raise ValueError("must be increasing numbers of days, from 1 on")
    return numbers


class SinceQuery(Query):
    since: Instant = Field(description="count tickets opened at or after this instant")
    until: Optional[Instant] = Field(
        None, description="and before this instant (default: no upper bound)"
    )
    previous: Optional[Instant] = Field(
        None, description="also count the window from this instant to `since`, in `previous`"
    )

    @model_validator(mode="after")
    def _ordered(self):
        if self.previous is not None and self.previous > self.since:
            raise ValueError("previous must not be after since")
        return self


class MonthRange(Query):
    from_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")
    to_month: Optional[str] = Field(None, pattern=MONTH, description="YYYY-MM, inclusive")
    category: Optional[CategoryKey] = Field(None, description="only this category")

    @model_validator(mode="after")
    def _ordered(self):
        if self.from_month and self.to_month:
            if self.from_month > self.to_month:
                raise ValueError("from_month must not be after to_month")
            if month_count(self.from_month, self.to_month) > MAX_MONTHS:
                raise ValueError(f"a range covers at most {MAX_MONTHS} months")
        return self


class DaySpan(Query):
    start: Day = Field(alias="from", description="first campus day, YYYY-MM-DD")
    end: Day = Field(alias="to", description="last campus day, YYYY-MM-DD, inclusive")

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError("to must not be before from")
        if (self.end - self.start).days >= MAX_DAYS:
            raise ValueError(f"a range covers at most {MAX_DAYS} days")
        return self


class DayRange(DaySpan):
    category: Optional[CategoryKey] = Field(None, description="only this category")


class AgeQuery(Query):
    edges: Annotated[str, AfterValidator(_edges)] = Field(
        "1,3,7,30,90",
        validate_default=True,
        pattern=r"^[0-9]{1,5}(,[0-9]{1,5}){0,11}$",
        description="ages in campus days where a bucket ends and the next begins",
    )
    category: Optional[CategoryKey] = Field(None, description="only this category")


class EarlierWindow(BaseModel):
    count: int = Field(ge=0)
    since: str
    until: str


class UnclosedWindow(BaseModel):
    count: int = Field(ge=0)
    since: str
    until: Optional[str]
    previous: Optional[EarlierWindow] = Field(None, description="when `previous` was asked")


class MonthTotals(BaseModel):
    month: str = Field(pattern=MONTH)
    category: CategoryKey
    opened: int = Field(ge=0, description="tickets opened this month")
    closed: int = Field(ge=0, description="tickets closed this month, whenever opened")
    resolved: int = Field(ge=0, description="of the tickets opened this month, those closed")
    resolution_seconds: int = Field(ge=0, description="their opening-to-closing seconds, summed")
    responded: int = Field(ge=0, description="of those opened, those the helpdesk answered")
    response_seconds: int = Field(ge=0, description="their opening-to-first-answer seconds, summed")


class MonthTable(BaseModel):
    time_zone: str
    months: list[MonthTotals]


class MonthRatings(BaseModel):
    month: str = Field(pattern=MONTH)
    category: CategoryKey
    closed: int = Field(ge=0, description="tickets closed this month")
    rated: int = Field(ge=0, description="of those, the tickets their reporter rated")
    stars: list[int] = Field(
        min_length=5, max_length=5, description="how many ratings gave 1, 2, 3, 4 and 5 stars"
    )


class RatingTable(BaseModel):
    time_zone: str
    months: list[MonthRatings]


class DayTotals(BaseModel):
    day: date
    opened: int = Field(ge=0)
    closed: int = Field(ge=0)


class DayTable(BaseModel):
    time_zone: str
    backlog_before: int = Field(ge=0, description="tickets open or active as the range began")
    days: list[DayTotals]


class AgeBucket(BaseModel):
    min_age_days: int = Field(ge=0)
    max_age_days: Optional[int] = Field(description="exclusive; null for the last bucket")
    unclosed: int = Field(ge=0)


class AgeTable(BaseModel):
    time_zone: str
    today: date
    buckets: list[AgeBucket]


class HourCell(BaseModel):
    weekday: int = Field(ge=1, le=7, description="ISO weekday, 1 is Monday")
    hour: int = Field(ge=0, le=23)
    opened: int = Field(ge=0)


class HourTable(BaseModel):
    time_zone: str
    cells: list[HourCell]
