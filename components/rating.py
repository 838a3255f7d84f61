"""How did we do? The reporter rates a closed ticket's outcome on its follow-link page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from components.common import HIDDEN, icon

RATING_CARD = "rating-card"
RATING_BODY = "rating-body"
RATING_STARS = "rating-stars"
RATING_COMMENT = "rating-comment"
RATING_SEND = "rating-send"
RATING_ALERT = "rating-alert"
STARS = {1: "1 · bad", 2: "2 · poor", 3: "3 · fair", 4: "4 · good", 5: "5 · very good"}


def rating_card() -> dbc.Card:
    """The card, hidden until the ticket is closed."""
    return dbc.Card(
        [
            dbc.CardHeader(
                html.H2([icon("bi-star", "me-2"), "How did we do?"], className="h5 mb-0")
            ),
            dbc.CardBody(html.Div(id=RATING_BODY)),
        ],
        id=RATING_CARD,
        className="shadow-sm border-0 mb-4",
        style=HIDDEN,
    )


def rating_form() -> list:
    """1 to 5 stars and an optional comment."""
    return [
        html.P(
            "Your ticket is closed. How well was your problem solved? You can rate it once.",
            className="small mb-2",
        ),
        dbc.Label("Your rating", html_for=RATING_STARS, className="fw-semibold"),
        dbc.RadioItems(
            id=RATING_STARS,
            options=[{"label": label, "value": stars} for stars, label in STARS.items()],
            className="mb-2",
        ),
        dbc.Label("Comment (optional)", html_for=RATING_COMMENT),
        dbc.Textarea(id=RATING_COMMENT, maxLength=1000, rows=2, className="mb-2"),
        dbc.Button([icon("bi-send", "me-2"), "Send rating"], id=RATING_SEND, color="primary"),
        html.Div(id=RATING_ALERT, className="mt-2", **{"aria-live": "polite"}),
    ]


def rating_given(rating: dict) -> list:
    """The rating the reporter gave."""
    stars = int(rating.get("stars") or 0)
    shown = [
        html.P(
            [
                html.Span("★" * stars + "☆" * (5 - stars), className="rating-stars me-2"),
                f"You rated the outcome {stars} out of 5. Thank you!",
            ],
            className="mb-1",
        )
    ]
    if rating.get("comment"):
        shown.append(html.P(rating["comment"], className="small text-body-secondary mb-0"))
    return shown
