"""The volume service's analyses as views: a reading for people, a chart and a table."""

from __future__ import annotations

from components.analytics_format import (
    ACCENT,
    SECOND,
    SERIES,
    WEEKDAYS,
    ViewContext,
    bars,
    count_axis,
    count_cell,
    count_words,
    day_words,
    figure,
    month_words,
    months_range,
    row,
    table,
    tickets_href,
)
from components.common import joined


def _per_category(counts: list[tuple[str, int]]) -> str:
    ordered = sorted((pair for pair in counts if pair[1]), key=lambda pair: -pair[1])
    return joined([f"{n:,} {label}" for label, n in ordered], {})


def active_view(answer: dict, context: ViewContext) -> dict:
    """Tickets being worked on now, per category."""
    items = answer["categories"]
    labels = [context.category(c["category"], c.get("label", "")) for c in items]
    counts = [int(c["active"]) for c in items]
    total = sum(counts)
    if total:
        verb = "is" if total == 1 else "are"
        split = _per_category(list(zip(labels, counts)))
        reading = f"{count_words(total)} {verb} active now: {split}."
    else:
        reading = "No ticket is active now."
    series = bars(
        labels,
        counts,
        [tickets_href(c["tickets"]) for c in items],
        "Active tickets",
        hover="%{x}: %{y:,} active tickets",
    )
    series["marker"] = {"color": list(SERIES[: len(items)])}
    chart = figure([series], yaxis=count_axis(counts, "Active tickets"), showlegend=False)
    rows = [row(label, count_cell(c["active"], c["tickets"])) for label, c in zip(labels, items)]
    spec = table("Active tickets per category, now", ["Category", "Active tickets"], rows)
    return {"reading": reading, "figure": chart, "table": spec}


def weekly_reading(weeks: list[dict], context: ViewContext) -> str:
    """The last week's opened and closed tickets, and the totals of the range."""
    if not weeks:
        return "There are no weeks in this range."
    last = weeks[-1]
    what = f"{context.category_prefix()}ticket" + ("" if int(last["opened"]) == 1 else "s")
    sentence = (
        f"In the week of {day_words(last['week'])}, {int(last['opened']):,} {what} "
        f"{'was' if int(last['opened']) == 1 else 'were'} opened and "
        f"{int(last['closed']):,} closed"
    )
    if len(weeks) > 1:
        opened = sum(int(w["opened"]) for w in weeks)
        closed = sum(int(w["closed"]) for w in weeks)
        sentence += f"; over the {len(weeks)} weeks shown, {opened:,} opened and {closed:,} closed"
    return sentence + "."


WEEK_MS = 7 * 24 * 3600 * 1000


