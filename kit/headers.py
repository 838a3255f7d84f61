"""The security headers every CampusDesk Flask app sends (docs/deployment.md): no content-type
sniffing, and no address of a page leaked to other sites."""

from __future__ import annotations

from flask import Flask, Response

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


#: The same, by lower-case name (header names are case-insensitive).
_BY_LOWER = {name.lower(): (name, value) for name, value in HEADERS.items()}


def add_headers(response: Response) -> Response:
    """Add the shared headers to a response, keeping any a view set itself."""
    # One pass over the response's headers instead of one lookup per shared header.
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for lower, (name, value) in _BY_LOWER.items():
        if lower not in present:
            headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    """Send the shared headers on every response of app, errors included."""
    app.after_request(add_headers)
