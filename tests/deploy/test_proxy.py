"""CampusDesk deployed as docs/deployment.md says, on this machine, used through nginx only:
two API instances, two dashboard instances and the three analytics services under gunicorn,
on a PostgreSQL database of its own."""

from __future__ import annotations

import os
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.browser.stack import CHROMIUM
from tests.conftest import POSTGRES_URL
from tests.deploy.deployment import FRAME_ANCESTORS, NGINX, PREFIX, session, start_deployment

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("deploy")]
API = ["api-1", "api-2"]
DASHBOARDS = ["dashboard-1", "dashboard-2"]
WRITERS, REQUESTS_EACH = 8, 40


def _unusable(reason: str) -> None:
    if os.environ.get("CAMPUSDESK_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def database_url(worker_id):
    """A fresh PostgreSQL database for this module: campusdesk_deploy[_<worker>]."""
    try:
        import psycopg2
        from playhouse.db_url import parse
        from psycopg2 import sql

        name = "campusdesk_deploy" + ("" if worker_id in ("", "master") else f"_{worker_id}")
        url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
        params = parse(url)
        params.pop("database")
        conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        _unusable(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}".strip())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return url


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    """Every process of the guide, started once for the module and stopped after it."""
    if not Path(NGINX).exists():
        _unusable(f"the deployment test needs nginx at {NGINX} (apt-get install nginx)")
    database_url = request.getfixturevalue("database_url")
    running = start_deployment(tmp_path_factory.mktemp("deploy"), database_url)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def page(deployment, request):
    """A headless Chromium tab (the machine's Chromium, never a downloaded one)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"the browser journey needs Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
    context = request.getfixturevalue("browser").new_context(
        viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15000)
    sync_api.expect.set_options(timeout=15000)
    yield context.new_page()
    context.close()


def create(deployment, client, title: str, request_id: str) -> requests.Response:
    """POST a ticket through the proxy."""
    return client.post(
        deployment.url("/api/tickets"),
        json={"title": title, "description": f"{title}: reported through the proxy."},
        headers={"X-Request-ID": request_id},
        timeout=30,
    )


def test_dashboard_is_served_under_the_prefix_and_may_be_framed(deployment):
    response = requests.get(deployment.url("/"), timeout=10)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"].split("; ")
    assert f"frame-ancestors {FRAME_ANCESTORS}" in policy and "default-src 'self'" in policy
    assert "X-Frame-Options" not in response.headers
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])  # made by nginx
    script = re.search(r'<script src="([^"]+\.js[^"]*)"', response.text).group(1)
    assert script.startswith(PREFIX + "/")
    asset = requests.get(deployment.base_url + script, timeout=10)
    assert asset.status_code == 200
    assert asset.headers["Content-Encoding"] == "gzip"

    bare = requests.get(deployment.base_url + PREFIX, allow_redirects=False, timeout=10)
    assert (bare.status_code, bare.headers["Location"]) == (301, PREFIX + "/")
    # Nothing outside the prefix reaches a CampusDesk process.
    assert requests.get(deployment.base_url + "/api/health", timeout=10).status_code == 404


def test_api_is_served_under_the_prefix(deployment):
    client = session("user")
    made = create(deployment, client, "Proxy check ticket", "location-check")
    assert made.status_code == 201
    assert made.headers["X-Request-ID"] == "location-check"
    location = made.headers["Location"]
    assert location == f"{PREFIX}/api/tickets/{made.json()['id']}"
    # the same ticket, but for its follow token, which comes only with the new ticket, and
    # the tickets merged into it, which only one ticket's answer lists
    created = {k: v for k, v in made.json().items() if k != "follow_token"}
    shown = client.get(deployment.base_url + location, timeout=10).json()
    assert shown == created | {"merged": []}

    document = requests.get(deployment.url("/api/openapi.json"), timeout=10)
    assert "/api/tickets" in document.json()["paths"]
    docs = requests.get(deployment.url("/api/docs"), timeout=10)
    assert docs.status_code == 200
    for src in re.findall(r'(?:src|href)="(static/[^"]+)"', docs.text):
        assert requests.get(deployment.url(f"/api/{src}"), timeout=10).status_code == 200, src

    too_large = client.post(
        deployment.url("/api/tickets"),
        data=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert too_large.status_code == 413
    assert too_large.headers["Content-Type"] == "application/problem+json"
    assert too_large.json()["status"] == 413


def test_no_log_keeps_a_follow_link(deployment):
    """nginx's and gunicorn's access lines and the API's JSON lines name the route of a
    follow link, never its token."""
    client = session("user")
    request_id = f"follow-{uuid.uuid4().hex[:8]}"
    made = create(deployment, client, "Follow link in the logs", request_id)
    token = made.json()["follow_token"]
    opened = client.get(
        deployment.url(f"/api/follow/{token}"), headers={"X-Request-ID": request_id}, timeout=10
    )
    assert opened.status_code == 200
    apis = [name for name in deployment.processes if name.startswith("api")]
    served = deployment.wait_for_ids(apis, {request_id})
    assert sum(len(ids) for ids in served.values()) >= 1
    logs = deployment.tmp / "logs"
    texts = {path.name: path.read_text() for path in logs.glob("*.log")}
    assert any("/api/follow/{token}" in text for text in texts.values())
    assert [name for name, text in texts.items() if token in text] == []


def test_student_reports_and_helpdesk_closes_through_the_proxy(deployment, page):
    from playwright.sync_api import expect

    problems = []
    page.on("response", lambda r: problems.append((r.status, r.url)) if r.status >= 400 else None)
    # Leaving a page aborts its pending callbacks (net::ERR_ABORTED): not a failure.
    page.on(
        "requestfailed",
        lambda r: problems.append((r.failure, r.url)) if r.failure != "net::ERR_ABORTED" else None,
    )

    enter(page, deployment, "user")
    word = uuid.uuid4().hex[:8]
    page.fill("#report-title", f"Projector {word} is broken")
    page.fill("#report-description", "The projector in room B2 shows no image at all.")
    page.click("#report-submit")
    confirmation = page.locator("#report-result")
    expect(confirmation).to_contain_text(re.compile(r"Ticket #\d+ is open"))
    ticket_id = re.search(r"#(\d+)", confirmation.text_content()).group(1)

    enter(page, deployment, "helpdesk")
    page.goto(deployment.url(f"/helpdesk/tickets/{ticket_id}"))
    expect(page.locator("#ticket-header")).to_contain_text(f"Projector {word} is broken")
    expect(page.locator("#status-action")).to_contain_text("Start work")
    page.click("#status-action")
    expect(page.locator("#ticket-header")).to_contain_text("Active")
    page.click("#status-action")
    page.click("#close-confirm")
    expect(page.locator("#ticket-header")).to_contain_text("Closed")

    page.goto(deployment.url("/helpdesk/analytics"))
    expect(page.locator("#analytics-graph .main-svg").first).to_be_visible()

    stored = session().get(deployment.url(f"/api/tickets/{ticket_id}"), timeout=10).json()
    assert stored["status"] == "closed"
    assert problems == []


def enter(page, deployment, role: str) -> None:
    """Enter the dashboard through the landing page as 'user' or 'helpdesk'."""
    from playwright.sync_api import expect

    page.goto(deployment.url("/"))
    expect(page.locator("#landing-current")).not_to_be_empty()
    page.click("#choose-user" if role == "user" else "#choose-helpdesk")
    page.wait_for_url(f"**{PREFIX}/{role}")


def test_concurrent_writers_lose_nothing(deployment):
    word = uuid.uuid4().hex[:8]

    def write(writer: int) -> list[tuple]:
        """Report tickets and answer each: (request id, status, id, ticket id) per request."""
        client, done = session("user"), []
        for n in range(REQUESTS_EACH // 2):
            rid = f"{word}-{writer}-{n}"
            made = create(deployment, client, f"Load {word} {writer} {n}", rid + "-t")
            ticket_id = made.json().get("id")
            done.append((rid + "-t", made.status_code, ticket_id, None))
            if made.status_code != 201:
                continue
            sent = client.post(
                deployment.url(f"/api/tickets/{ticket_id}/messages"),
                json={"body": f"Message {writer} {n}"},
                headers={"X-Request-ID": rid + "-m"},
                timeout=30,
            )
            done.append((rid + "-m", sent.status_code, sent.json().get("id"), ticket_id))
        return done

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [row for rows in pool.map(write, range(WRITERS)) for row in rows]
    assert [row for row in results if row[1] != 201] == []
    assert len(results) == WRITERS * REQUESTS_EACH
    tickets = {row[2] for row in results if row[3] is None}
    messages = {row[3]: row[2] for row in results if row[3] is not None}
    assert len(tickets) == len(messages) == len(set(messages.values())) == len(results) // 2

    client = session()
    for ticket_id in tickets:
        thread = client.get(deployment.url(f"/api/tickets/{ticket_id}/messages"), timeout=10)
        assert [m["id"] for m in thread.json()["items"]] == [messages[ticket_id]]
    listed = client.get(deployment.url("/api/tickets"), params={"q": word}, timeout=10)
    assert listed.json()["total"] == len(tickets)
    assert count_rows(deployment, word) == (len(tickets), len(messages))

    # Both API instances took their share, and each request was handled exactly once.
    ids = {row[0] for row in results}
    served = deployment.wait_for_ids(API, ids)
    assert sorted(served["api-1"] + served["api-2"]) == sorted(ids)
    assert all(len(served[name]) >= len(ids) // 4 for name in API), {
        name: len(found) for name, found in served.items()
    }


def count_rows(deployment, word: str) -> tuple[int, int]:
    """The tickets of one load run and their messages, counted in the database itself."""
    import psycopg2

    conn = psycopg2.connect(deployment.database_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM ticket WHERE title LIKE %s", (f"Load {word} %",))
            tickets = cur.fetchone()[0]
            cur.execute(
                "SELECT count(*) FROM message JOIN ticket ON ticket.id = message.ticket_id"
                " WHERE ticket.title LIKE %s",
                (f"Load {word} %",),
            )
            return tickets, cur.fetchone()[0]
    finally:
        conn.close()


def test_racing_edits_of_one_version_have_one_winner(deployment):
    word = uuid.uuid4().hex[:8]
    ticket = create(deployment, session("user"), f"Race {word}", f"{word}-race").json()
    start = threading.Barrier(WRITERS)

    def patch(n: int) -> requests.Response:
        start.wait()
        return session().patch(
            deployment.url(f"/api/tickets/{ticket['id']}"),
            json={"title": f"Race {word} won by {n}"},
            headers={"If-Match": f'"{ticket["version"]}"', "X-Request-ID": f"{word}-{n}"},
            timeout=30,
        )

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(patch, range(WRITERS)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] == 200 and set(statuses[1:]) == {409}, statuses
    winner = next(n for n, a in enumerate(answers) if a.status_code == 200)
    for lost in (a for a in answers if a.status_code == 409):
        assert lost.headers["Content-Type"] == "application/problem+json"
        assert lost.json()["title"] == "Edit conflict"
    final = session().get(deployment.url(f"/api/tickets/{ticket['id']}"), timeout=10).json()
    assert final["title"] == f"Race {word} won by {winner}"
    assert final["version"] == ticket["version"] + 1
    served = deployment.wait_for_ids(API, {f"{word}-{n}" for n in range(WRITERS)})
    assert all(served[name] for name in API), served  # the race ran across both instances


def test_dashboard_instances_share_the_load(deployment):
    ids = {f"dash-{uuid.uuid4().hex[:8]}-{n}" for n in range(20)}
    for rid in ids:
        response = requests.get(deployment.url("/"), headers={"X-Request-ID": rid}, timeout=10)
        assert response.status_code == 200
    served = deployment.wait_for_ids(DASHBOARDS, ids)
    assert sorted(served["dashboard-1"] + served["dashboard-2"]) == sorted(ids)
    assert all(len(served[name]) >= 5 for name in DASHBOARDS), served


def test_requests_go_on_while_an_api_instance_restarts(deployment):
    deployment.stop(["api-1"])
    try:
        client = session("user")
        for n in range(10):
            made = create(deployment, client, f"Restart check {n}", f"restart-{n}")
            assert made.status_code == 201
            found = client.get(deployment.base_url + made.headers["Location"], timeout=10)
            assert found.status_code == 200
    finally:
        deployment.restart("api-1")
    served = deployment.wait_for_ids(API, {f"restart-{n}" for n in range(10)})
    assert len(served["api-2"]) == 10
