"""Campus notices on the pages: the banner students see, the hint in the report form when
what they type matches a notice, and the helpdesk's card to post and take them down."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import format_time, icon, loading

NOTICE_BANNER = "notice-banner"
REPORT_NOTICE_HINT = "report-notice-hint"
NOTICE_TEXT = "notice-text"
NOTICE_ENDS = "notice-ends"
NOTICE_POST = "notice-post"
NOTICE_ALERT = "notice-alert"
NOTICE_LIST = "notice-list"
NOTICE_CHANGED = "notice-changed"
NOTICE_REMOVE = "notice-remove"  # pattern-matching id type: {"type": ..., "index": notice id}


def notice_banner() -> html.Div:
    """Where the active notices show, at the top of the students' pages."""
    return html.Div(id=NOTICE_BANNER, className="notice-banner", **{"aria-live": "polite"})


def _until(notice: dict, zone) -> str:
    ends = notice.get("ends_at")
    return f" (until {format_time(ends, zone)})" if ends else ""


def notice_alerts(notices: list[dict], zone) -> list:
    """The banner: one alert per active notice."""
    return [
        dbc.Alert(
            [
                icon("bi-megaphone-fill", "me-2"),
                html.Strong("Known problem: "),
                html.Span(notice["text"]),
                html.Span(_until(notice, zone), className="small"),
            ],
            color="warning",
            className="py-2 mb-2 notice",
        )
        for notice in notices
    ]


def notice_hint(notices: list[dict]) -> list:
    """In the report form: the notices the text being typed seems to be about."""
    if not notices:
        return []
    return [
        dbc.Alert(
            [
                html.Div(
                    [icon("bi-megaphone-fill", "me-2"), html.Strong("Is it this known problem?")]
                ),
                html.Ul([html.Li(n["text"]) for n in notices], className="mb-1 mt-1"),
                html.Div(
                    "The helpdesk already knows and is working on it. Report it anyway if "
                    "yours is a different problem.",
                    className="small",
                ),
            ],
            color="warning",
            className="py-2 mb-3",
        )
    ]


def notices_card() -> dbc.Card:
    """The helpdesk's card: post a notice (with an optional end) and take one down."""
    form = [
        dbc.Label("What is known, and what you are doing about it", html_for=NOTICE_TEXT),
        dbc.Textarea(
            id=NOTICE_TEXT,
            maxLength=300,
            rows=2,
            placeholder="Wi-Fi down in building C, we are on it",
            className="mb-2",
        ),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Shown until (optional, campus time)", html_for=NOTICE_ENDS),
                        dbc.Input(id=NOTICE_ENDS, type="datetime-local"),
                    ],
                    md=7,
                ),
                dbc.Col(
                    dbc.Button(
                        [icon("bi-megaphone", "me-2"), "Post notice"],
                        id=NOTICE_POST,
                        color="primary",
                        className="w-100",
                    ),
                    md=5,
                    className="d-flex align-items-end mt-2 mt-md-0",
                ),
            ],
            className="g-2 mb-2",
        ),
        loading(html.Div(id=NOTICE_ALERT)),
        html.Div(id=NOTICE_LIST, className="mt-2"),
        dcc.Store(id=NOTICE_CHANGED, data=0),
    ]
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2([icon("bi-megaphone", "me-2"), "Campus notices"], className="h5 mb-0")
            ),
            dbc.CardBody(form),
        ],
        className="shadow-sm border-0 my-4",
    )


def notice_rows(notices: list[dict], zone) -> list:
    """The active notices on the helpdesk's card, each with a button to take it down."""
    if not notices:
        return [html.P("No notice is showing.", className="text-body-secondary small mb-0")]
    return [
        html.Ul(
            [
                html.Li(
                    [
                        html.Span(
                            [n["text"], html.Span(_until(n, zone), className="small")],
                            className="me-2",
                        ),
                        dbc.Button(
                            [
                                "Take down",
                                # what a screen reader says of the button: which notice
                                html.Span(
                                    f" the notice: {n['text'][:80]}", className="visually-hidden"
                                ),
                            ],
                            id={"type": NOTICE_REMOVE, "index": n["id"]},
                            color="secondary",
                            outline=True,
                            size="sm",
                        ),
                    ],
                    className="list-group-item d-flex justify-content-between align-items-center",
                )
                for n in notices
            ],
            className="list-group list-group-flush",
        )
    ]
