"""The speed service's analyses as views: a reading for people, a chart and a table."""

from __future__ import annotations

from components.analytics_format import (
    ViewContext,
    bars,
    count_axis,
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

#: One colour per number of stars, from one (red) to five (blue).
STAR_COLOURS = ("#be123c", "#c2410c", "#a16207", "#0f766e", "#1d4ed8")


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


def stars_words(average) -> str:
    """An average rating for people: '4.2 stars'."""
    return f"{float(average):.1f} stars"


def satisfaction_reading(months: list[dict]) -> str:
    """The average rating of the latest month with closed tickets, and how many of them
    were rated."""
    last = next((m for m in reversed(months) if int(m["closed"])), None)
    if last is None:
        return "No ticket was closed in these months."
    closed, rated = int(last["closed"]), int(last["rated"])
    month = month_words(last["month"])
    if not rated:
        return f"None of the {count_words(closed)} closed in {month} has been rated yet."
    if closed == rated == 1:
        return (
            f"The one ticket closed in {month} was rated "
            f"{stars_words(last['average_stars'])} out of 5."
        )
    return (
        f"The reporters of {count_words(closed)} closed in {month} rated {rated:,} of them: "
        f"{stars_words(last['average_stars'])} on average, out of 5."
    )


def stars_cell(average, filters: dict | None) -> dict:
    """An average rating to one decimal (the service does not round), linked to its tickets."""
    return hours_cell(average, filters)


def satisfaction_view(answer: dict, context: ViewContext) -> dict:
    """Ratings per closing month, stacked by number of stars; the averages per category."""
    months = answer["months"]
    labels = {
        c["key"]: context.category(c["key"], c.get("label", "")) for c in answer["categories"]
    }
    x = [month_words(m["month"], short=True) for m in months]
    series = [
        bars(
            x,
            [int(m["stars"][n - 1]["count"]) for m in months],
            [tickets_href(m["stars"][n - 1]["tickets"]) for m in months],
            f"{n} star{'s' if n > 1 else ''}",
            STAR_COLOURS[n - 1],
            hover=f"%{{x}}: %{{y:,}} ratings of {n} star{'s' if n > 1 else ''}",
        )
        for n in range(1, 6)
    ]
    chart = figure(
        series,
        yaxis=count_axis([m["rated"] for m in months], "Ratings"),
        barmode="stack",
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
    )
    rows = []
    for m in months:
        by_category = {c["category"]: c for c in m["categories"]}
        cells = [
            count_cell(m["closed"], m["tickets"]["closed"]),
            count_cell(m["rated"], m["tickets"]["rated"]),
            stars_cell(m["average_stars"], m["tickets"]["rated"]),
        ]
        for key in labels:
            item = by_category.get(key)
            cells.append(
                stars_cell(item and item["average_stars"], item and item["tickets"]["rated"])
            )
        cells += [count_cell(s["count"], s["tickets"]) for s in m["stars"]]
        rows.append(row(month_words(m["month"]), *cells))
    spec = table(
        f"How reporters rated the tickets closed each month, {months_range(months)}",
        [
            "Closing month",
            "Closed",
            "Rated",
            "Average stars",
            *(f"Average stars: {label}" for label in labels.values()),
            *(f"{n} star{'s' if n > 1 else ''}" for n in range(1, 6)),
        ],
        rows,
        empty="No ticket was closed in these months.",
    )
    return {"reading": satisfaction_reading(months), "figure": chart, "table": spec}


VIEWS = {
    "resolution-time": resolution_view,
    "first-response": first_response_view,
    "satisfaction": satisfaction_view,
}
