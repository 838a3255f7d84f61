"""The analytics page: the chooser with its parameters, and one analysis shown as a reading,
a chart, a table of linked numbers and a CSV, or as the problem that keeps it from showing."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.analytics_format import data_table
from components.analytics_params import ANALYSES
from components.common import choices, icon, loading

CHOICE = "analytics-analysis"
LAST = "analytics-last"
UNIT = "analytics-unit"
FROM_MONTH = "analytics-from-month"
TO_MONTH = "analytics-to-month"
FROM_DAY = "analytics-from"
TO_DAY = "analytics-to"
CATEGORY = "analytics-category"
REFRESH = "analytics-refresh"
TIMER = "analytics-timer"
RESULT = "analytics-result"
LOCATION = "analytics-location"
DOWNLOAD = "analytics-download"
CSV_STORE = "analytics-csv"
CSV_BUTTON = "analytics-csv-button"
GRAPH = "analytics-graph"
CLICKED = "analytics-clicked"
TITLE = "analytics-title"
READING = "analytics-reading"
DEFINITION = "analytics-definition"
UPDATED = "analytics-updated"
REFRESH_MS = 60_000
#: Parameters typed in are sent once typing pauses this long (a date is typed in parts).
TYPING_PAUSE_MS = 600

#: Each service parameter, the id of its control and the control's label.
PARAMETERS = {
    "last": (LAST, "Last"),
    "unit": (UNIT, "Unit"),
    "from_month": (FROM_MONTH, "From month"),
    "to_month": (TO_MONTH, "To month"),
    "from": (FROM_DAY, "From"),
    "to": (TO_DAY, "To"),
    "category": (CATEGORY, "Category"),
}
UNITS = ("hours", "days")
MONTHS = ("from_month", "to_month")
DAYS = ("from", "to")
#: The id of each group of parameters shown together.
GROUP_IDS = {
    "window": "analytics-window",
    "months": "analytics-months",
    "days": "analytics-days",
    "category": "analytics-category-group",
}


def _field(name: str, control, width: int = 6) -> dbc.Col:
    cid, label = PARAMETERS[name]
    return dbc.Col(
        [dbc.Label(label, html_for=cid, className="small fw-semibold mb-1"), control],
        xs=width,
    )


def _typed(name: str, control_type: str, values: dict, **extra) -> dbc.Col:
    control = dbc.Input(
        id=PARAMETERS[name][0],
        type=control_type,
        value=values.get(name),
        size="sm",
        debounce=TYPING_PAUSE_MS,
        **extra,
    )
    return _field(name, control)


def _picked(name: str, options: list[dict], values: dict, width: int = 6) -> dbc.Col:
    control = dbc.Select(id=PARAMETERS[name][0], options=options, value=values.get(name), size="sm")
    return _field(name, control, width)


def _group(group: str, legend: str, fields: list, groups: tuple, md: int = 4) -> html.Fieldset:
    return html.Fieldset(
        [html.Legend(legend, className="visually-hidden"), dbc.Row(fields, className="g-2")],
        id=GROUP_IDS[group],
        hidden=group not in groups,
        className=f"col-12 col-md-{md} mb-0",
    )


def parameter_groups(key: str, values: dict, categories: dict[str, str]) -> list:
    """Every parameter control, those the analysis does not take hidden."""
    groups = ANALYSES[key].groups
    categories = {"all": "All categories", **categories}
    window = [
        _typed("last", "number", values, step=1, inputmode="numeric"),
        _picked("unit", [{"label": u.title(), "value": u} for u in UNITS], values),
    ]
    months = [_typed(name, "month", values, placeholder="YYYY-MM") for name in MONTHS]
    days = [_typed(name, "date", values) for name in DAYS]
    category = [_picked("category", choices(categories), values, width=12)]
    return [
        _group("window", "Time window", window, groups),
        _group("months", "Opening months", months, groups),
        _group("days", "Days", days, groups),
        _group("category", "Category", category, groups, md=2),
    ]


def chooser(key: str, values: dict, categories: dict[str, str]) -> dbc.Card:
    """The analysis to show, its parameters beside it, and a refresh button."""
    options = [{"label": a.label, "value": a.key} for a in ANALYSES.values()]
    pick = dbc.Col(
        [
            dbc.Label("Analysis", html_for=CHOICE, className="small fw-semibold mb-1"),
            dbc.Select(id=CHOICE, options=options, value=key, size="sm"),
        ],
        xs=12,
        md=4,
    )
    refresh = dbc.Col(
        dbc.Button(
            [icon("bi-arrow-clockwise", "me-1"), "Refresh"],
            id=REFRESH,
            color="primary",
            outline=True,
            size="sm",
        ),
        xs="auto",
        className="ms-md-auto",
    )
    row = [pick, *parameter_groups(key, values, categories), refresh]
    return dbc.Card(
        dbc.CardBody(dbc.Row(row, className="g-2 align-items-end")),
        className="shadow-sm border-0 mb-4 analytics-chooser",
    )


def analytics_page(key: str, values: dict, categories: dict[str, str]) -> html.Div:
    """The chooser, the chosen analysis (filled by a callback), refresh timer and download."""
    return html.Div(
        [
            chooser(key, values, categories),
            loading(
                html.Div(id=RESULT, className="analytics-result"),
                delay_show=300,
                overlay_style={"visibility": "visible", "opacity": 0.6},
            ),
            dcc.Interval(id=TIMER, interval=REFRESH_MS),
            dcc.Location(id=LOCATION, refresh=False),
            dcc.Store(id=CSV_STORE),
            dcc.Store(id=CLICKED),
            dcc.Download(id=DOWNLOAD),
        ]
    )


def definition(text: str) -> list:
    """A service's definition, its `quoted` words set as code."""
    parts = (text or "").split("`")
    return [html.Code(part) if i % 2 else part for i, part in enumerate(parts) if part]


