"""The dashboard's only HTTP code: a small client of the ticket API that raises ApiError."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import flask
import requests

from dash_app.vocabulary import Vocabulary

ROLES = ("user", "helpdesk")
SETTINGS_KEY = "CAMPUSDESK_SETTINGS"
SESSION_KEY = "CAMPUSDESK_HTTP_SESSION"
DEFAULT_TIMEOUT = 8.0
#: The vocabulary and the list's filters change only with a release of the API.
CACHE_SECONDS = 300.0
LIST_ROUTE = "/api/tickets"
PAGING = ("page", "per_page")
log = logging.getLogger("campusdesk.dashboard")


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

    def workflow(self) -> dict:
        """The statuses, the moves between them, who may change and see what."""
        return self._json("GET", "/workflow")

    def openapi(self) -> dict:
        """The API's own OpenAPI document."""
        return self._json("GET", "/openapi.json")

    def ticket_filters(self) -> dict[str, dict]:
        """The query parameters GET /api/tickets declares, paging aside: name -> JSON schema."""
        doc = self.openapi()
        try:
            declared = doc["paths"][LIST_ROUTE]["get"].get("parameters") or []
            return {
                str(p["name"]): dict(p.get("schema") or {})
                for p in declared
                if p.get("in") == "query" and p.get("name") not in PAGING
            }
        except (KeyError, TypeError, AttributeError):
            raise ApiError(
                200, "Unexpected answer", "The ticket service's description lacks the list."
            ) from None

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


class TimedCache:
    """Answers kept for a few minutes; a failed fetch keeps nothing, so the next call retries."""

    def __init__(self, seconds: float = CACHE_SECONDS, clock=time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._kept: dict = {}
        self._lock = threading.Lock()

    def get(self, key, fetch):
        """The value kept under key while fresh, else fetch() (whose errors pass through)."""
        now = self.clock()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = fetch()
        with self._lock:
            self._kept[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every kept answer."""
        with self._lock:
            self._kept.clear()


#: One per process: every worker asks the API itself, at most once per CACHE_SECONDS.
CACHE = TimedCache()


def settings():
    """The Settings of the running dashboard (stored on its Flask server)."""
    return flask.current_app.config[SETTINGS_KEY]


def for_role(role: str | None, name: str | None = None) -> ApiClient:
    """A client for the running dashboard's API, speaking as role (and name)."""
    config = flask.current_app.config
    return ApiClient(
        config[SETTINGS_KEY].api_url, role or "user", name, session=config.get(SESSION_KEY)
    )


def vocabulary() -> Vocabulary:
    """The API's category and status words and its workflow; empty while the API cannot say."""
    client = for_role("user")

    def fetch() -> Vocabulary:
        return Vocabulary.from_api(client.categories(), client.workflow())

    try:
        return CACHE.get((client.base_url, "vocabulary"), fetch)
    except (ApiError, ValueError) as error:
        log.warning("ticket API vocabulary unavailable, showing raw keys: %s", error)
        return Vocabulary()


def ticket_filters() -> dict[str, dict] | None:
    """The filters of GET /api/tickets (name -> schema) from its OpenAPI; None when unknown."""
    client = for_role("helpdesk")
    try:
        return CACHE.get((client.base_url, "ticket-filters"), client.ticket_filters)
    except ApiError as error:
        log.warning("ticket API filters unavailable: %s", error)
        return None
