"""Links to the helpdesk board: the filters of the API's list they carry, shown and removable."""

from __future__ import annotations

import re

from dash import ALL, Input, Output, State, callback, ctx, no_update

from callbacks.helpdesk import SORTABLE
from components.helpdesk import (
    DEFAULT_ORDER,
    HD_CATEGORY,
    HD_ORDER,
    HD_SEARCH,
    HD_STATUS,
    ORDERS,
    category_filters,
    status_filters,
)
from components.link_filters import (
    CHIP_REMOVE,
    CLEAR_FILTERS,
    LINK_STORE,
    LINK_SUMMARY,
    flag_words,
    hour_words,
    labelled_words,
    moment_words,
    plain_words,
    range_words,
    summary_items,
    weekday_words,
)
from dash_app.api_client import PAGING

#: The parameter of GET /api/tickets that each control of the board sets.
CONTROL_PARAMS = {HD_SEARCH: "q", HD_STATUS: "status", HD_CATEGORY: "category", HD_ORDER: "sort"}
NO_FILTERS = {"params": {}, "chips": []}
# An unencoded '+' before a time's offset reaches the page as a space.
LOST_PLUS = re.compile(r" (\d\d:?\d\d)$")


def kind_of(schema: dict | None) -> str:
    """How a declared filter's values read, from its JSON schema: 'time', 'flag' or 'text'."""
    variants = [schema or {}, *((schema or {}).get("anyOf") or [])]
    if any(v.get("format") == "date-time" for v in variants):
        return "time"
    if any(v.get("type") == "boolean" for v in variants):
        return "flag"
    return "text"


def split_link(query: dict, declared: dict | None) -> tuple[dict, list[str]]:
    """The link's non-empty parameters that the list declares, and the names of the others.

    declared None (the API's description is unavailable) keeps every parameter but paging.
    """
    given = {k: v for k, v in query.items() if v not in (None, "", [])}

    def used(name: str) -> bool:
        return name not in PAGING and (declared is None or name in declared)

    kept = {k: v for k, v in given.items() if used(k)}
    for name, value in kept.items():
        if isinstance(value, str) and kind_of((declared or {}).get(name)) == "time":
            kept[name] = LOST_PLUS.sub(r"+\1", value)
    return kept, sorted(k for k in given if not used(k))


def _option_for(value, options: list[dict]) -> str | None:
    # "active,open" is the option "open,active": a comma list is a set.
    if not isinstance(value, str):
        return None
    wanted = set(value.split(","))
    for option in options:
        if option["value"] != "all" and set(option["value"].split(",")) == wanted:
            return option["value"]
    return None


def control_values(params: dict, options: dict[str, list]) -> dict:
    """The link's values that the board's controls can show, by parameter name."""
    shown = {}
    if isinstance(params.get("q"), str):
        shown["q"] = params["q"]
    for name, choices in options.items():
        match = _option_for(params.get(name), choices)
        if match is not None:
            shown[name] = match
    return shown


# Filters about when something happened are named <event>_<part>: opened_after, opened_hour.
PART_WORDS = {"weekday": weekday_words, "hour": hour_words}


def _event_of(name: str, parts) -> tuple[str | None, str | None]:
    for part in parts:
        if name.endswith(f"_{part}"):
            return name.removesuffix(f"_{part}"), part
    return None, None


def chip_words(name: str, value, kind: str, labels: dict, zone) -> str:
    """One filter in people's words."""
    if name in labels:
        return labelled_words(name, value, labels[name])
    if kind == "time":
        return moment_words(name, value, zone)
    if kind == "flag":
        return flag_words(name, value)
    event, part = _event_of(name, PART_WORDS)
    text = PART_WORDS[part](event, value) if part else None
    return text or plain_words(name, value)


