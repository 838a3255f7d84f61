"""The statistics the analytics services ask for, read from the totals that triggers keep
(rollups.py): each costs what the days or months it covers cost, not the tickets ever filed."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from kit.campus_time import (
    day_date,
    day_number,
    local_date,
    month_key,
    months_between,
    next_month,
    parse_month,
)
from kit.query_types import MAX_MONTHS
from ticket_api.db import database
from ticket_api.models import CATEGORY_KEYS, STATUSES
from ticket_api.rollups import DAY_COLUMNS
from ticket_api.timefields import to_epoch, utcnow


def _category(category: str | None, params: list) -> str:
    if category is None:
        return ""
    params.append(category)
    return f" AND category = {database.obj.param}"


def status_counts(visible: tuple[str, ...]) -> dict[str, int]:
    """Tickets per status (statuses the role cannot see count 0)."""
    counts = dict.fromkeys(STATUSES, 0)
    rows = database.execute_sql("SELECT status, SUM(tickets) FROM ticket_tally GROUP BY status")
    counts.update({status: int(n) for status, n in rows.fetchall() if status in visible})
    return counts


def active_by_category() -> dict[str, int]:
    """Active tickets per category."""
    rows = database.execute_sql(
        "SELECT category, tickets FROM ticket_tally WHERE status = 'active'"
    ).fetchall()
    return {category: int(n) for category, n in rows}


def unclosed(since: int, until: int | None) -> int:
    """Tickets opened in [since, until) that are open or active (an index range count)."""
    p = database.obj.param
    sql = f"SELECT COUNT(*) FROM ticket WHERE status IN ('open', 'active') AND opened_at >= {p}"
    params = [since]
    if until is not None:
        sql += f" AND opened_at < {p}"
        params.append(until)
    return int(database.execute_sql(sql, params).fetchone()[0])


def _day_span() -> tuple[int, int] | None:
    low, high = database.execute_sql(
        "SELECT MIN(day), MAX(day) FROM ticket_day WHERE opened > 0 OR closed > 0"
    ).fetchone()
    return None if low is None else (int(low), int(high))


def month_span(first: str | None, last: str | None, zone: ZoneInfo) -> list[str]:
    """The months asked for; unbounded ends stop at the first month with tickets and at the
    current month."""
    span = _day_span()
    if span is None and not (first and last):
        return []
    today = month_key(local_date(to_epoch(utcnow()), zone))
    last = last or max(today, month_key(day_date(span[1])))
    months = months_between(first or month_key(day_date(span[0])), last)
    return months[-MAX_MONTHS:] if first is None else months


def _by_month(months: list[str], category: str | None) -> tuple[str, str, list]:
    """For totals kept per campus day: the CASE naming each day's month, the WHERE of the
    months' days (and category), and their parameters, in that order."""
    p = database.obj.param
    start = day_number(parse_month(months[0]))
    stop = day_number(next_month(parse_month(months[-1])))
    edges = [day_number(next_month(parse_month(m))) for m in months]
    cases = " ".join(f"WHEN day < {p} THEN {p}" for _ in months)
    params = [v for edge, m in zip(edges, months) for v in (edge, m)] + [start, stop]
    where = f"day >= {p} AND day < {p}" + _category(category, params)
    return cases, where, params


def month_totals(months: list[str], category: str | None) -> list[dict]:
    """Every total per month and category, zeros included, oldest first."""
    if not months:
        return []
    cases, where, params = _by_month(months, category)
    sums = ", ".join(f"SUM({c})" for c in DAY_COLUMNS)
    rows = database.execute_sql(
        f"SELECT CASE {cases} END AS month, category, {sums} FROM ticket_day "
        f"WHERE {where} GROUP BY 1, 2",
        params,
    ).fetchall()
    found = {(m, c): [int(v) for v in values] for m, c, *values in rows}
    keys = [category] if category else CATEGORY_KEYS
    return [
        {"month": m, "category": c, **dict(zip(DAY_COLUMNS, found.get((m, c), [0] * 6)))}
        for m in months
        for c in keys
    ]


