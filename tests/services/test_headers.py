"""The security headers of the analytics services: the same as the API's, from kit.headers."""

from __future__ import annotations

import pytest

from kit.settings import Settings
from metrics_services import SERVICES, create_app


@pytest.mark.parametrize("name", list(SERVICES))
def test_every_service_answer_carries_the_security_headers(name):
    client = create_app(name, Settings.from_env({})).test_client()
    for path, status in (("/health", 200), ("/analyses", 200), ("/nowhere", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