def filter_chips(params: dict, declared: dict, words, zone) -> list[dict]:
    """One chip {"id", "keys", "text"} per filter; a time range's two bounds make one chip."""
    labels = {"status": words.statuses, "category": words.categories}
    chips, grouped = [], set()
    for name, value in params.items():
        if name in grouped:
            continue
        kind, (event, _part) = kind_of(declared.get(name)), _event_of(name, ("after", "before"))
        if kind == "time" and event:
            bounds = (f"{event}_after", f"{event}_before")
            text = range_words(event, params.get(bounds[0]), params.get(bounds[1]), zone)
            if text is not None:
                keys = [k for k in bounds if k in params]
                grouped.update(keys)
                chips.append({"id": "+".join(keys), "keys": keys, "text": text})
                continue
        text = chip_words(name, value, kind, labels, zone)
        chips.append({"id": name, "keys": [name], "text": text})
    return chips


def read_link(query: dict, declared: dict | None, words, zone) -> dict:
    """How the board shows a link: control values, a header sort, other filters, ignored names."""
    params, ignored = split_link(query, declared)
    options = {
        "status": status_filters(words.statuses, words.unfinished()),
        "category": category_filters(words.categories),
        "sort": ORDERS,
    }
    controls = control_values(params, options)
    for name in controls:
        params.pop(name)
    sort_column = None
    if isinstance(params.get("sort"), str) and params["sort"].removeprefix("-") in SORTABLE:
        sort_column = params.pop("sort")
    chips = filter_chips(params, declared or {}, words, zone)
    return {
        "controls": controls,
        "sort_column": sort_column,
        "filters": {"params": params, "chips": chips},
        "ignored": ignored,
    }


def without_chips(link: dict, drop) -> dict:
    """The link's filters without the chips that drop(chip) picks, and their parameters."""
    gone = {key for chip in link.get("chips") or [] if drop(chip) for key in chip["keys"]}
    return {
        "params": {k: v for k, v in (link.get("params") or {}).items() if k not in gone},
        "chips": [chip for chip in link.get("chips") or [] if not drop(chip)],
    }


@callback(Output(LINK_SUMMARY, "children"), Input(LINK_STORE, "data"), prevent_initial_call=True)
def show_link_filters(link):
    """List the link's remaining filters whenever they change."""
    return summary_items((link or {}).get("chips") or [])


@callback(
    Output(LINK_STORE, "data", allow_duplicate=True),
    Input({"type": CHIP_REMOVE, "index": ALL}, "n_clicks"),
    State(LINK_STORE, "data"),
    prevent_initial_call=True,
)
def on_remove_filter(_clicks, link):
    """Drop the filter whose × was pressed; the grid then lists again."""
    trigger = ctx.triggered_id
    if not link or not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
        return no_update
    return without_chips(link, lambda chip: chip["id"] == trigger["index"])


@callback(
    Output(LINK_STORE, "data", allow_duplicate=True),
    Output(HD_SEARCH, "value"),
    Output(HD_STATUS, "value"),
    Output(HD_CATEGORY, "value"),
    Output(HD_ORDER, "value"),
    Input(CLEAR_FILTERS, "n_clicks"),
    prevent_initial_call=True,
)
def on_clear_filters(clicks):
    """Remove every filter, the link's and the controls'."""
    if not clicks:
        return (no_update,) * 5
    return NO_FILTERS, "", "all", "all", DEFAULT_ORDER


@callback(
    Output(LINK_STORE, "data", allow_duplicate=True),
    Input(HD_SEARCH, "value"),
    Input(HD_STATUS, "value"),
    Input(HD_CATEGORY, "value"),
    Input(HD_ORDER, "value"),
    State(LINK_STORE, "data"),
    prevent_initial_call=True,
)
def on_control_change(_q, _status, _category, _order, link):
    """A control now says what its parameter is: the link's own value for it goes away."""
    name = CONTROL_PARAMS.get(ctx.triggered_id)
    chips = (link or {}).get("chips") or []
    if name is None or not any(name in chip["keys"] for chip in chips):
        return no_update
    return without_chips(link, lambda chip: name in chip["keys"])
