"""Calendar months of a time zone as instants: lets the database group by local month
with plain integer comparisons, identically on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ticket_api.timefields import to_epoch


def month_key(moment: datetime, zone: ZoneInfo) -> str:
    """``YYYY-MM`` of the month that ``moment`` falls in, in ``zone``."""
    return moment.astimezone(zone).strftime("%Y-%m")


def parse_month(key: str) -> tuple[int, int]:
    """``"2026-03"`` -> ``(2026, 3)``."""
    year, month = key.split("-")
    return int(year), int(month)


def next_month(year: int, month: int) -> tuple[int, int]:
    """The month after."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_bounds(first: str, last: str, zone: ZoneInfo) -> list[tuple[str, int, int]]:
    """``(key, start, end)`` in epoch seconds for every month from ``first`` to ``last``
    inclusive; each month starts at local midnight of its first day (DST included)."""
    out = []
    year, month = parse_month(first)
    stop = parse_month(last)
    while (year, month) <= stop:
        start = to_epoch(datetime(year, month, 1, tzinfo=zone))
        ny, nm = next_month(year, month)
        end = to_epoch(datetime(ny, nm, 1, tzinfo=zone))
        out.append((f"{year:04d}-{month:02d}", start, end))
        year, month = ny, nm
    return out
