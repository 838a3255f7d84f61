"""The mail worker against a real SMTP server (aiosmtpd on a free port): every notice arrives
exactly once, also when the server goes away mid-run and comes back, and when two workers
share the outbox; the links in the mails work."""

from __future__ import annotations

import re
import threading
import time
from email import message_from_bytes, policy

import pytest

from tests.api.helpers import HELPDESK, USER, advance
from tests.apps import campusdesk
from tests.ports import free_port
from ticket_api import mail_worker
from ticket_api.db import database
from ticket_api.telemetry import MAILS_SENT

controller = pytest.importorskip("aiosmtpd.controller", reason="the mail tests need aiosmtpd")


class Inbox:
    """An SMTP server that keeps every mail it accepts; stopped and started at will."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mails: list = []
        self.lock = threading.Lock()
        self.server = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.server = controller.Controller(self, hostname="127.0.0.1", port=self.port)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def keys(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(mail["To"], mail["Subject"]) for mail in self.mails]


def wait_for(condition, what: str, seconds: float = 60.0) -> None:
    """Poll until condition() holds; fail saying what did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def inbox():
    box = Inbox(free_port())
    box.start()
    yield box
    if box.server is not None and box.server._thread is not None:
        box.stop()


@pytest.fixture
def settings(settings, inbox):
    return settings.with_changes(
        smtp_url=f"smtp://127.0.0.1:{inbox.port}",
        mail_from="helpdesk@campus.example",
        mail_secret="m" * 40,
        public_url="https://desk.example/help",
    )


@pytest.fixture
def workers(app):
    """Start mail workers in threads (as many as asked); stops them all at the end."""
    stop = threading.Event()
    threads = []

    def start(count: int = 1) -> None:
        settings = app.config["CAMPUSDESK_SETTINGS"]
        for _ in range(count):
            thread = threading.Thread(
                target=mail_worker.run, args=(settings, stop), kwargs={"poll": 0.02, "first": 0.05}
            )
            thread.start()
            threads.append(thread)

    yield start
    stop.set()
    for thread in threads:
        thread.join()


def report(client, n: int, email: str) -> dict:
    response = client.post(
        "/api/tickets",
        json={"title": f"Lift {n} stuck", "description": "It is stuck.", "email": email},
        headers=USER,
    )
    assert response.status_code == 201, response.json
    return response.json


def outbox_state() -> list[tuple]:
    return database.execute_sql(
        "SELECT id, attempts, sent_at IS NOT NULL, last_error FROM outbox ORDER BY id"
    ).fetchall()


def expected(tickets: list[dict], *events: str) -> list[tuple[str, str]]:
    words = {"started": "In hand", "answered": "New answer", "closed": "Closed"}
    return sorted(
        (f"r{t['id']}@campus.example", f"[CampusDesk] {words[e]}: #{t['id']} {t['title']}")
        for t in tickets
        for e in events
    )


def test_every_notice_arrives_once_across_an_outage(client, inbox, workers):
    sent_before = MAILS_SENT._value.get()
    tickets = [report(client, n, f"r{n + 1}@campus.example") for n in range(4)]
    tickets = [advance(client, t, "active") for t in tickets]
    workers(1)
    wait_for(lambda: len(inbox.keys()) == 4, "the first four notices")
    inbox.stop()
    for ticket in tickets:
        client.post(
            f"/api/tickets/{ticket['id']}/messages", json={"body": "On our way."}, headers=HELPDESK
        )
    # the server is away: the attempts fail, are counted and wait for their retry
    wait_for(
        lambda: all(n >= 2 and error for _id, n, sent, error in outbox_state() if not sent),
        "failed attempts to be recorded twice",
    )
    assert len(inbox.keys()) == 4
    failed = [row for row in outbox_state() if not row[2]]
    assert len(failed) == 4 and all("mail server" in row[3] for row in failed)
    inbox.start()
    wait_for(lambda: all(sent for _id, _n, sent, _e in outbox_state()), "every notice sent")
    tickets = [advance(client, t, "closed") for t in tickets]
    wait_for(lambda: len(inbox.keys()) == 12, "the closing notices")
    assert sorted(inbox.keys()) == expected(tickets, "started", "answered", "closed")
    assert all(error is None for _id, _n, _sent, error in outbox_state())
    assert MAILS_SENT._value.get() - sent_before == 12


