"""Every analysis computed the slow, obvious way: one ticket at a time, in Python, with the
time zone library; the tests compare the API's answers with these."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

CATEGORIES = ("facility", "it", "services")


@dataclass
class Row:
    """A ticket as the analyses see it (epoch seconds)."""

    category: str
    opened: int
    closed: int | None = None
    answered: int | None = None
    active: bool = False
    stars: int | None = None  # the reporter's rating, of a closed ticket

    @property
    def status(self) -> str:
        if self.closed is not None:
            return "closed"
        return "active" if self.active else "open"


def local(epoch: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc).astimezone(zone)


def month(epoch: int, zone: ZoneInfo) -> str:
    return local(epoch, zone).strftime("%Y-%m")


def unclosed(rows: list[Row], since: int, until: int | None) -> int:
    return sum(
        1
        for r in rows
        if r.closed is None and r.opened >= since and (until is None or r.opened < until)
    )


def resolution(rows: list[Row], zone: ZoneInfo) -> dict[str, tuple[int, float]]:
    """month -> (closed tickets, average hours)."""
    seconds: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.closed is not None:
            seconds[month(r.opened, zone)].append(r.closed - r.opened)
    return {m: (len(v), sum(v) / len(v) / 3600) for m, v in sorted(seconds.items())}


def month_totals(rows: list[Row], zone: ZoneInfo) -> dict[tuple[str, str], dict]:
    """(month, category) -> every total of /api/stats/months."""
    out: dict = defaultdict(Counter)
    for r in rows:
        key = (month(r.opened, zone), r.category)
        out[key]["opened"] += 1
        if r.closed is not None:
            out[(month(r.closed, zone), r.category)]["closed"] += 1
            out[key]["resolved"] += 1
            out[key]["resolution_seconds"] += r.closed - r.opened
        if r.answered is not None:
            out[key]["responded"] += 1
            out[key]["response_seconds"] += r.answered - r.opened
    return out


def satisfaction(rows: list[Row], zone: ZoneInfo) -> dict[tuple[str, str], list[int]]:
    """(month of closing, category) -> [tickets closed, ratings of 1, 2, 3, 4, 5 stars]."""
    out: dict = defaultdict(lambda: [0] * 6)
    for r in rows:
        if r.closed is not None:
            counts = out[(month(r.closed, zone), r.category)]
            counts[0] += 1
            if r.stars is not None:
                counts[r.stars] += 1
    return out


def days(rows: list[Row], zone: ZoneInfo, start: date, end: date, category=None):
    """(open or active as start began, {date: (opened, closed)})."""
    rows = [r for r in rows if category in (None, r.category)]
    before = sum(
        1
        for r in rows
        if local(r.opened, zone).date() < start
        and (r.closed is None or local(r.closed, zone).date() >= start)
    )
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        opened_on = local(r.opened, zone).date()
        if start <= opened_on <= end:
            per_day[opened_on][0] += 1
        if r.closed is not None:
            closed_on = local(r.closed, zone).date()
            if start <= closed_on <= end:
                per_day[closed_on][1] += 1
    return before, {d: tuple(v) for d, v in per_day.items()}


def ages(rows: list[Row], zone: ZoneInfo, today: date, edges: list[int]) -> list[int]:
    counts = [0] * (len(edges) + 1)
    for r in rows:
        if r.closed is None:
            age = (today - local(r.opened, zone).date()).days
            counts[sum(1 for e in edges if age >= e)] += 1
    return counts


def opening_hours(rows: list[Row], zone: ZoneInfo, start: date, end: date) -> Counter:
    cells: Counter = Counter()
    for r in rows:
        moment = local(r.opened, zone)
        if start <= moment.date() <= end:
            cells[(moment.isoweekday(), moment.hour)] += 1
    return cells


def open_at(rows: list[Row], instant: int) -> list[int]:
    """Indexes of the rows open or active at an instant."""
    return [
        i
        for i, r in enumerate(rows)
        if r.opened < instant and (r.closed is None or r.closed >= instant)
    ]
