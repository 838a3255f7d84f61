"""The dashboard app itself: headers for iframe embedding, language, local assets, URL prefix."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.unit.dash_fakes import FakeSession, dashboard


def test_pages_allow_framing_by_the_configured_ancestors_only():
    with dashboard(FakeSession()) as app:
        client = app.server.test_client()
        for path in ("/", "/user/tickets/4", "/_dash-layout", "/assets/campusdesk/campusdesk.css"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
            assert "X-Frame-Options" not in response.headers


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
print(json.dumps({"page": page.status_code, "csp": page.headers["Content-Security-Policy"],
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
