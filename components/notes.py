"""The internal notes card of the helpdesk's ticket page: what staff write for each other,
kept apart from the conversation with the reporter and never shown to simple users."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import format_time, icon, loading
from components.messages import POLL_MS

NOTES = "note-list"
NOTES_ALERT = "note-alert"
NOTES_LAST_ID = "note-last-id"
NOTES_POLL = "note-poll"
NOTES_POKE = "note-poke"
NOTE_BODY = "note-body"
NOTE_SAVE = "note-save"


def note_item(note: dict, zone) -> html.Div:
    """One note: who and when, then the text exactly as written."""
    who = note.get("author_name") or "Helpdesk"
    return html.Div(
        [
            html.Div(
                [
                    html.Span([icon("bi-lock", "me-1"), who], className="fw-semibold"),
                    html.Time(
                        format_time(note.get("created_at"), zone),
                        dateTime=note.get("created_at"),
                        className="ms-2",
                    ),
                ],
                className="small note-meta",
            ),
            html.P(note.get("body", ""), className="mb-0 message-text"),
        ],
        className="note",
        id=f"note-{note.get('id')}",
    )


def no_notes() -> html.P:
    """What the card says before the first note."""
    return html.P("No internal notes yet.", className="text-body-secondary small mb-0 empty-notes")


def notes_card() -> dbc.Card:
    """The notes (polled like the conversation) and a box to add one."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2([icon("bi-lock", "me-2"), "Internal notes"], className="h5 mb-0"),
                    html.Small(
                        "Only helpdesk staff see these; never the reporter, never e-mailed.",
                        className="text-body-secondary",
                    ),
                ]
            ),
            dbc.CardBody(
                [
                    loading(html.Div(id=NOTES_ALERT), delay_show=250),
                    html.Div(
                        no_notes(),
                        id=NOTES,
                        className="notes mb-3",
                        tabIndex="0",
                        role="log",
                        **{"aria-label": "Internal notes", "aria-live": "polite"},
                    ),
                    dbc.Label("New internal note", html_for=NOTE_BODY, className="fw-semibold"),
                    dbc.Textarea(
                        id=NOTE_BODY,
                        rows=2,
                        maxLength=5000,
                        placeholder="For the team: what was done, who to call…",
                    ),
                    html.Div(
                        dbc.Button(
                            [icon("bi-lock", "me-1"), "Add note"],
                            id=NOTE_SAVE,
                            color="warning",
                            size="sm",
                        ),
                        className="d-flex justify-content-end mt-2",
                    ),
                ]
            ),
            dcc.Store(id=NOTES_LAST_ID),
            dcc.Store(id=NOTES_POKE, data=0),
            dcc.Interval(id=NOTES_POLL, interval=POLL_MS),
        ],
        className="shadow-sm border-0 mb-4 notes-card",
    )
