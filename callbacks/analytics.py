"""The analytics page: show the chosen analysis, keep its address, download it, open its tickets."""

from __future__ import annotations

from datetime import datetime

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    no_update,
)

from components.analytics import (
    CHOICE,
    CLICKED,
    CSV_BUTTON,
    CSV_STORE,
    DOWNLOAD,
    GRAPH,
    GROUP_IDS,
    LOCATION,
    PARAMETERS,
    REFRESH,
    RESULT,
    TIMER,
    analysis_section,
    problem_section,
)
from components.analytics_format import ViewContext, csv_rows, csv_text
from components.analytics_params import (
    ANALYSES,
    DEFAULT_ANALYSIS,
    PARAMETER_NAMES,
    Analysis,
    analysis_params,
    csv_filename,
    default_values,
    page_search,
    view,
)
from components.common import format_time
from dash_app import api_client
from dash_app.api_client import ApiError

CONTROLS = [PARAMETERS[name][0] for name in PARAMETER_NAMES]
UNEXPECTED = ApiError(200, "Unexpected answer", "The service's answer could not be read.")


def campus_now() -> datetime:
    """Now, in the campus time zone."""
    return datetime.now(api_client.settings().zone)


def analysis_context(params: dict) -> tuple[ViewContext, str]:
    """What the views need (campus zone and day, category labels), and the time of now."""
    now = campus_now()
    context = ViewContext(now.tzinfo, now.date(), api_client.vocabulary().categories, params)
    return context, format_time(now.isoformat(), now.tzinfo)


def show_analysis(analysis: Analysis, params: dict) -> tuple:
    """The analysis as a section and its CSV, or its problem as a section and no CSV."""
    try:
        info = api_client.analysis_info(analysis.service, analysis.key)
    except ApiError as error:
        return problem_section(analysis.label, "", error), None
    title, about = info.get("title") or analysis.label, info.get("definition") or ""
    try:
        answer = api_client.for_service(analysis.service).analysis(analysis.path, params)
        context, updated = analysis_context(params)
        shown = view(analysis.key, answer, context)
    except ApiError as error:
        return problem_section(title, about, error), None
    except (KeyError, TypeError, ValueError, IndexError):
        return problem_section(title, about, UNEXPECTED), None
    csv = {"filename": csv_filename(analysis.key, params), "rows": csv_rows(shown["table"])}
    return analysis_section(title, about, shown, updated), csv


@callback(
    Output(RESULT, "children"),
    Output(CSV_STORE, "data"),
    Output(LOCATION, "search"),
    Input(CHOICE, "value"),
    *[Input(cid, "value") for cid in CONTROLS],
    Input(REFRESH, "n_clicks"),
    Input(TIMER, "n_intervals"),
)
def update_analysis(key, *values_and_ticks):
    """Ask the chosen analysis's service and show its answer; write the choice into the URL."""
    analysis = ANALYSES.get(key) or ANALYSES[DEFAULT_ANALYSIS]
    values = dict(zip(PARAMETER_NAMES, values_and_ticks))
    params = analysis_params(analysis.key, values)
    section, csv = show_analysis(analysis, params)
    # Opening the page or asking again changes nothing the address says (and adds no history).
    same = ctx.triggered_id in (None, REFRESH, TIMER)
    return section, csv, no_update if same else page_search(analysis.key, params)


@callback(
    *[Output(group_id, "hidden") for group_id in GROUP_IDS.values()],
    Input(CHOICE, "value"),
)
def show_parameters(key):
    """Show the parameter controls the chosen analysis takes, hide the others."""
    analysis = ANALYSES.get(key) or ANALYSES[DEFAULT_ANALYSIS]
    return tuple(group not in analysis.groups for group in GROUP_IDS)


@callback(
    *[Output(cid, "value") for cid in CONTROLS],
    Input(CHOICE, "value"),
    prevent_initial_call=True,
)
def on_choose_analysis(key):
    """A newly chosen analysis starts from its own default parameters."""
    defaults = default_values(key, campus_now().date())
    return tuple(defaults[name] for name in PARAMETER_NAMES)


@callback(
    Output(DOWNLOAD, "data"),
    Input(CSV_BUTTON, "n_clicks"),
    State(CSV_STORE, "data"),
    prevent_initial_call=True,
)
def on_download_csv(clicks, csv):
    """Send the numbers of the table shown, with a header row, as a CSV file."""
    if not clicks or not csv:
        return no_update
    return dcc.send_string(csv_text(csv["rows"]), csv["filename"], type="text/csv")


# A click on a bar or a cell opens the list of its tickets (the point's customdata).
clientside_callback(
    ClientsideFunction(namespace="campusdesk", function_name="openPoint"),
    Output(CLICKED, "data"),
    Input(GRAPH, "clickData"),
    prevent_initial_call=True,
)
