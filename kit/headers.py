"""The security headers every CampusDesk Flask app sends (docs/deployment.md): no content-type
sniffing, and no address of a page leaked to other sites."""

from __future__ import annotations

from flask import Flask, Response

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_headers(response: Response) -> Response:
    """Add the shared headers to a response, keeping any a view set itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Send the shared headers on every response of app, errors included."""
    app.after_request(add_headers)
