"""What every analytics view shares: links to the tickets behind a number, table cells, the
accessible table and its CSV, words for months, days and counts, and the look of the charts."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from urllib.parse import urlencode

import dash
from dash import dcc, html

from components.common import format_day

TABLE = "analytics-table"
ACCENT = "#1d4ed8"
SECOND = "#b45309"
MUTED = "#64748b"
#: One colour per category, in the API's order of categories.
SERIES = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class ViewContext:
    """What a view needs besides the answer: campus zone and day, category labels, the query."""

    zone: tzinfo | None = None
    today: date | None = None
    categories: dict[str, str] = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def category(self, key: str | None, fallback: str = "") -> str:
        """The API's label of a category (the service's or the key while the API cannot say)."""
        return self.categories.get(key or "", fallback or key or "")

    def category_prefix(self) -> str:
        """The chosen category's label and a space, to put before "tickets"; or nothing."""
        key = self.params.get("category")
        return f"{self.category(key)} " if key else ""


def tickets_href(filters: dict) -> str:
    """The helpdesk board's address listing exactly the tickets these list filters select."""
    return dash.get_relative_path("/helpdesk") + "?" + urlencode(filters)


def count_cell(value, filters: dict | None) -> dict:
    """A count: shown with separators, plain in the CSV, linked to its tickets when known."""
    number = int(value or 0)
    href = tickets_href(filters) if filters is not None else None
    return {"text": f"{number:,}", "csv": str(number), "href": href, "number": True}


def hours_cell(value, filters: dict | None) -> dict:
    """Hours rounded to one decimal for people (the services do not round), linked."""
    if value is None:
        return {"text": "—", "csv": "", "href": None, "number": True}
    href = tickets_href(filters) if filters is not None else None
    text = f"{float(value):,.1f}"
    return {"text": text, "csv": f"{float(value):.1f}", "href": href, "number": True}


def text_cell(text: str) -> dict:
    """A cell that is not a number (a time, a label)."""
    return {"text": text, "csv": text, "href": None, "number": False}


def table(caption: str, columns: list[str], rows: list[dict], empty: str = "") -> dict:
    """A table of a view: rows are {"header": row label, "cells": [cell, ...]}."""
    return {"caption": caption, "columns": columns, "rows": rows, "empty": empty}


def row(header: str, *cells: dict) -> dict:
    """One table row: its label, then its cells."""
    return {"header": header, "cells": list(cells)}


def _cell(cell: dict):
    if cell.get("href"):
        return dcc.Link(cell["text"], href=cell["href"], className="number-link")
    return cell["text"]


def _numeric_columns(spec: dict) -> list[bool]:
    rows = spec["rows"]
    return [False] + [
        all(r["cells"][i].get("number") for r in rows) if rows else True
        for i in range(len(spec["columns"]) - 1)
    ]


def data_table(spec: dict) -> html.Div:
    """The numbers as an accessible table (caption, headers with scope); it scrolls sideways."""
    align = ["text-end" if numeric else "" for numeric in _numeric_columns(spec)]
    head = html.Thead(
        html.Tr([html.Th(n, scope="col", className=a) for n, a in zip(spec["columns"], align)])
    )
    body = [
        html.Tr(
            [html.Th(r["header"], scope="row")]
            + [html.Td(_cell(c), className=a) for c, a in zip(r["cells"], align[1:])]
        )
        for r in spec["rows"]
    ]
    if not body:
        body = [html.Tr(html.Td(spec.get("empty") or "No data.", colSpan=len(spec["columns"])))]
    return html.Div(
        html.Table(
            [html.Caption(spec["caption"], className="caption-top"), head, html.Tbody(body)],
            id=TABLE,
            className="table table-sm table-hover align-middle analytics-table mb-0",
        ),
        className="table-responsive analytics-table-wrap",
        tabIndex=0,
        role="region",
        **{"aria-label": f"Table: {spec['caption']}"},
    )


def csv_rows(spec: dict) -> list[list[str]]:
    """The table as CSV rows: the header row, then each row's label and numbers as shown."""
    return [list(spec["columns"])] + [
        [r["header"], *(c["csv"] for c in r["cells"])] for r in spec["rows"]
    ]


def csv_cell(value) -> str:
    """A cell's CSV text that no spreadsheet runs: text that could start a formula gets a
    leading quote; plain numbers, negative ones included, stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: list[list[str]]) -> str:
    """CSV rows as text (RFC 4180: commas, quotes where needed, CRLF line ends), every cell
    neutralised (labels come from the API and may hold anything)."""
    out = io.StringIO()
    csv.writer(out).writerows([csv_cell(value) for value in r] for r in rows)
    return out.getvalue()


def count_words(number: int, noun: str = "ticket") -> str:
    """'1 ticket', '1,234 tickets'."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def month_words(month: str, short: bool = False) -> str:
    """'2026-03' as 'March 2026' (or 'Mar 2026')."""
    first = datetime.strptime(month, "%Y-%m")
    return first.strftime("%b %Y" if short else "%B %Y")


def months_range(months: list[dict]) -> str:
    """The months of an answer in words: 'March 2026', 'June 2025 to March 2026'."""
    if not months:
        return "no months"
    first, last = month_words(months[0]["month"]), month_words(months[-1]["month"])
    return first if first == last else f"{first} to {last}"


def day_words(day: str) -> str:
    """'2026-11-30' as '30 Nov 2026'."""
    return format_day(datetime.strptime(day, "%Y-%m-%d"))


def difference_words(now: int, before: int, than: str) -> str:
    """'5 more than …', '2 fewer than …' or 'as many as …'."""
    if now > before:
        return f"{now - before:,} more than {than}"
    if now < before:
        return f"{before - now:,} fewer than {than}"
    return f"as many as {than}"


def figure(data: list[dict], xaxis: dict | None = None, yaxis: dict | None = None, **extra):
    """A plotly figure (as a dict) in the dashboard's look: no zooming, room for labels."""
    return {
        "data": data,
        "layout": {
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
            "font": {"family": FONT, "size": 13, "color": "#1f2937"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "dragmode": False,
            "hoverlabel": {"font": {"family": FONT}},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {"fixedrange": True, "automargin": True, **(xaxis or {})},
            "yaxis": {
                "fixedrange": True,
                "automargin": True,
                "rangemode": "tozero",
                "gridcolor": "#e5e7eb",
                **(yaxis or {}),
            },
            **extra,
        },
    }


def count_axis(values: list, title: str) -> dict:
    """A y axis of counts: whole numbers only, even when every count is small."""
    axis = {"title": {"text": title}, "tickformat": ",d"}
    if max([int(v or 0) for v in values] or [0]) <= 5:
        axis["dtick"] = 1
    return axis


def bars(x: list, y: list, hrefs: list, name: str, colour=ACCENT, hover: str = "") -> dict:
    """One series of bars; a click on a bar opens its tickets (customdata holds the link)."""
    return {
        "type": "bar",
        "name": name,
        "x": x,
        "y": y,
        "customdata": hrefs,
        "marker": {"color": colour},
        "hovertemplate": (hover or "%{x}: %{y:,}") + "<extra></extra>",
    }
