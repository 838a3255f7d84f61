"""The CampusDesk dashboard: create_dash_app(settings) builds the Dash app."""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import flask
import requests

from dash_app.api_client import SESSION_KEY, SETTINGS_KEY

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent / "assets"
log = logging.getLogger("campusdesk.dashboard")

INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<div class="dash-scripts">
{%config%}
{%scripts%}
{%renderer%}
</div>
</body>
</html>"""


def _on_callback_error(error: Exception) -> None:
    # Callbacks catch ApiError themselves; anything else is logged, never shown on the page.
    log.exception("dashboard callback failed: %s", error)


def _security_headers(settings):
    def add_headers(response: flask.Response) -> flask.Response:
        """Allow framing by the intranet only, on every response."""
        response.headers["Content-Security-Policy"] = f"frame-ancestors {settings.frame_ancestors}"
        response.headers.pop("X-Frame-Options", None)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return add_headers


def create_dash_app(settings) -> dash.Dash:
    """The dashboard for these settings, served under settings.url_prefix."""
    import callbacks  # noqa: F401  (registers every callback)
    from components.layout import app_shell

    prefix = (settings.url_prefix or "") + "/"
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(ASSETS),
        requests_pathname_prefix=prefix,
        routes_pathname_prefix=prefix,
        title="CampusDesk",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        on_error=_on_callback_error,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "CampusDesk, the campus helpdesk"},
        ],
    )
    app.index_string = INDEX_STRING
    app.layout = app_shell
    server = app.server
    server.config[SETTINGS_KEY] = settings
    server.config[SESSION_KEY] = requests.Session()
    server.after_request(_security_headers(settings))
    if settings.url_prefix:
        server.add_url_rule("/", "prefix_redirect", lambda: flask.redirect(prefix))
    return app