def test_two_workers_send_each_notice_once(client, inbox, workers):
    tickets = [report(client, n, f"r{n + 1}@campus.example") for n in range(15)]
    workers(2)
    tickets = [advance(client, t, "active") for t in tickets]
    tickets = [advance(client, t, "closed") for t in tickets]
    wait_for(lambda: len(inbox.keys()) >= 30, "thirty notices")
    wait_for(lambda: all(sent for _id, _n, sent, _e in outbox_state()), "every notice marked")
    assert sorted(inbox.keys()) == expected(tickets, "started", "closed")
    assert {n for _id, n, _sent, _e in outbox_state()} == {1}


def test_the_links_of_a_mail_open_the_ticket_and_stop_the_mails(client, inbox, workers):
    ticket = report(client, 0, "r1@campus.example")
    reporters_link = ticket["follow_token"]
    workers(1)
    ticket = advance(client, ticket, "active")
    wait_for(lambda: len(inbox.mails) == 1, "the notice")
    mail = inbox.mails[0]
    text = mail.get_content()
    assert mail["From"] == "helpdesk@campus.example" and "Lift 0 stuck" in text
    follow = re.search(r"https://desk\.example/help/follow/([A-Za-z0-9_-]{43})\b", text)
    unsubscribe = re.search(r"https://desk\.example/help/unsubscribe/([A-Za-z0-9_-]{43})\b", text)
    assert follow and unsubscribe
    assert mail["List-Unsubscribe"] == f"<{unsubscribe.group(0)}>"
    assert reporters_link not in text  # the reporter's own link is never stored
    opened = client.get(f"/api/follow/{follow.group(1)}")
    assert opened.status_code == 200 and opened.json["id"] == ticket["id"]
    stopped = client.post(f"/api/unsubscribe/{unsubscribe.group(1)}")
    assert stopped.status_code == 200 and stopped.json["subscribed"] is False
    advance(client, ticket, "closed")
    other = report(client, 1, "r2@campus.example")
    advance(client, other, "active")
    wait_for(lambda: len(inbox.mails) == 2, "the other ticket's notice")
    assert inbox.mails[1]["To"] == "r2@campus.example"


def test_a_refused_address_is_given_up(client, inbox, workers, monkeypatch):
    async def refuse(server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    inbox.handle_RCPT = refuse
    first = report(client, 0, "gone@campus.example")
    second = report(client, 1, "r2@campus.example")
    workers(1)
    advance(client, first, "active")
    advance(client, second, "active")
    wait_for(lambda: len(inbox.mails) == 1, "the deliverable notice")
    wait_for(
        lambda: (
            database.execute_sql(
                "SELECT COUNT(*) FROM outbox WHERE next_attempt_at IS NULL"
            ).fetchone()[0]
            == 2
        ),
        "both notices settled",
    )
    rows = database.execute_sql(
        "SELECT s.email, o.attempts, o.sent_at IS NOT NULL, o.last_error FROM outbox o "
        "JOIN subscriber s ON s.id = o.subscriber_id ORDER BY o.id"
    ).fetchall()
    assert rows[0][:3] == ("gone@campus.example", 1, False) and "550" in rows[0][3]
    assert rows[1][:3] == ("r2@campus.example", 1, True)


def test_the_command_sends_what_is_due(client, inbox, settings):
    ticket = report(client, 0, "r1@campus.example")
    advance(client, ticket, "active", "closed")
    done = campusdesk(settings, "mail-worker", "--once")
    assert done.returncode == 0, done.stderr
    assert "Sent 2 e-mail notices." in done.stdout
    assert len(inbox.keys()) == 2
    again = campusdesk(settings, "mail-worker", "--once")
    assert "Sent 0 e-mail notices." in again.stdout and len(inbox.keys()) == 2
    off = campusdesk(settings.with_changes(smtp_url=""), "mail-worker", "--once")
    assert off.returncode == 2 and "not set up" in off.stderr


def test_the_worker_process_sends_and_counts_in_its_metrics(client, inbox, settings):
    import subprocess
    import sys

    import requests

    from tests.apps import cli_env

    port = free_port()
    worker = subprocess.Popen(
        [sys.executable, "-m", "campusdesk", "mail-worker", "--port", str(port)],
        env=cli_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def metric(name: str) -> float | None:
        try:
            text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
        except requests.ConnectionError:
            return None
        found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
        return float(found.group(1)) if found else None

    try:
        wait_for(lambda: metric("campusdesk_mails_sent_total") == 0.0, "the worker's metrics")
        ticket = report(client, 0, "r1@campus.example")
        advance(client, ticket, "active", "closed")
        wait_for(lambda: len(inbox.keys()) == 2, "two notices")
        wait_for(lambda: metric("campusdesk_mails_sent_total") == 2.0, "two mails counted")
    finally:
        worker.terminate()
        out, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0 and "Traceback" not in out, out
