"""The dashboard's only HTTP code: small clients of the ticket API and of the analytics
services, which turn every failure into ApiError."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import flask
import requests

from components.ticket_detail import REPORTER
from dash_app.cache import CACHE_SECONDS, TimedCache
from dash_app.vocabulary import Vocabulary
from kit.clients import forwarding_headers
from kit.limits import MY_REPORTS_KEPT
from kit.request_log import outgoing_headers

ROLES = ("user", "helpdesk")
#: The follow tokens of the API (docs/api.md): a page role of REPORTER names its ticket so.
FOLLOW_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
SETTINGS_KEY = "CAMPUSDESK_SETTINGS"
SESSION_KEY = "CAMPUSDESK_HTTP_SESSION"
DEFAULT_TIMEOUT = 8.0
#: Seconds to connect to an analytics service and to wait for its answer.
SERVICE_TIMEOUT = (2.0, 6.0)
#: The analytics services: name (as in `campusdesk metrics NAME`) -> the Settings attribute of
#: its address, and what people call it.
SERVICES = {
    "unclosed": ("unclosed_url", "backlog service"),
    "resolution": ("resolution_url", "speed service"),
    "by-category": ("by_category_url", "volume service"),
}
#: The most requests one look at a thread makes: up to 50 x 200 messages, then the dashboard
#: says the thread is longer than shown.
MAX_MESSAGE_PAGES = 50
LIST_ROUTE = "/api/tickets"
PAGING = ("page", "per_page")
log = logging.getLogger("campusdesk.dashboard")


@dataclass
class ApiError(Exception):
    """An answer of the ticket API or a service that is not 2xx, or no answer at all (status 0)."""

    status: int
    title: str
    detail: str = ""
    errors: list[dict] = field(default_factory=list)
    current: dict | None = None
    #: Seconds to wait before trying again (429 Too many requests), from ``Retry-After``.
    retry_after: int | None = None

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
        retry_after=_retry_after(response.headers.get("Retry-After")),
    )


def _retry_after(value: str | None) -> int | None:
    # Only the delay-seconds form: CampusDesk's API never sends an HTTP date.
    value = (value or "").strip()
    return max(1, int(value)) if value.isdigit() and len(value) < 9 else None


class HttpClient:
    """GET, POST... to one server as JSON; a non-2xx answer or no answer raises ApiError."""

    #: What people call the server, in the messages of failures without an answer.
    who = "ticket service"
    unreachable = (
        "The {who} is unreachable",
        "It may be restarting. Please try again in a moment.",
    )

    def __init__(self, base_url: str, session: Any = None, timeout=DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout

    def _headers(self, extra: dict | None = None) -> dict:
        return {"Accept": "application/json", **(extra or {})}

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: Any = None,
        headers: dict | None = None,
        files: Any = None,
        data: Any = None,
    ) -> requests.Response:
        """Send one request; a non-2xx answer or a network failure raises ApiError."""
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                # multipart only when there are files (photos)
                **({"files": files, "data": data} if files else {}),
                # The id of the request being served travels on, and the address of the
                # person it serves: the API's rate limits count people, not the dashboard
                # (docs/architecture.md).
                headers={**outgoing_headers(), **forwarding_headers(), **self._headers(headers)},
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise ApiError(
                0,
                f"The {self.who} is too slow",
                "It did not answer in time. Please try again in a moment.",
            ) from None
        except requests.RequestException:
            title, detail = self.unreachable
            raise ApiError(0, title.format(who=self.who), detail) from None
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
                f"The {self.who} sent something that is not JSON.",
            ) from None


class ApiClient(HttpClient):
    """Calls the ticket API as one role (and optional name); every failure becomes ApiError."""

    def __init__(
        self,
        base_url: str,
        role: str = "user",
        name: str | None = None,
        session: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(base_url.rstrip("/") + "/api", session, timeout)
        self.role = role if role in ROLES else "user"
        self.name = name

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"X-Role": self.role, "Accept": "application/json"}
        safe_name = _header_safe(self.name)
        if safe_name:
            headers["X-User-Name"] = safe_name
        headers.update(extra or {})
        return headers

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

    def _ticket(self, ticket_id) -> str:
        """The path of a ticket."""
        return f"/tickets/{int(ticket_id)}"

    def get_ticket(self, ticket_id: int) -> dict:
        """One ticket."""
        return self._json("GET", self._ticket(ticket_id))

    def update_ticket(self, ticket_id: int, version: int, changes: dict) -> dict:
        """PATCH a ticket with If-Match; a stale version raises ApiError 409 with current."""
        return self._json(
            "PATCH",
            self._ticket(ticket_id),
            json=changes,
            headers={"If-Match": f'"{int(version)}"'},
        )

    def similar(self, text: str) -> list[dict]:
        """The open and active tickets similar to a text being typed (at most three)."""
        params = {"description": text[:10_000]}
        return self._json("GET", "/tickets/similar", params=params)["items"]

    def follow_ticket(self, ticket_id: int, email: str | None = None) -> dict:
        """Follow a ticket ("This is my problem too"), with an address for its e-mail
        notices if one is given: it with the follower's follow token."""
        body = {"email": email} if email else None
        return self._json("POST", f"/tickets/{int(ticket_id)}/followers", json=body)

    def merge_ticket(self, ticket_id: int, version: int, into: int) -> dict:
        """Merge a ticket, at version, into another (helpdesk only); the closed duplicate."""
        body = {"into": int(into), "version": int(version)}
        return self._json("POST", f"/tickets/{int(ticket_id)}/merge", json=body)

    def delete_ticket(self, ticket_id: int) -> None:
        """Delete a ticket (helpdesk only)."""
        self._json("DELETE", self._ticket(ticket_id))

    def messages(
        self, ticket_id: int, after_id: int | None = None, max_pages: int = MAX_MESSAGE_PAGES
    ) -> dict:
        """The ticket's messages after after_id (all when none), oldest first, following the
        API's `next_after_id` for at most max_pages requests.

        Answers {"items", "has_more", "next_after_id"}: has_more is true when the thread goes
        on beyond what max_pages requests brought, and next_after_id is where to go on from.
        """
        return self._thread(f"{self._ticket(ticket_id)}/messages", after_id, max_pages)

    def notes(
        self, ticket_id: int, after_id: int | None = None, max_pages: int = MAX_MESSAGE_PAGES
    ) -> dict:
        """The ticket's internal notes after after_id (helpdesk staff only), read as the
        messages are."""
        return self._thread(f"{self._ticket(ticket_id)}/notes", after_id, max_pages)

    def _thread(self, path: str, after_id: int | None, max_pages: int) -> dict:
        items: list[dict] = []
        cursor = int(after_id or 0)
        for _ in range(max(1, max_pages)):
            page = self._json("GET", path, params={"after_id": cursor} if cursor else None)
            items.extend(page["items"])
            following = page.get("next_after_id")
            if not page.get("has_more") or following is None:
                return {"items": items, "has_more": False, "next_after_id": None}
            if int(following) <= cursor:
                # A cursor that does not move on would show the same messages again.
                raise ApiError(
                    200, "Unexpected answer", f"The {self.who} sent a cursor that goes back."
                )
            cursor = int(following)
        return {"items": items, "has_more": True, "next_after_id": cursor}

    def send_message(self, ticket_id: int, body: str, author_name: str | None = None) -> dict:
        """Add a message to the ticket's thread."""
        payload = {"body": body}
        if author_name and author_name.strip():
            payload["author_name"] = author_name.strip()[:80]
        return self._json("POST", f"{self._ticket(ticket_id)}/messages", json=payload)

    def photos(self, ticket_id) -> list[dict]:
        """The ticket's photos, oldest first."""
        return self._json("GET", f"{self._ticket(ticket_id)}/photos")["items"]

    def upload_photos(
        self, ticket_id, photos: list[tuple[str, bytes]], message_id: int | None = None
    ) -> list[dict]:
        """Attach photos (file name, content) to the ticket, or to one of its messages."""
        files = [("photos", (name or "photo", content)) for name, content in photos]
        data = {"message_id": str(message_id)} if message_id else None
        path = f"{self._ticket(ticket_id)}/photos"
        return self._json("POST", path, files=files, data=data)["items"]

    def photo(self, ticket_id, photo_id: int, thumbnail: bool = False) -> requests.Response:
        """The answer of one photo (or its thumbnail): its bytes and content type."""
        path = f"{self._ticket(ticket_id)}/photos/{int(photo_id)}"
        return self.request("GET", path + ("/thumbnail" if thumbnail else ""))

    def add_note(self, ticket_id: int, body: str, author_name: str | None = None) -> dict:
        """Write an internal note under the ticket."""
        payload = {"body": body}
        if author_name and author_name.strip():
            payload["author_name"] = author_name.strip()[:80]
        return self._json("POST", f"{self._ticket(ticket_id)}/notes", json=payload)

    def history(self, ticket_id: int) -> list[dict]:
        """The ticket's change history, oldest first."""
        return self._json("GET", f"{self._ticket(ticket_id)}/history")["items"]

    def notices(self, matching: str | None = None) -> list[dict]:
        """The campus notices showing now (those matching a text, when given)."""
        params = {"matching": matching} if matching is not None else None
        return self._json("GET", "/notices", params=params)["items"]

    def post_notice(self, text: str, ends_at: str | None = None) -> dict:
        """Announce a campus notice (helpdesk)."""
        body = {"text": text} | ({"ends_at": ends_at} if ends_at else {})
        return self._json("POST", "/notices", json=body)

    def remove_notice(self, notice_id: int) -> None:
        """Take a campus notice down (helpdesk)."""
        self._json("DELETE", f"/notices/{int(notice_id)}")

    def status_counts(self) -> dict:
        """{"open": n, "active": n, "closed": n}."""
        return self._json("GET", "/stats/status-counts")

    def mail_info(self) -> dict:
        """Whether reporters may leave an e-mail address for notices."""
        return self._json("GET", "/mail")

    def subscription(self, token: str) -> dict:
        """What an unsubscribe link is about (changes nothing)."""
        return self._json("GET", f"/unsubscribe/{quote(token, safe='')}")

    def unsubscribe(self, token: str) -> dict:
        """Stop the mails of an unsubscribe link."""
        return self._json("POST", f"/unsubscribe/{quote(token, safe='')}")


