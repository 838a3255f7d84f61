"""The services' only way to the data: the ticket API over HTTP, as helpdesk staff, on a
kept-alive session with a timeout and a bounded retry on every call."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kit.metrics import counter
from kit.problems import ApiProblem
from kit.request_log import outgoing_headers

#: Seconds to connect and to wait for an answer; the API's statistics take milliseconds.
TIMEOUT = (2.0, 5.0)
RETRIES = 2
#: Calls to the ticket API that failed, after the retries: "timeout", "connection" or "status"
#: (an answer of 400 or more).
API_ERRORS = counter(
    "campusdesk_ticket_api_errors", "Failed calls to the ticket API, by kind.", ("kind",)
)


class TicketApi:
    """GET requests to the ticket API; failures become 503 problems that say so."""

    def __init__(self, base_url: str, timeout=TIMEOUT, retries: int = RETRIES) -> None:
        self.base_url = base_url.rstrip("/") + "/api"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"X-Role": "helpdesk", "Accept": "application/json"})
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=0.05,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, path: str, **params) -> dict:
        """The JSON answer of ``GET /api{path}``; a 503 problem when the API cannot answer."""
        url = self.base_url + path
        query = {k: v for k, v in params.items() if v is not None}
        try:
            response = self.session.get(
                url, params=query, headers=outgoing_headers(), timeout=self.timeout
            )
        except requests.Timeout:
            API_ERRORS.labels("timeout").inc()
            raise _unavailable(
                f"The ticket API at {self.base_url} did not answer in time."
            ) from None
        except requests.RequestException:
            API_ERRORS.labels("connection").inc()
            raise _unavailable(f"The ticket API at {self.base_url} cannot be reached.") from None
        if response.status_code >= 500:
            raise _unavailable(
                f"The ticket API answered {response.status_code}: {_detail(response)}"
            )
        if response.status_code >= 400:
            raise ApiProblem(
                502,
                f"The ticket API refused this analysis's request ({response.status_code}): "
                f"{_detail(response)}",
            )
        return response.json()


def _detail(response: requests.Response) -> str:
    try:
        return str(response.json().get("detail") or response.reason)
    except ValueError:
        return response.reason or "no details"


def _unavailable(detail: str) -> ApiProblem:
    return ApiProblem(
        503,
        f"{detail} This analysis needs it; try again in a moment.",
        title="Ticket API unavailable",
        slug="ticket-api-unavailable",
    )
