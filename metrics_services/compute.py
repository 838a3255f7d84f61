"""The services' pure computations: windows, running backlogs, weeks, age buckets, and the
ticket-list filters that select exactly the tickets behind a number."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from kit.campus_time import iso_instant, local_midnight, next_month, parse_month, week_start

UNIT_SECONDS = {"hours": 3600, "days": 86400}
UTC = ZoneInfo("UTC")
UNCLOSED = "open,active"


def utc_iso(epoch: int) -> str:
    """An instant as ISO 8601 in UTC."""
    return iso_instant(epoch, UTC)


def tickets(zone: ZoneInfo | None = None, **filters) -> dict[str, str]:
    """Filters of ``GET /api/tickets`` (the API's own names); instants given as epoch
    seconds are written as ISO 8601 in the campus zone (UTC without one), ``None`` values
    left out. A range of closing (or else opening) instants lists its tickets by that
    instant, newest first, unless a sort is given."""
    zone = zone or UTC
    out = {}
    given = {name for name, value in filters.items() if value is not None}
    for column in ("closed_at", "opened_at"):
        prefix = column.removesuffix("_at")
        if "sort" not in given and {f"{prefix}_after", f"{prefix}_before"} & given:
            # listed newest first by the column of their range: the database reads the page
            # from that column's index, where by last change it would sort the whole range
            filters = {**filters, "sort": f"-{column}"}
            break
    for name, value in filters.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, int) and name not in ("opened_weekday", "opened_hour"):
            out[name] = iso_instant(value, zone)
        else:
            out[name] = str(value)
    return out


def window(now: int, last: int, unit: str) -> tuple[int, int, int]:
    """(start of the previous window, start of this window, now) for the last X hours/days."""
    length = last * UNIT_SECONDS[unit]
    return now - 2 * length, now - length, now


def day_bounds(day: date, zone: ZoneInfo) -> tuple[int, int]:
    """The first instant of a campus day and of the next."""
    return local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)


def week_bounds(monday: date, zone: ZoneInfo) -> tuple[int, int]:
    """The first instant of a campus week and of the next."""
    return local_midnight(monday, zone), local_midnight(monday + timedelta(days=7), zone)


def month_bounds(month: str, zone: ZoneInfo) -> tuple[int, int]:
    """The first instant of a campus month and of the next."""
    first = parse_month(month)
    return local_midnight(first, zone), local_midnight(next_month(first), zone)


def running_backlog(before: int, days: list[dict]) -> list[tuple[dict, int]]:
    """Each day with the tickets still open or active at its end."""
    out, backlog = [], before
    for day in days:
        backlog += day["opened"] - day["closed"]
        out.append((day, backlog))
    return out


def whole_weeks(start: date, end: date) -> tuple[date, date]:
    """The range widened to whole weeks, Monday to Sunday."""
    return week_start(start), week_start(end) + timedelta(days=6)


def weekly(days: list[dict]) -> list[dict]:
    """Per-day counts summed per week (the days start on a Monday, in whole weeks)."""
    weeks: dict[str, dict] = {}
    for day in days:
        key = week_start(date.fromisoformat(day["day"])).isoformat()
        totals = weeks.setdefault(key, {"week": key, "opened": 0, "closed": 0})
        totals["opened"] += day["opened"]
        totals["closed"] += day["closed"]
    return list(weeks.values())


def age_label(low: int, high: int | None) -> str:
    """An age bucket in words: 'Opened today', '3 to 6 days', '90 days or more'."""
    if high is None:
        return f"{low} days or more"
    if low == 0 and high == 1:
        return "Opened today"
    if high - low == 1:
        return f"{low} day" + ("s" if low != 1 else "")
    return f"{low} to {high - 1} days"


def age_filters(today: date, low: int, high: int | None, zone: ZoneInfo) -> dict[str, str]:
    """The open and active tickets opened between ``high - 1`` and ``low`` days ago."""
    opened_before = local_midnight(today - timedelta(days=low - 1), zone)
    opened_after = None if high is None else local_midnight(today - timedelta(days=high - 1), zone)
    return tickets(zone, status=UNCLOSED, opened_after=opened_after, opened_before=opened_before)
