"""The chat panel under each ticket: thread, composer, polling."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import format_time, icon, loading
from components.photos import PHOTO_GALLERY, PHOTO_GALLERY_IDS, photo_picker

THREAD = "message-thread"
THREAD_ALERT = "message-alert"
LAST_ID = "message-last-id"
POLL = "message-poll"
POKE = "message-poke"
COMPOSER = "message-body"
SEND = "message-send"
COMPOSER_HINT = "message-hint"
POLL_MS = 3000
#: The photos are asked for again when new messages come (photos usually come with one), when
#: this page sends some, and at this slower pace for photos added alone from elsewhere.
PHOTO_POLL = "photo-poll"
PHOTO_POLL_MS = 10_000
AUTHOR_LABELS = {"user": "User", "helpdesk": "Helpdesk"}


def message_bubble(message: dict, viewer_role: str, zone) -> html.Div:
    """One message: who (role and name) and when, then the text exactly as written."""
    role = message.get("author_role", "user")
    who = AUTHOR_LABELS.get(role, role)
    if message.get("author_name"):
        who = f"{who} · {message['author_name']}"
    # the reporter, through the follow link, writes as a simple user
    mine = (
        "mine" if role == viewer_role or (role, viewer_role) == ("user", "reporter") else "theirs"
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Span(
                        [icon("bi-headset" if role == "helpdesk" else "bi-person", "me-1"), who],
                        className="fw-semibold",
                    ),
                    html.Time(
                        format_time(message.get("created_at"), zone),
                        dateTime=message.get("created_at"),
                        className="ms-2",
                    ),
                ],
                className="small message-meta",
            ),
            html.P(message.get("body", ""), className="mb-0 message-text"),
        ],
        className=f"message message-{mine} message-{role}",
        id=f"message-{message.get('id')}",
    )


def empty_thread() -> html.P:
    """What an empty thread says."""
    return html.P(
        "No messages yet. Ask a question or add details here.",
        className="text-body-secondary small mb-0 empty-thread",
    )


def longer_thread_note() -> html.P:
    """What the thread says when one refresh could not bring all of its messages."""
    return html.P(
        [
            icon("bi-three-dots", "me-2"),
            "This conversation is longer than shown here. Its next messages follow with the "
            "next refresh, in a few seconds.",
        ],
        className="text-body-secondary small mb-2 thread-cut",
    )


def message_panel(readonly: bool = False) -> dbc.Card:
    """The conversation card: the thread (polled) and the composer."""
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2([icon("bi-chat-dots", "me-2"), "Conversation"], className="h5 mb-0")
            ),
            dbc.CardBody(
                [
                    loading(html.Div(id=THREAD_ALERT), delay_show=250),
                    html.Div(id=PHOTO_GALLERY, className="mb-3"),
                    html.Div(
                        loading(
                            html.Div(empty_thread(), id=THREAD),
                            target_components={THREAD: "children"},
                            delay_show=400,
                        ),
                        className="thread mb-3",
                        role="log",
                        tabIndex="0",
                        **{"aria-label": "Messages", "aria-live": "polite"},
                    ),
                    composer(readonly),
                ]
            ),
            dcc.Store(id=LAST_ID),
            dcc.Store(id=PHOTO_GALLERY_IDS),
            dcc.Store(id=POKE, data=0),
            dcc.Interval(id=POLL, interval=POLL_MS),
            dcc.Interval(id=PHOTO_POLL, interval=PHOTO_POLL_MS),
        ],
        className="shadow-sm border-0 mb-4",
    )


def composer(readonly: bool = False) -> html.Div:
    """The message box: Enter sends, Shift+Enter starts a new line."""
    return html.Div(
        [
            dbc.Label("Your message", html_for=COMPOSER, className="fw-semibold"),
            dbc.Textarea(
                id=COMPOSER,
                rows=2,
                maxLength=5000,
                submit_on_enter=True,
                disabled=readonly,
                placeholder="Write a message…",
            ),
            html.Div(
                [
                    html.Small(
                        "Enter sends · Shift+Enter adds a line",
                        id=COMPOSER_HINT,
                        className="text-body-secondary",
                    ),
                    dbc.Button(
                        [icon("bi-send", "me-1"), "Send"],
                        id=SEND,
                        color="primary",
                        size="sm",
                        disabled=readonly,
                    ),
                ],
                className="d-flex justify-content-between align-items-center mt-2 gap-2",
            ),
            html.Div(photo_picker("message", compact=True), className="mt-2"),
        ]
    )


def closed_thread_note() -> dbc.Alert:
    """Why the composer is off on a closed ticket."""
    return dbc.Alert(
        "This ticket is closed, so the conversation is read-only.",
        color="secondary",
        className="py-2 small",
    )
