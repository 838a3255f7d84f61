"""Query values the API and the services both take: campus months and days, and the limits
of a range of them."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

MONTH = r"^(19[7-9][0-9]|[2-8][0-9]{3})-(0[1-9]|1[0-2])$"  # 1970-01 to 8999-12
DATE = r"^(19[7-9][0-9]|[2-8][0-9]{3})-[0-9]{2}-[0-9]{2}$"  # 1970 to 8999
MAX_DAYS = 3660  # ten years of days in one answer
MAX_MONTHS = 120  # and of months


def _iso_date(value):
    if not isinstance(value, str) or not re.match(DATE, value):
        raise ValueError("must be a date YYYY-MM-DD from 1970 on")
    return value


#: A campus date written YYYY-MM-DD (never a number read as a timestamp).
Day = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE}),
]


def month_count(first: str, last: str) -> int:
    """How many months from ``first`` to ``last`` (``YYYY-MM``), both included."""
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    return (y2 - y1) * 12 + m2 - m1 + 1
