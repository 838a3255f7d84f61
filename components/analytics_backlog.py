"""The backlog service's analyses as views: a reading for people, a chart and a table."""

from __future__ import annotations

from components.analytics_format import (
    ACCENT,
    MUTED,
    ViewContext,
    bars,
    count_axis,
    count_cell,
    count_words,
    day_words,
    difference_words,
    figure,
    row,
    table,
    text_cell,
    tickets_href,
)
from components.common import format_time


def window_words(last: int, unit: str) -> str:
    """The length of a window: 'hour', 'day', '36 hours', '7 days'."""
    if int(last) == 1:
        return unit.removesuffix("s")
    return f"{int(last):,} {unit}"


def unclosed_reading(answer: dict) -> str:
    """How many recent tickets wait, against the window before."""
    span = window_words(answer["last"], answer["unit"])
    count = int(answer["count"])
    verb = "is" if count == 1 else "are"
    than = f"in the {span} before"
    return (
        f"{count_words(count)} opened in the last {span} {verb} still not closed, "
        f"{difference_words(count, int(answer['previous']['count']), than)}."
    )


def unclosed_view(answer: dict, context: ViewContext) -> dict:
    """Unclosed tickets of the last window beside those of the window before."""
    span = window_words(answer["last"], answer["unit"])
    windows = {f"Last {span}": answer, f"The {span} before": answer["previous"]}
    oldest_first = list(reversed(windows.items()))
    series = bars(
        [label for label, _ in oldest_first],
        [int(w["count"]) for _, w in oldest_first],
        [tickets_href(w["tickets"]) for _, w in oldest_first],
        "Unclosed tickets",
        hover="%{x}: %{y:,} unclosed tickets",
    )
    series["marker"] = {"color": [MUTED, ACCENT]}
    axis = count_axis(series["y"], "Unclosed tickets")
    rows = [
        row(
            label,
            text_cell(format_time(w["from"], context.zone)),
            text_cell(format_time(w["to"], context.zone)),
            count_cell(w["count"], w["tickets"]),
        )
        for label, w in windows.items()
    ]
    spec = table(
        f"Unclosed tickets opened in the last {span} and in the {span} before (campus time)",
        ["Window", "From", "To", "Unclosed tickets"],
        rows,
    )
    chart = figure([series], yaxis=axis, showlegend=False)
    return {"reading": unclosed_reading(answer), "figure": chart, "table": spec}


def backlog_reading(days: list[dict], context: ViewContext) -> str:
    """How big the backlog is at the end of the range, against its start."""
    if not days:
        return "There are no days in this range."
    first, last = days[0], days[-1]
    count = int(last["backlog"])
    what = f"{count:,} {context.category_prefix()}ticket" + ("" if count == 1 else "s")
    today = context.today is not None and last["day"] == context.today.isoformat()
    if today:
        sentence = f"{what} {'is' if count == 1 else 'are'} open or active now"
    else:
        sentence = f"{what} {'was' if count == 1 else 'were'} open or active at the end of "
        sentence += day_words(last["day"])
    if len(days) > 1:
        than = f"at the end of {day_words(first['day'])}"
        sentence += ", " + difference_words(count, int(first["backlog"]), than)
    return sentence + "."


def backlog_view(answer: dict, context: ViewContext) -> dict:
    """Tickets open or active at the end of each day of the range."""
    days = answer["days"]
    hrefs = [tickets_href(d["tickets"]["backlog"]) for d in days]
    line = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "Open or active at the end of the day",
        "x": [d["day"] for d in days],
        "y": [int(d["backlog"]) for d in days],
        "customdata": hrefs,
        "line": {"color": ACCENT, "width": 2},
        "marker": {"size": 6},
        "fill": "tozeroy",
        "fillcolor": "rgba(29, 78, 216, 0.08)",
        "hovertemplate": "%{x|%d %b %Y}: %{y:,} open or active<extra></extra>",
    }
    chart = figure(
        [line],
        xaxis={"type": "date", "tickformat": "%d %b"},
        yaxis=count_axis(line["y"], "Open or active tickets"),
        showlegend=False,
    )
    rows = [
        row(
            day_words(d["day"]),
            count_cell(d["backlog"], d["tickets"]["backlog"]),
            count_cell(d["opened"], d["tickets"]["opened"]),
            count_cell(d["closed"], d["tickets"]["closed"]),
        )
        for d in days
    ]
    caption = (
        f"{context.category_prefix()}tickets open or active at the end of each day, "
        "and opened and closed that day"
    )
    spec = table(
        caption[:1].upper() + caption[1:] + f", {_range(answer)} (campus time)",
        ["Day", "Open or active", "Opened", "Closed"],
        rows,
        empty="There are no days in this range.",
    )
    return {"reading": backlog_reading(days, context), "figure": chart, "table": spec}


def _range(answer: dict) -> str:
    return f"{day_words(answer['from'])} to {day_words(answer['to'])}"


def backlog_age_view(answer: dict, context: ViewContext) -> dict:
    """Today's backlog by how many campus days ago its tickets were opened."""
    buckets = answer["buckets"]
    total = sum(int(b["count"]) for b in buckets)
    if total:
        largest = max(buckets, key=lambda b: int(b["count"]))
        verb = "is" if total == 1 else "are"
        reading = (
            f"{count_words(total)} {verb} open or active now; the largest age group is "
            f"“{largest['label']}”, with {count_words(int(largest['count']))}."
        )
    else:
        reading = "No ticket is open or active now."
    chart = figure(
        [
            bars(
                [b["label"] for b in buckets],
                [int(b["count"]) for b in buckets],
                [tickets_href(b["tickets"]) for b in buckets],
                "Open or active tickets",
                hover="%{x}: %{y:,} open or active tickets",
            )
        ],
        xaxis={"title": {"text": "Days since opening (campus days)"}},
        yaxis=count_axis([b["count"] for b in buckets], "Open or active tickets"),
        showlegend=False,
    )
    rows = [row(b["label"], count_cell(b["count"], b["tickets"])) for b in buckets]
    spec = table(
        f"Tickets open or active now by age, on {day_words(answer['today'])} (campus days)",
        ["Age", "Open or active tickets"],
        rows,
    )
    return {"reading": reading, "figure": chart, "table": spec}


VIEWS = {"unclosed": unclosed_view, "backlog": backlog_view, "backlog-age": backlog_age_view}