#: One per process: every worker asks the API itself, at most once per CACHE_SECONDS.
CACHE = TimedCache(CACHE_SECONDS)


def settings():
    """The Settings of the running dashboard (stored on its Flask server)."""
    return flask.current_app.config[SETTINGS_KEY]


def for_role(role: str | None, name: str | None = None) -> ApiClient:
    """A client for the running dashboard's API, speaking as role (and name); as a ticket's
    reporter through its follow link for the role REPORTER."""
    config = flask.current_app.config
    kind = FollowClient if role == REPORTER else ApiClient
    return kind(config[SETTINGS_KEY].api_url, role or "user", name, session=config.get(SESSION_KEY))


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


def mail_notifications() -> bool:
    """Whether the API sends e-mail notices; False while it cannot say."""
    client = for_role("user")
    try:
        info = CACHE.get((client.base_url, "mail"), client.mail_info)
    except ApiError as error:
        log.warning("ticket API mail settings unavailable: %s", error)
        return False
    return bool(info.get("notifications"))


def ticket_filters() -> dict[str, dict] | None:
    """The filters of GET /api/tickets (name -> schema) from its OpenAPI; None when unknown."""
    client = for_role("helpdesk")
    try:
        return CACHE.get((client.base_url, "ticket-filters"), client.ticket_filters)
    except ApiError as error:
        log.warning("ticket API filters unavailable: %s", error)
        return None


