"""The dashboard's photo route: the browser shows a ticket's photos from the dashboard's own
address (the page loads nothing from elsewhere, and never needs the API's address), and the
dashboard fetches them from the API with the page's role, or through the follow link."""

from __future__ import annotations

import dash
import flask

from components.ticket_detail import REPORTER
from dash_app import api_client
from dash_app.api_client import ApiError

#: The roles a photo address may name (the dashboard's pages say theirs).
ROLES = ("user", "helpdesk", REPORTER)
#: As the API sends them: a photo never changes, and is for this person only.
CACHE_CONTROL = "private, max-age=31536000, immutable"


def photo_path(ticket_ref, photo_id: int, role: str, thumbnail: bool = False) -> str:
    """The dashboard address of a photo of a ticket (its number, or its follow token for the
    role REPORTER) as the page of role shows it."""
    role = role if role in ROLES else "user"
    tail = "/thumbnail" if thumbnail else ""
    return dash.get_relative_path(f"/photos/{role}/{ticket_ref}/{int(photo_id)}{tail}")


def _serve(role: str, ticket_ref: str, photo_id: int, thumbnail: bool) -> flask.Response:
    if role not in ROLES or (role != REPORTER and not ticket_ref.isdigit()):
        flask.abort(404)
    try:
        answer = api_client.for_role(role).photo(ticket_ref, photo_id, thumbnail)
    except ApiError as error:
        status = error.status if 400 <= error.status < 500 else 502
        return flask.Response(error.detail or error.title, status, mimetype="text/plain")
    response = flask.Response(answer.content, 200, mimetype=answer.headers.get("Content-Type"))
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_app(server: flask.Flask, prefix: str) -> None:
    """Add the photo routes under the dashboard's prefix."""
    base = f"{prefix}photos/<role>/<ticket_ref>/<int:photo_id>"

    def photo(role: str, ticket_ref: str, photo_id: int):
        return _serve(role, ticket_ref, photo_id, thumbnail=False)

    def thumbnail(role: str, ticket_ref: str, photo_id: int):
        return _serve(role, ticket_ref, photo_id, thumbnail=True)

    server.add_url_rule(base, "photo", photo, methods=["GET"])
    server.add_url_rule(f"{base}/thumbnail", "photo_thumbnail", thumbnail, methods=["GET"])
