"""Filters that a link to the board carries beyond its controls, in people's words."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import dash_bootstrap_components as dbc
from dash import html

from components.common import format_day, icon, joined, parse_time

LINK_STORE = "helpdesk-link"
LINK_SUMMARY = "helpdesk-link-filters"
CHIP_REMOVE = "helpdesk-filter-remove"
CLEAR_FILTERS = "helpdesk-clear-filters"
MATCHES = "helpdesk-matches"
IGNORED = "helpdesk-ignored"
CAMPUS_TIME = "(campus time)"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
YES = {"true", "1", "yes", "on", "t", "y"}
NO = {"false", "0", "no", "off", "f", "n"}


#: Parameters whose name alone would not say what they mean.
NAMES = {"to_check": "category to be checked"}


def name_words(name: str) -> str:
    """A parameter name read aloud: 'open_at' -> 'Open at'."""
    return NAMES.get(name, name.replace("_", " ")).strip().capitalize()


def plain_words(name: str, value) -> str:
    """Any filter as 'Name: value' (several values separated by commas)."""
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{name_words(name)}: {shown}"


def labelled_words(name: str, value, labels: dict[str, str]) -> str:
    """Keys with their labels, in the API's order: 'Category: Technical IT or Services'."""
    if not isinstance(value, str):
        return plain_words(name, value)
    order = {key: n for n, key in enumerate(labels)}
    keys = sorted(value.split(","), key=lambda key: order.get(key, len(order)))
    return f"{name_words(name)}: {joined(keys, labels, 'or')}"


def flag_words(name: str, value) -> str:
    """A yes/no filter: 'Answered' or 'Not answered'."""
    said = str(value).strip().lower()
    if said in YES:
        return name_words(name)
    if said in NO:
        return f"Not {name_words(name).lower()}"
    return plain_words(name, value)


def _number(value, low: int, high: int) -> int | None:
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def weekday_words(event: str, value) -> str | None:
    """'Opened on a Wednesday (campus time)' for an ISO weekday (1 is Monday); None if not one."""
    day = _number(value, 1, 7)
    return None if day is None else f"{name_words(event)} on a {WEEKDAYS[day - 1]} {CAMPUS_TIME}"


def hour_words(event: str, value) -> str | None:
    """'Opened between 14:00 and 15:00 (campus time)' for an hour of the day; None if not one."""
    hour = _number(value, 0, 23)
    if hour is None:
        return None
    return f"{name_words(event)} between {hour:02d}:00 and {hour + 1:02d}:00 {CAMPUS_TIME}"


def campus_moment(value, zone) -> datetime | None:
    """An ISO 8601 instant with its offset, in the campus time zone; None if it is not one."""
    moment = parse_time(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(zone)


def _clock(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M").lstrip("0")


def range_words(event: str, after, before, zone) -> str | None:
    """'Opened from 1 Mar 2026 to 31 Mar 2026 (campus time)' for the bounds of a time range.

    `after` is included and `before` is not, so a range of whole days ends on the day before
    `before`. None when a bound given is not an instant.
    """
    start, end = campus_moment(after, zone), campus_moment(before, zone)
    if (after is not None and start is None) or (before is not None and end is None):
        return None
    whole_days = all(m is None or m.time() == time(0) for m in (start, end))
    show = format_day if whole_days else _clock
    what = name_words(event)
    if start and end and whole_days and end > start:
        text = f"{what} from {show(start)} to {show(end - timedelta(days=1))}"
    elif start and end:
        text = f"{what} from {show(start)} until {show(end)}"
    elif start:
        text = f"{what} on or after {show(start)}"
    else:
        text = f"{what} before {show(end)}"
    return f"{text} {CAMPUS_TIME}"


def moment_words(name: str, value, zone) -> str:
    """A filter at one instant: 'Open at 15 Mar 2026, 12:00 (campus time)'."""
    moment = campus_moment(value, zone)
    if moment is None:
        return plain_words(name, value)
    return f"{name_words(name)} {_clock(moment)} {CAMPUS_TIME}"


def filter_chip(chip: dict) -> html.Li:
    """One filter of the link, with a button that removes it."""
    return html.Li(
        html.Span(
            [
                html.Span(chip["text"]),
                html.Button(
                    "×",
                    id={"type": CHIP_REMOVE, "index": chip["id"]},
                    type="button",
                    title="Remove this filter",
                    className="btn btn-sm chip-remove ms-1",
                    **{"aria-label": f"Remove filter: {chip['text']}"},
                ),
            ],
            className="filter-chip d-inline-flex align-items-center rounded-pill border bg-light",
        )
    )


def summary_items(chips: list[dict]) -> list:
    """The link's other filters as removable chips and a way to clear every filter."""
    if not chips:
        return []
    return [
        html.Span("Also filtered by:", id=f"{LINK_SUMMARY}-label", className="small fw-semibold"),
        html.Ul(
            [filter_chip(chip) for chip in chips],
            className="list-unstyled d-flex flex-wrap gap-2 mb-0",
            **{"aria-labelledby": f"{LINK_SUMMARY}-label"},
        ),
        dbc.Button("Clear all filters", id=CLEAR_FILTERS, color="link", size="sm"),
    ]


def filter_summary(chips: list[dict]) -> html.Div:
    """The place above the grid where the link's other filters are listed."""
    return html.Div(
        summary_items(chips),
        id=LINK_SUMMARY,
        className="d-flex flex-wrap align-items-center gap-2 mb-3 link-filters",
    )


def ignored_notice(names: list[str]) -> html.P | None:
    """Which parameters of the link were left out, because the ticket list has no such filter."""
    if not names:
        return None
    return html.P(
        [
            icon("bi-info-circle", "me-1"),
            f"Ignored from the link: {', '.join(names)} (not filters of the ticket list).",
        ],
        id=IGNORED,
        className="small text-body-secondary mb-2",
    )


def match_line(total: int | None, filtered: bool, exact: bool = True) -> str:
    """How many tickets the filters let through, as the API counted them."""
    if total is None:
        return ""
    if not exact:
        return f"More than {total:,} tickets match these filters; narrow them to count them all."
    noun = "ticket matches" if total == 1 else "tickets match"
    if filtered:
        return f"{total:,} {noun} these filters."
    return f"Showing all {total:,} tickets."


def match_area() -> html.P:
    """The line that says how many tickets match (filled by the grid's callback)."""
    return html.P(id=MATCHES, className="small fw-semibold mb-2", **{"aria-live": "polite"})
