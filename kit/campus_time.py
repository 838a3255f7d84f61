"""Campus days, weeks and months as instants: the calendar every analysis counts in.

A *day number* is the number of days from 1970-01-01 to a local calendar date; it does not
depend on the time zone, so the database stores and groups by it with integer arithmetic.
Only the step from an instant to its local date needs the zone, and that is what
:func:`utc_offsets` gives the database: every change of the zone's offset from UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

EPOCH_DATE = date(1970, 1, 1)
FIRST_OFFSET_START = -(2**62)  # the offset row that applies before any transition
_SCAN_FROM = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SCAN_TO = datetime(2101, 1, 1, tzinfo=timezone.utc)
_STEP = timedelta(hours=6)  # no zone changes its offset twice within six hours


def day_number(value: date) -> int:
    """Days from 1970-01-01 to ``value``."""
    return value.toordinal() - EPOCH_DATE.toordinal()


def day_date(number: int) -> date:
    """The date of a day number."""
    return date.fromordinal(EPOCH_DATE.toordinal() + number)


def local_midnight(value: date, zone: ZoneInfo) -> int:
    """Epoch seconds of the first instant of ``value`` in ``zone``, daylight saving
    included. Where clocks jump over midnight, the earlier offset maps midnight onto the
    jump itself: the first instant that exists on that date."""
    return int(datetime(value.year, value.month, value.day, tzinfo=zone).timestamp())


def local_date(epoch: int, zone: ZoneInfo) -> date:
    """The campus date of an instant."""
    return datetime.fromtimestamp(epoch, timezone.utc).astimezone(zone).date()


def iso_instant(epoch: int, zone: ZoneInfo) -> str:
    """An instant as ISO 8601 with the campus offset, as filters take it."""
    return datetime.fromtimestamp(epoch, timezone.utc).astimezone(zone).isoformat()


def month_key(value: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{value.year:04d}-{value.month:02d}"


def parse_month(key: str) -> date:
    """The first day of a ``YYYY-MM`` month."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def next_month(first: date) -> date:
    """The first day of the month after the one ``first`` starts."""
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    out, current, stop = [], parse_month(first), parse_month(last)
    while current <= stop:
        out.append(month_key(current))
        current = next_month(current)
    return out


def week_start(value: date) -> date:
    """The Monday of the week of ``value`` (weeks run Monday to Sunday)."""
    return value - timedelta(days=value.weekday())


def utc_offsets(zone: ZoneInfo) -> list[tuple[int, int]]:
    """``(starts, offset_seconds)`` for every offset ``zone`` has from 1970 to 2100, the
    first one starting before any instant; the local time of ``t`` is ``t + offset`` of the
    last row that starts at or before ``t``."""

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(zone).utcoffset().total_seconds())

    rows = [(FIRST_OFFSET_START, offset(_SCAN_FROM))]
    moment = _SCAN_FROM
    while moment < _SCAN_TO:
        following = moment + _STEP
        if offset(following) != rows[-1][1]:
            low, high = int(moment.timestamp()), int(following.timestamp())
            while high - low > 1:  # the first second of the new offset
                middle = (low + high) // 2
                if offset(datetime.fromtimestamp(middle, timezone.utc)) == rows[-1][1]:
                    low = middle
                else:
                    high = middle
            rows.append((high, offset(following)))
        moment = following
    return rows