def _heading(title: str, about: str) -> list:
    return [
        html.H2(title, id=TITLE, className="h4 mb-1"),
        html.P(definition(about), id=DEFINITION, className="text-body-secondary small mb-3"),
    ]


def chart(title: str, reading: str, figure: dict) -> html.Figure:
    """The chart with a name for screen readers, who are pointed to the table."""
    name = f"Chart: {title}. {reading} The numbers are in the table below."
    graph = dcc.Graph(
        id=GRAPH,
        figure=figure,
        config={"displayModeBar": False, "responsive": True, "displaylogo": False},
        responsive=True,
        className="analytics-graph",
    )
    return html.Figure(
        [
            html.Div(graph, role="img", **{"aria-label": name}),
            html.Figcaption(
                "Click or tap a bar, point or cell of the chart to open the list of its tickets; "
                "every number in the table below is a link too.",
                className="small text-body-secondary mt-1",
            ),
        ],
        className="analytics-figure mb-3",
        **{"aria-label": f"Chart: {title}"},
    )


def analysis_section(title: str, about: str, shown: dict, updated: str) -> html.Section:
    """One analysis: title, definition, reading, chart, table and CSV download."""
    return html.Section(
        [
            *_heading(title, about),
            html.P(shown["reading"], id=READING, className="fw-semibold analytics-reading"),
            chart(title, shown["reading"], shown["figure"]),
            data_table(shown["table"]),
            html.Div(
                [
                    dbc.Button(
                        [icon("bi-download", "me-1"), "Download CSV"],
                        id=CSV_BUTTON,
                        color="secondary",
                        outline=True,
                        size="sm",
                    ),
                    html.Span(
                        f"Updated {updated} (campus time); refreshed every minute.",
                        id=UPDATED,
                        className="small text-body-secondary",
                    ),
                ],
                className="d-flex flex-wrap align-items-center gap-3 mt-3",
            ),
        ],
        className="card border-0 shadow-sm p-3 p-md-4",
        **{"aria-labelledby": TITLE},
    )


def _error_lines(error) -> list:
    lines = []
    for item in getattr(error, "errors", None) or []:
        message = str(item.get("message") or "")
        name = str(item.get("field") or "")
        if not message or message == getattr(error, "detail", ""):
            continue
        label = PARAMETERS.get(name, (None, None))[1]
        lines.append(html.Li(f"{label}: {message}" if label else message))
    return [html.Ul(lines, className="mb-0")] if lines else []


def problem_section(title: str, about: str, error) -> html.Section:
    """An analysis that cannot be shown: the service's problem, title and detail."""
    refused = getattr(error, "status", 0) == 400
    lead = (
        "The service did not accept these parameters; change them to see the analysis."
        if refused
        else "So this analysis cannot be shown right now. The other analyses and pages keep "
        "working, and this one is asked again every minute."
    )
    alert = dbc.Alert(
        [
            html.P(
                [
                    icon("bi-exclamation-triangle-fill", "me-2"),
                    html.Strong(error.title),
                    f" {error.detail}" if error.detail else "",
                ],
                className="mb-1",
            ),
            *_error_lines(error),
            html.P(lead, className="mb-0 mt-1"),
        ],
        color="warning" if refused else "danger",
        id="analytics-problem",
        className="mb-0",
    )
    return html.Section(
        [*_heading(title, about), alert],
        className="card border-0 shadow-sm p-3 p-md-4",
        **{"aria-labelledby": TITLE},
    )
