"""The analyses the page offers, the parameters each takes and their defaults, the page
address's query, and the view of each analysis's answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from components import analytics_backlog, analytics_speed, analytics_volume
from components.analytics_format import ViewContext

#: Groups of the services' query parameters, shown together on the page.
GROUPS = {
    "window": ("last", "unit"),
    "months": ("from_month", "to_month"),
    "days": ("from", "to"),
    "category": ("category",),
}
PARAMETER_NAMES = tuple(name for names in GROUPS.values() for name in names)


@dataclass(frozen=True)
class Analysis:
    """One analysis of a service: where it lives and which parameter groups it takes."""

    key: str
    service: str
    label: str
    groups: tuple[str, ...] = ()
    default_days: int = 0
    #: whether the range starts on a Monday (the service counts whole weeks)
    whole_weeks: bool = False

    @property
    def path(self) -> str:
        """The service's route of this analysis."""
        return "/" + self.key

    @property
    def parameters(self) -> tuple[str, ...]:
        """The service's query parameters of this analysis."""
        return tuple(name for group in self.groups for name in GROUPS[group])


ANALYSES = {
    a.key: a
    for a in (
        Analysis(
            "unclosed",
            "unclosed",
            "Unclosed tickets opened in the last X hours or days",
            ("window",),
        ),
        Analysis("backlog", "unclosed", "Backlog over time", ("days", "category"), 30),
        Analysis("backlog-age", "unclosed", "Age of today's backlog"),
        Analysis(
            "resolution-time", "resolution", "Average resolution time by opening month", ("months",)
        ),
        Analysis(
            "first-response",
            "resolution",
            "Average first response time by opening month",
            ("months",),
        ),
        Analysis(
            "satisfaction",
            "resolution",
            "Satisfaction by closing month and category",
            ("months",),
        ),
        Analysis("active-by-category", "by-category", "Active tickets per category"),
        Analysis(
            "weekly", "by-category", "Opened and closed per week", ("days", "category"), 84, True
        ),
        Analysis("category-months", "by-category", "Tickets per category per month", ("months",)),
        Analysis(
            "opening-hours",
            "by-category",
            "When tickets are opened: weekday and hour",
            ("days",),
            84,
        ),
    )
}
DEFAULT_ANALYSIS = "unclosed"
VIEWS = {**analytics_backlog.VIEWS, **analytics_speed.VIEWS, **analytics_volume.VIEWS}
MONTHS_SHOWN = 12


def default_values(key: str, today: date) -> dict:
    """Every parameter's starting value for an analysis, on this campus day."""
    analysis = ANALYSES.get(key) or ANALYSES[DEFAULT_ANALYSIS]
    back = today.year * 12 + today.month - MONTHS_SHOWN
    first_month = f"{back // 12:04d}-{back % 12 + 1:02d}"
    start = today - timedelta(days=(analysis.default_days or 30) - 1)
    if analysis.whole_weeks:  # the Monday on or after: exactly that many weeks, this one last
        start += timedelta(days=-start.weekday() % 7)
    return {
        "last": 7,
        "unit": "days",
        "from_month": first_month,
        "to_month": today.strftime("%Y-%m"),
        "from": start.isoformat(),
        "to": today.isoformat(),
        "category": "all",
    }


def from_query(query: dict, today: date) -> tuple[str, dict]:
    """The analysis a page address asks for and its parameters (defaults where it is silent)."""
    key = query.get("analysis")
    key = key if key in ANALYSES else DEFAULT_ANALYSIS
    values = default_values(key, today)
    for name in ANALYSES[key].parameters:
        if isinstance(query.get(name), str) and query[name].strip():
            values[name] = query[name].strip()
    return key, values


def analysis_params(key: str, values: dict) -> dict:
    """The query for the service: the analysis's own parameters that are set, as text."""
    params = {}
    for name in ANALYSES[key].parameters:
        value = values.get(name)
        if value in (None, "", "all"):
            continue
        params[name] = (
            str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        )
    return params


def page_search(key: str, params: dict) -> str:
    """The page address's query for an analysis and its parameters (to bookmark and share)."""
    return "?" + urlencode({"analysis": key, **params})


def csv_filename(key: str, params: dict) -> str:
    """The name of an analysis's CSV file: the analysis and its parameters."""
    words = "-".join([key, *params.values()])
    return "campusdesk-" + re.sub(r"[^A-Za-z0-9-]+", "-", words).strip("-") + ".csv"


def view(key: str, answer: dict, context: ViewContext) -> dict:
    """An answer as {"reading", "figure", "table"}; KeyError/TypeError/ValueError if malformed."""
    return VIEWS[key](answer, context)