def resolution_months(first: str | None, last: str | None, zone, category=None) -> list[dict]:
    """SPEC section 5: average resolution hours by month of opening, months with closed
    tickets only."""
    span = _day_span()
    if span is None:
        return []
    first = max(first or "0000-00", month_key(day_date(span[0])))
    last = min(last or "9999-99", month_key(day_date(span[1])))
    if first > last:
        return []
    out: dict[str, list[int]] = {}
    for row in month_totals(months_between(first, last), category):
        total = out.setdefault(row["month"], [0, 0])
        total[0] += row["resolved"]
        total[1] += row["resolution_seconds"]
    return [
        {"month": m, "average_hours": seconds / count / 3600, "closed_tickets": count}
        for m, (count, seconds) in out.items()
        if count
    ]


def satisfaction(months: list[str], zone: ZoneInfo, category: str | None) -> list[dict]:
    """Per campus month of closing and category: the tickets closed, how many of them their
    reporter rated, and the ratings with each number of stars (1 to 5), zeros included; read
    from the rating totals (schema step 14) and the day totals, like every analysis."""
    if not months:
        return []
    cases, where, params = _by_month(months, category)
    rows = database.execute_sql(
        f"SELECT CASE {cases} END AS month, category, stars, SUM(ratings) FROM rating_day "
        f"WHERE {where} GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    found: dict[tuple[str, str], list[int]] = {}
    for month, key, stars, count in rows:
        found.setdefault((month, key), [0] * 5)[int(stars) - 1] += int(count)
    return [
        {
            "month": total["month"],
            "category": total["category"],
            "closed": total["closed"],
            "rated": sum(counts),
            "stars": counts,
        }
        for total in month_totals(months, category)
        for counts in [found.get((total["month"], total["category"]), [0] * 5)]
    ]


def day_totals(start: date, end: date, category: str | None) -> tuple[int, list[dict]]:
    """Tickets open or active as ``start`` began, and per day opened and closed."""
    p = database.obj.param
    first, last = day_number(start), day_number(end)
    params: list = [first]
    before = database.execute_sql(
        f"SELECT COALESCE(SUM(opened - closed), 0) FROM ticket_day WHERE day < {p}"
        + _category(category, params),
        params,
    ).fetchone()[0]
    params = [first, last]
    rows = database.execute_sql(
        f"SELECT day, SUM(opened), SUM(closed) FROM ticket_day WHERE day >= {p} AND day <= {p}"
        + _category(category, params)
        + " GROUP BY day",
        params,
    ).fetchall()
    found = {int(d): (int(o), int(c)) for d, o, c in rows}
    days = [
        {
            "day": day_date(n).isoformat(),
            "opened": found.get(n, (0, 0))[0],
            "closed": found.get(n, (0, 0))[1],
        }
        for n in range(first, last + 1)
    ]
    return int(before), days


def unclosed_by_age(edges: list[int], zone: ZoneInfo, category: str | None):
    """Today's campus date and the open or active tickets per age bucket (campus days since
    the day of opening: [0, e1), [e1, e2), ... [en, on))."""
    today = day_number(local_date(to_epoch(utcnow()), zone))
    p = database.obj.param
    cases = " ".join(f"WHEN day > {p} THEN {p}" for _ in edges)
    params: list = [v for i, e in enumerate(edges) for v in (today - e, i)] + [len(edges)]
    rows = database.execute_sql(
        f"SELECT CASE {cases} ELSE {p} END AS bucket, SUM(opened - resolved) FROM ticket_day "
        "WHERE 1 = 1" + _category(category, params) + " GROUP BY 1",
        params,
    ).fetchall()
    found = {int(b): int(n) for b, n in rows}
    bounds = [0, *edges, None]
    buckets = [
        {"min_age_days": bounds[i], "max_age_days": bounds[i + 1], "unclosed": found.get(i, 0)}
        for i in range(len(edges) + 1)
    ]
    return day_date(today), buckets


def opening_hours(start: date, end: date) -> list[dict]:
    """Tickets opened per ISO weekday and campus hour over the days asked, all 168 cells."""
    p = database.obj.param
    rows = database.execute_sql(
        "SELECT day + 3 - (day + 3) / 7 * 7 AS weekday, hour, SUM(opened) FROM ticket_hour "
        f"WHERE day >= {p} AND day <= {p} GROUP BY 1, 2",
        [day_number(start), day_number(end)],
    ).fetchall()
    found = {(int(w) + 1, int(h)): int(n) for w, h, n in rows}
    return [
        {"weekday": w, "hour": h, "opened": found.get((w, h), 0)}
        for w in range(1, 8)
        for h in range(24)
    ]