def weekly_view(answer: dict, context: ViewContext) -> dict:
    """Tickets opened and closed in each week (Monday to Sunday) of the range."""
    weeks = answer["weeks"]
    x = [w["week"] for w in weeks]
    series = [
        bars(
            x,
            [int(w[kind]) for w in weeks],
            [tickets_href(w["tickets"][kind]) for w in weeks],
            name,
            colour,
            hover=f"Week of %{{x|%d %b %Y}}: %{{y:,}} {kind}",
        )
        for kind, name, colour in (("opened", "Opened", ACCENT), ("closed", "Closed", SECOND))
    ]
    xaxis = {"type": "date", "tickformat": "%d %b", "title": {"text": "Week starting"}}
    if x:  # ticks on the Mondays the bars stand for, a dozen at most
        xaxis.update(tick0=x[0], dtick=WEEK_MS * max(1, -(-len(x) // 12)))
    chart = figure(
        series,
        xaxis=xaxis,
        yaxis=count_axis([w[k] for w in weeks for k in ("opened", "closed")], "Tickets"),
        barmode="group",
    )
    rows = [
        row(
            day_words(w["week"]),
            count_cell(w["opened"], w["tickets"]["opened"]),
            count_cell(w["closed"], w["tickets"]["closed"]),
        )
        for w in weeks
    ]
    what = context.category_prefix() + "tickets"
    spec = table(
        f"{what[:1].upper() + what[1:]} opened and closed per week, "
        f"{day_words(answer['from'])} to {day_words(answer['to'])} (campus time)",
        ["Week starting (Monday)", "Opened", "Closed"],
        rows,
        empty="There are no weeks in this range.",
    )
    return {"reading": weekly_reading(weeks, context), "figure": chart, "table": spec}


def category_months_reading(answer: dict, labels: dict[str, str]) -> str:
    """The latest month's tickets, per category."""
    months = answer["months"]
    if not months:
        return "No ticket was opened in these months."
    last = months[-1]
    counts = [(labels[k], int(last["counts"].get(k, 0))) for k in labels]
    total = sum(n for _, n in counts)
    verb = "was" if total == 1 else "were"
    month = month_words(last["month"])
    return f"In {month}, {count_words(total)} {verb} opened: {_per_category(counts)}."


def _link(filters: dict | None) -> str | None:
    return tickets_href(filters) if filters is not None else None


def category_series(months: list[dict], labels: dict[str, str]) -> list[dict]:
    """One series of bars per category (stacked), each bar linked to its tickets."""
    x = [month_words(m["month"], short=True) for m in months]
    return [
        bars(
            x,
            [int(m["counts"].get(key, 0)) for m in months],
            [_link(m["tickets"].get(key)) for m in months],
            label,
            SERIES[i % len(SERIES)],
            hover=f"%{{x}}: %{{y:,}} {label}",
        )
        for i, (key, label) in enumerate(labels.items())
    ]


def category_months_view(answer: dict, context: ViewContext) -> dict:
    """Tickets opened per month, stacked by category."""
    labels = {
        c["key"]: context.category(c["key"], c.get("label", "")) for c in answer["categories"]
    }
    months = answer["months"]
    totals = [sum(int(n) for n in m["counts"].values()) for m in months]
    chart = figure(
        category_series(months, labels),
        yaxis=count_axis(totals, "Tickets opened"),
        barmode="stack",
    )
    rows = [
        row(
            month_words(m["month"]),
            *(count_cell(m["counts"].get(k, 0), m["tickets"].get(k)) for k in labels),
        )
        for m in months
    ]
    spec = table(
        f"Tickets opened per category per month, {months_range(months)}",
        ["Opening month", *labels.values()],
        rows,
        empty="No ticket was opened in these months.",
    )
    reading = category_months_reading(answer, labels)
    return {"reading": reading, "figure": chart, "table": spec}


HOURS = [f"{hour:02d}:00" for hour in range(24)]


def opening_hours_reading(answer: dict, cells: list[dict]) -> str:
    """The busiest hour of the week over the range."""
    span = f"from {day_words(answer['from'])} to {day_words(answer['to'])}"
    if not any(int(c["opened"]) for c in cells):
        return f"No ticket was opened {span}."
    top = max(cells, key=lambda c: int(c["opened"]))
    hour = int(top["hour"])
    return (
        f"Most tickets were opened on {WEEKDAYS[int(top['weekday']) - 1]}s between "
        f"{hour:02d}:00 and {(hour + 1) % 24:02d}:00 ({count_words(int(top['opened']))} "
        f"{span}, campus time)."
    )


def week_grid(answer: dict) -> list[list[dict]]:
    """The answer's cells as 7 rows (Monday first) of 24 hours; a missing cell counts 0."""
    cells = {(int(c["weekday"]), int(c["hour"])): c for c in answer["cells"]}
    empty = {"opened": 0, "tickets": None}
    return [[cells.get((day, hour), empty) for hour in range(24)] for day in range(1, 8)]


def heat_map(grid: list[list[dict]]) -> dict:
    """The week as a heat map; a click on a cell opens its tickets."""
    return {
        "type": "heatmap",
        "x": HOURS,
        "y": list(WEEKDAYS),
        "z": [[int(c["opened"]) for c in day] for day in grid],
        "customdata": [[_link(c["tickets"]) for c in day] for day in grid],
        "colorscale": [[0, "#f1f5f9"], [1, "#1e3a8a"]],
        "colorbar": {"title": {"text": "Tickets"}, "thickness": 12},
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": "%{y} %{x}: %{z:,} tickets opened<extra></extra>",
    }


def opening_hours_view(answer: dict, context: ViewContext) -> dict:
    """Tickets opened per weekday and hour of the day, as a heat map and a 7 × 24 table."""
    grid = week_grid(answer)
    chart = figure(
        [heat_map(grid)],
        xaxis={"title": {"text": "Hour of the day (campus time)"}, "dtick": 3},
        yaxis={"autorange": "reversed", "rangemode": "normal", "gridcolor": "#ffffff"},
    )
    rows = [
        row(name, *(count_cell(c["opened"], c["tickets"]) for c in day))
        for name, day in zip(WEEKDAYS, grid)
    ]
    spec = table(
        f"Tickets opened per weekday and hour, {day_words(answer['from'])} to "
        f"{day_words(answer['to'])} (campus time)",
        ["Weekday", *HOURS],
        rows,
    )
    reading = opening_hours_reading(answer, [c for day in grid for c in day])
    return {"reading": reading, "figure": chart, "table": spec}


VIEWS = {
    "active-by-category": active_view,
    "weekly": weekly_view,
    "category-months": category_months_view,
    "opening-hours": opening_hours_view,
}
