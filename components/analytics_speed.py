"""The speed service's analyses as views: a reading for people, a chart and a table."""

from __future__ import annotations

from components.analytics_format import (
    ViewContext,
    bars,
    count_cell,
    count_words,
    figure,
    hours_cell,
    month_words,
    months_range,
    row,
    table,
    tickets_href,
)


def resolution_reading(months: list[dict]) -> str:
    """The latest month's average time to close, rounded for people."""
    if not months:
        return "No ticket opened in these months has been closed yet."
    last = months[-1]
    return (
        f"Tickets opened in {month_words(last['month'])} took "
        f"{float(last['average_hours']):,.1f} hours on average to be closed "
        f"({count_words(int(last['closed_tickets']))})."
    )


def resolution_view(answer: dict, context: ViewContext) -> dict:
    """Average hours from opening to closing, by month of opening."""
    months = answer["months"]
    series = bars(
        [month_words(m["month"], short=True) for m in months],
        [m["average_hours"] for m in months],
        [tickets_href(m["tickets"]) for m in months],
        "Average hours to close",
        hover="%{x}: %{y:,.1f} hours on average (%{text} closed tickets)",
    )
    series.update(text=[f"{int(m['closed_tickets']):,}" for m in months], textposition="none")
    chart = figure([series], yaxis={"title": {"text": "Hours (average)"}}, showlegend=False)
    rows = [
        row(
            month_words(m["month"]),
            hours_cell(m["average_hours"], m["tickets"]),
            count_cell(m["closed_tickets"], m["tickets"]),
        )
        for m in months
    ]
    spec = table(
        f"Average resolution time of closed tickets by opening month, {months_range(months)}",
        ["Opening month", "Average hours to close", "Closed tickets"],
        rows,
        empty="No ticket opened in these months has been closed yet.",
    )
    return {"reading": resolution_reading(months), "figure": chart, "table": spec}


def first_response_reading(months: list[dict]) -> str:
    """The latest month's average time to a first answer, and how many wait for one."""
    if not months:
        return "No ticket was opened in these months."
    last = months[-1]
    opened, answered = int(last["opened"]), int(last["answered"])
    month = month_words(last["month"])
    if last.get("average_hours") is None:
        if not opened:
            return f"No ticket was opened in {month}."
        return f"None of the {count_words(opened)} opened in {month} has had an answer yet."
    return (
        f"Tickets opened in {month} got a first answer after "
        f"{float(last['average_hours']):,.1f} hours on average "
        f"({answered:,} of {opened:,} answered so far)."
    )


def _response_row(month: dict) -> dict:
    links = month["tickets"]
    return row(
        month_words(month["month"]),
        count_cell(month["opened"], links.get("opened")),
        count_cell(month["answered"], links.get("answered")),
        hours_cell(month.get("average_hours"), links.get("answered")),
        count_cell(month["unanswered"], links.get("unanswered")),
        count_cell(month["still_open"], links.get("still_open")),
    )


def first_response_view(answer: dict, context: ViewContext) -> dict:
    """Average hours from opening to the helpdesk's first message, by month of opening."""
    months = answer["months"]
    series = bars(
        [month_words(m["month"], short=True) for m in months],
        [m.get("average_hours") for m in months],
        [tickets_href(m["tickets"]["answered"]) for m in months],
        "Average hours to a first answer",
        hover="%{x}: %{y:,.1f} hours on average (%{text} answered tickets)",
    )
    series.update(text=[f"{int(m['answered']):,}" for m in months], textposition="none")
    chart = figure([series], yaxis={"title": {"text": "Hours (average)"}}, showlegend=False)
    spec = table(
        f"First response time by opening month, {months_range(months)}",
        [
            "Opening month",
            "Opened",
            "Answered",
            "Average hours to a first answer",
            "Not answered yet",
            "Still open or active",
        ],
        [_response_row(m) for m in months],
        empty="No ticket was opened in these months.",
    )
    return {"reading": first_response_reading(months), "figure": chart, "table": spec}


VIEWS = {"resolution-time": resolution_view, "first-response": first_response_view}
