"""The dashboard app itself: headers for iframe embedding, language, local assets, URL prefix."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys

from tests.unit.dash_fakes import FakeSession, dashboard


def test_pages_allow_framing_by_the_configured_ancestors_only():
    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        for path in ("/", "/user/tickets/4", "/_dash-layout", "/assets/campusdesk/campusdesk.css"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "frame-ancestors 'self'" in policy(response)
            assert "X-Frame-Options" not in response.headers


def policy(response) -> list[str]:
    """The directives of a response's Content-Security-Policy."""
    return response.headers["Content-Security-Policy"].split("; ")


def test_pages_run_only_the_dashboards_own_scripts_and_files():
    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        page = client.get("/helpdesk/analytics")
        html = page.get_data(as_text=True)
        directives = dict(d.split(" ", 1) for d in policy(page))
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["connect-src"] == directives["font-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["base-uri"] == directives["form-action"] == "'self'"
        # Every inline script of the page (Dash's renderer and its pages' title) by its hash.
        scripts = directives["script-src"].split()
        assert scripts[0] == "'self'" and "'unsafe-inline'" not in scripts
        inline = re.findall(r"<script(?: id=\"_dash-renderer\"[^>]*)?>(.*?)</script>", html, re.S)
        assert len(inline) == 2 and len(scripts) == 3
        for source in inline:
            digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in scripts
        for path in ("/", "/_dash-layout", "/assets/campusdesk/campusdesk.js"):
            response = client.get(path)
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"


def test_page_has_a_language_and_loads_only_local_files():
    with dashboard(FakeSession()) as app:
        html = app.server.test_client().get("/helpdesk").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "/assets/bootstrap/bootstrap.min.css" in html
    assert "https://" not in html.replace("https://www.ag-grid.com", "")
    assert "cdn" not in html.lower()


def test_prefix_and_frame_ancestors_come_from_the_environment():
    # A separate interpreter: Dash keeps the path prefix in process-wide state.
    script = """
import json
from kit.settings import Settings
from dash_app import create_dash_app
settings = Settings.from_env({"CAMPUSDESK_URL_PREFIX": "/desk/",
                              "CAMPUSDESK_FRAME_ANCESTORS": "https://intranet.example.edu"})
client = create_dash_app(settings).server.test_client()
page = client.get("/desk/user")
csp = page.headers["Content-Security-Policy"].split("; ")
print(json.dumps({"page": page.status_code, "csp": csp[-1],
                  "root": client.get("/").headers.get("Location"),
                  "layout": client.get("/desk/_dash-layout").status_code,
                  "config": "u002fdesk" in page.get_data(as_text=True)}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "page": 200,
        "csp": "frame-ancestors https://intranet.example.edu",
        "root": "/desk/",
        "layout": 200,
        "config": True,
    }
