"""The CampusDesk dashboard: create_dash_app(settings) builds the Dash app."""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import flask
import requests

from dash_app import photos
from dash_app.api_client import SESSION_KEY, SETTINGS_KEY
from kit import headers, limits, metrics, request_log

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent / "assets"
log = logging.getLogger("campusdesk.dashboard")
#: The address ending of Dash's callback route.
CALLBACKS = "_dash-update-component"

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


def content_security_policy(settings, script_hashes) -> str:
    """The dashboard's policy: only what it serves itself, Dash's inline scripts by hash, and
    framing by the intranet pages of CAMPUSDESK_FRAME_ANCESTORS."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": settings.frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _security_headers(app: dash.Dash, settings):
    policy = []

    def add_headers(response: flask.Response) -> flask.Response:
        """The content security policy and the shared headers, on every response."""
        if not policy:
            # Dash adds its pages' inline script when it serves its first request (which has
            # run by now); hashing earlier would leave that script out, and the page broken.
            policy.append(content_security_policy(settings, app.csp_hashes()))
        response.headers["Content-Security-Policy"] = policy[0]
        # frame-ancestors replaces it (and X-Frame-Options cannot name several origins).
        response.headers.pop("X-Frame-Options", None)
        return headers.add_headers(response)

    return add_headers


def dashboard_photo_limit(settings) -> int:
    """The body limit of the dashboard's callbacks: photos as the API takes them, in base64,
    on top of the dashboard's own limit."""
    return settings.max_dashboard_body_bytes + -(-settings.max_photo_body_bytes * 4 // 3)


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
    server.after_request(_security_headers(app, settings))
    request_log.init_app(
        server,
        "dashboard",
        access_log=settings.access_log,
        trusted_proxies=settings.trusted_proxies,
    )
    # Callbacks post their inputs and states as JSON: a limit of their own, well above them;
    # the callbacks that send photos carry them base64-encoded (a third larger).
    callback_endpoints = [
        rule.endpoint for rule in server.url_map.iter_rules() if rule.rule.endswith(CALLBACKS)
    ]
    limits.init_app(
        server,
        body_bytes=settings.max_dashboard_body_bytes,
        header_bytes=settings.max_header_bytes,
        larger=dict.fromkeys(callback_endpoints, dashboard_photo_limit(settings)),
    )
    photos.init_app(server, prefix)
    metrics.init_app(server, "dashboard")
    if settings.url_prefix:
        server.add_url_rule("/", "prefix_redirect", lambda: flask.redirect(prefix))
    return app
