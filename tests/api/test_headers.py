"""The security headers of the API: on answers and on problems alike."""

from __future__ import annotations

from tests.api.helpers import HELPDESK


def test_answers_and_problems_carry_the_security_headers(client):
    for path, status in (("/api/tickets", 200), ("/api/tickets/999999", 404), ("/nowhere", 404)):
        response = client.get(path, headers=HELPDESK)
        assert response.status_code == status, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
