"""The dashboard's only HTTP code: a small client of the ticket API that raises ApiError."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flask
import requests

ROLES = ("user", "helpdesk")
SETTINGS_KEY = "CAMPUSDESK_SETTINGS"
SESSION_KEY = "CAMPUSDESK_HTTP_SESSION"
DEFAULT_TIMEOUT = 8.0


@dataclass
class ApiError(Exception):
    """A ticket API answer that is not 2xx, or no answer at all (status 0)."""

    status: int
    title: str
    detail: str = ""
    errors: list[dict] = field(default_factory=list)
    current: dict | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}".strip(": ")

    def field_errors(self) -> dict[str, str]:
        """The validation messages keyed by field name (first message per field)."""
        found: dict[str, str] = {}
        for item in self.errors or []:
            name = str(item.get("field") or item.get("loc") or "")
            found.setdefault(name, str(item.get("message") or item.get("msg") or ""))
        return found


def _header_safe(name: str | None) -> bytes | None:
    # Header values travel as bytes; the API reads X-User-Name as UTF-8, so any name fits.
    if not name:
        return None
    name = name.strip()[:80]
    return name.encode("utf-8") if name else None


def _problem(response: requests.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return ApiError(
        status=response.status_code,
        title=str(body.get("title") or response.reason or "Request failed"),
        detail=str(body.get("detail") or ""),
        errors=list(body.get("errors") or []),
        current=body.get("current") if isinstance(body.get("current"), dict) else None,
    )


class ApiClient:
    """Calls the ticket API as one role (and optional name); every failure becomes ApiError."""

    def __init__(
        self,
        base_url: str,
        role: str = "user",
        name: str | None = None,
        session: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/api"
        self.role = role if role in ROLES else "user"
        self.name = name
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"X-Role": self.role, "Accept": "application/json"}
        safe_name = _header_safe(self.name)
        if safe_name:
            headers["X-User-Name"] = safe_name
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: Any = None,
        headers: dict | None = None,
    ) -> requests.Response:
        """Send one request; a non-2xx answer or a network failure raises ApiError."""
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                headers=self._headers(headers),
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise ApiError(
                0,
                "The ticket service is too slow",
                "It did not answer in time. Please try again in a moment.",
            ) from None
        except requests.RequestException:
            raise ApiError(
                0,
                "The ticket service is unreachable",
                "It may be restarting. Please try again in a moment.",
            ) from None
        if not 200 <= response.status_code < 300:
            raise _problem(response)
        return response

    def _json(self, method: str, path: str, **kwargs) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                response.status_code,
                "Unexpected answer",
                "The ticket service sent something that is not JSON.",
            ) from None

    def health(self) -> dict:
        """GET /api/health."""
        return self._json("GET", "/health")

    def categories(self) -> list[dict]:
        """The three categories with key, label and description."""
        return self._json("GET", "/categories")

    def classify(self, text: str) -> dict:
        """The category the API would give this text (stores nothing)."""
        return self._json("POST", "/classify", json={"text": text})

    def create_ticket(self, fields: dict) -> dict:
        """Create a ticket and return it."""
        return self._json("POST", "/tickets", json=fields)

    def list_tickets(self, **params) -> dict:
        """One page of tickets: {"items", "total", "page", "per_page"}."""
        clean = {k: v for k, v in params.items() if v not in (None, "", [])}
        return self._json("GET", "/tickets", params=clean)

    def get_ticket(self, ticket_id: int) -> dict:
        """One ticket."""
        return self._json("GET", f"/tickets/{int(ticket_id)}")

    def update_ticket(self, ticket_id: int, version: int, changes: dict) -> dict:
        """PATCH a ticket with If-Match; a stale version raises ApiError 409 with current."""
        return self._json(
            "PATCH",
            f"/tickets/{int(ticket_id)}",
            json=changes,
            headers={"If-Match": f'"{int(version)}"'},
        )

    def delete_ticket(self, ticket_id: int) -> None:
        """Delete a ticket (helpdesk only)."""
        self._json("DELETE", f"/tickets/{int(ticket_id)}")

    def messages(self, ticket_id: int, after_id: int | None = None) -> list[dict]:
        """The ticket's messages, oldest first; only those after after_id when given."""
        params = {"after_id": int(after_id)} if after_id else None
        return self._json("GET", f"/tickets/{int(ticket_id)}/messages", params=params)["items"]

    def send_message(self, ticket_id: int, body: str, author_name: str | None = None) -> dict:
        """Add a message to the ticket's thread."""
        payload = {"body": body}
        if author_name and author_name.strip():
            payload["author_name"] = author_name.strip()[:80]
        return self._json("POST", f"/tickets/{int(ticket_id)}/messages", json=payload)

    def history(self, ticket_id: int) -> list[dict]:
        """The ticket's change history, oldest first."""
        return self._json("GET", f"/tickets/{int(ticket_id)}/history")["items"]

    def status_counts(self) -> dict:
        """{"open": n, "active": n, "closed": n}."""
        return self._json("GET", "/stats/status-counts")


def settings():
    """The Settings of the running dashboard (stored on its Flask server)."""
    return flask.current_app.config[SETTINGS_KEY]


def for_role(role: str | None, name: str | None = None) -> ApiClient:
    """A client for the running dashboard's API, speaking as role (and name)."""
    config = flask.current_app.config
    return ApiClient(
        config[SETTINGS_KEY].api_url, role or "user", name, session=config.get(SESSION_KEY)
    )