class ServiceClient(HttpClient):
    """Calls one analytics service (GET only); every failure becomes ApiError."""

    unreachable = (
        "The {who} is unavailable",
        "It does not answer; it may be stopped or restarting.",
    )

    def __init__(self, name: str, base_url: str, session: Any = None, timeout=SERVICE_TIMEOUT):
        super().__init__(base_url, session, timeout)
        self.name = name
        self.who = SERVICES.get(name, (None, f"{name} service"))[1]

    def analyses(self) -> list[dict]:
        """The service's analyses: key, path, title, definition and parameters of each."""
        body = self._json("GET", "/analyses")
        try:
            return [dict(item) for item in body["analyses"]]
        except (KeyError, TypeError, ValueError):
            raise ApiError(
                200, "Unexpected answer", f"The {self.who} did not list its analyses."
            ) from None

    def analysis(self, path: str, params: dict | None = None) -> dict:
        """The answer of one analysis for these parameters (empty ones left out)."""
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        return self._json("GET", path, params=clean)


def for_service(name: str) -> ServiceClient:
    """A client of the analytics service called name, at the running dashboard's address."""
    config = flask.current_app.config
    address = getattr(config[SETTINGS_KEY], SERVICES[name][0])
    return ServiceClient(name, address, session=config.get(SESSION_KEY))


def analysis_info(name: str, key: str) -> dict:
    """The service's own title and definition of one analysis (kept a few minutes).

    Raises ApiError when the service cannot say; an analysis it does not list is {}.
    """
    client = for_service(name)
    listed = CACHE.get((client.base_url, "analyses"), client.analyses)
    return next((item for item in listed if item.get("key") == key), {})


class FollowClient(ApiClient):
    """The ticket API as a ticket's reporter sees it through the follow link: the methods
    of one ticket take its follow token where ApiClient takes its number."""

    def _ticket(self, ticket_id) -> str:
        token = str(ticket_id or "")
        if not FOLLOW_TOKEN.fullmatch(token):
            raise ApiError(404, "Not found", "No ticket has this follow link.")
        return f"/follow/{token}"

    def rate(self, token: str, stars: int, comment: str | None = None) -> dict:
        """Rate the closed ticket of a follow token, once."""
        body = {"stars": stars} | (
            {"comment": comment.strip()} if comment and comment.strip() else {}
        )
        return self._json("POST", f"{self._ticket(token)}/rating", json=body)

    def followed(self, tokens: list[str]) -> dict[str, dict]:
        """The tickets of some follow tokens (those that still open one), by token, in one
        request (the tokens in its body)."""
        asked = [t for t in dict.fromkeys(tokens) if FOLLOW_TOKEN.fullmatch(str(t or ""))]
        if not asked:
            return {}
        return self._json("POST", "/follow", json={"tokens": asked[:MY_REPORTS_KEPT]})["tickets"]
