"""Same problem, one ticket: the similar tickets the report form suggests while a person
types, "This is my problem too", how many people reported a ticket, and merged tickets."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.common import fact, icon, status_badge

REPORT_SIMILAR = "report-similar"
SIMILAR_LIST = "similar-list"
SIMILAR_FOLLOW = "similar-follow"
SIMILAR_RESULT = "similar-result"
MERGED_NOTE = "merged-note"
MERGE_INTO = "merge-into"
MERGE_ACTION = "merge-action"
MERGE_MODAL = "merge-modal"
MERGE_QUESTION = "merge-question"
MERGE_CONFIRM = "merge-confirm"
MERGE_CANCEL = "merge-cancel"


def reported_by_text(count) -> str:
    """'reported by 1 person', 'reported by 3 people'."""
    count = int(count or 1)
    return "reported by 1 person" if count == 1 else f"reported by {count} people"


def similar_box(items: list[dict], statuses: dict[str, str]) -> list:
    """The tickets that seem to be about the problem being typed, each with its "This is my
    problem too" button; nothing when there are none."""
    if not items:
        return []
    rows = [
        html.Li(
            [
                html.Div(
                    [
                        html.Span(f"#{t['id']} ", className="text-body-secondary"),
                        html.Span(t["title"], className="fw-semibold text-break"),
                    ]
                ),
                html.Div(
                    [
                        status_badge(t["status"], statuses),
                        html.Span(
                            reported_by_text(t.get("reported_by")),
                            className="small text-body-secondary ms-2 similar-count",
                        ),
                    ],
                    className="my-1",
                ),
                dbc.Button(
                    [icon("bi-person-plus", "me-1"), "This is my problem too"],
                    id={"type": SIMILAR_FOLLOW, "index": t["id"]},
                    color="primary",
                    outline=True,
                    size="sm",
                    className="similar-follow",
                ),
            ],
            className="list-group-item similar-ticket",
        )
        for t in items
    ]
    return [
        html.Div(
            [
                html.H3(
                    [icon("bi-people", "me-2"), "Already reported?"],
                    className="h6 mb-1",
                ),
                html.P(
                    "These tickets look like the same problem. If yours is one of them, follow "
                    "it instead of reporting it again: the helpdesk sees that one more person "
                    "is affected, and you get its private link.",
                    className="small mb-2",
                ),
                html.Ul(rows, className="list-group mb-2", id=SIMILAR_LIST),
            ],
            className="similar-box border rounded-3 p-3 mb-3",
        )
    ]


def followed_confirmation(ticket: dict, follow_box) -> dbc.Alert:
    """The thank-you of a new follower, with their private link (follow_box)."""
    return dbc.Alert(
        [
            html.H3(
                [
                    icon("bi-check-circle-fill", "me-2"),
                    f"You follow ticket #{ticket['id']}, now "
                    f"{reported_by_text(ticket.get('reported_by'))}.",
                ],
                className="h6 alert-heading",
            ),
            html.P(
                "No need to report it again. You can read the helpdesk's answers and write "
                "under it with your private link:",
                className="mb-2",
            ),
            follow_box,
        ],
        color="success",
        className="mb-3",
        id=SIMILAR_RESULT,
    )


def merged_note(ticket: dict) -> dbc.Alert | None:
    """On a follow link's page: the person's ticket was merged into the one shown."""
    if not ticket.get("merged_from"):
        return None
    return dbc.Alert(
        [
            icon("bi-sign-merge-left", "me-2"),
            html.Strong(f"Your ticket #{ticket['merged_from']} was merged into #{ticket['id']}. "),
            "The helpdesk handles the same problem here; your link now opens this ticket.",
        ],
        color="info",
        className="small py-2 merged-note",
    )


def _ticket_ref(ticket_id: int, title: str | None, link: bool):
    text = f"#{ticket_id}" + (f" {title}" if title else "")
    if link:
        return dcc.Link(text, href=dash.get_relative_path(f"/helpdesk/tickets/{ticket_id}"))
    return text


def merge_facts(ticket: dict, link: bool) -> list:
    """The ticket it was merged into and the tickets merged into it, as facts (links to
    their pages for the helpdesk)."""
    facts = []
    if ticket.get("merged_into"):
        into = _ticket_ref(ticket["merged_into"], None, link)
        facts.append(fact("Merged into", into, "fact-merged-into"))
    merged = ticket.get("merged") or []
    if merged:
        items = [html.Li(_ticket_ref(m["id"], m.get("title"), link)) for m in merged]
        facts.append(
            fact("Merged here", html.Ul(items, className="list-unstyled mb-0"), "fact-merged")
        )
    return facts


def merge_question(ticket: dict, into: int) -> str:
    """What the confirmation asks."""
    return (
        f"Ticket #{ticket['id']} is closed as a duplicate of #{into}. Its reporter and "
        f"followers then follow #{into}, and its messages stay under #{ticket['id']}, "
        f"linked from #{into}. This cannot be undone."
    )
