"""``kill -9`` of the whole API (gunicorn master and workers) during a burst of writes: after
a restart every acknowledged ticket and message is there with what was sent, the database is
intact and the analytics totals still match the tickets, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from kit.settings import Settings
from tests.api.helpers import HELPDESK, USER
from tests.apps import campusdesk, cli_env
from tests.browser.stack import wait_until_up
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 6
ACKNOWLEDGED_BEFORE_KILL = 100


# ---- the database and the processes ------------------------------------------------------


def _admin(url: str):
    import psycopg2
    from playhouse.db_url import parse

    params = parse(url)
    params.pop("database")
    conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
    conn.autocommit = True
    return conn


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def crash_settings(request, tmp_path, model_dir):
    """Settings of an empty database of its own: a SQLite file in a temporary data folder, or
    ``<postgres_url>_crash`` dropped and created again."""
    from ticket_api.classifier.service import get_classifier

    get_classifier(model_dir)  # trained once here, so the gunicorn workers only load it
    base = Settings(
        data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False
    )
    if request.param == "sqlite":
        yield base
        return
    parts = urlsplit(request.getfixturevalue("postgres_url"))
    name = f"{parts.path.lstrip('/')}_crash"
    admin = _admin(request.getfixturevalue("postgres_url"))
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    yield base.with_changes(database_url=urlunsplit(parts._replace(path=f"/{name}")))
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


class Api:
    """The API as deployed: gunicorn with two workers, in a process group of its own so
    that one signal reaches the master and every worker at once."""

    def __init__(
        self,
        settings: Settings,
        log: Path,
        workers: int = 2,
        options: tuple[str, ...] = (),
        env: dict | None = None,
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api"
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
                + ["-w", str(workers), *options, "-b", f"127.0.0.1:{self.port}"]
                + ["ticket_api.wsgi:app"],
                cwd=ROOT,
                env=cli_env(settings) | (env or {}),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_healthy(self, within: float = 30) -> None:
        """Return once /api/health answers 200; fail with the server's log otherwise."""
        wait_until_up(f"{self.base}/health", self.process, self.log, within)

    def kill(self) -> None:
        """SIGKILL to the master and its workers together, as a power cut of the processes."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def running_api(settings: Settings, log: Path, **options):
    """The API under gunicorn (``Api``, with its ``options``) on the database of settings,
    migrated first and its classifier trained here once, so that the workers only load it;
    killed on leaving."""
    from ticket_api.classifier.service import get_classifier

    get_classifier(settings.model_dir)
    prepared = campusdesk(settings, "init-db")
    assert prepared.returncode == 0, prepared.stderr
    api = Api(settings, log, **options)
    try:
        api.wait_healthy()
        yield api
    finally:
        api.kill()


# ---- the writers -------------------------------------------------------------------------


class Writers:
    """Threads each filing tickets and posting a message under every one over HTTP until
    the API stops answering. Every acknowledged (2xx) write is kept with what was sent;
    a writer stops at its first error, when that error came (monotonic time) and what it was."""

    def __init__(self, base: str):
        self.base = base
        self.tickets: dict[int, tuple[str, str]] = {}  # id -> (title, description)
        self.messages: dict[int, tuple[int, str]] = {}  # id -> (ticket id, body)
        self.errors: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        self.threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    @property
    def acknowledged(self) -> int:
        return len(self.tickets) + len(self.messages)

    def _post(self, session, path: str, body: dict, headers: dict) -> int | None:
        """The id of the created row, or None after recording the error."""
        try:
            response = session.post(f"{self.base}{path}", json=body, headers=headers, timeout=15)
        except requests.RequestException as exc:  # the API was killed: expected from then on
            self.errors.append((time.monotonic(), repr(exc)))
            return None
        if response.status_code != 201:
            self.errors.append((time.monotonic(), f"{response.status_code} {response.text}"))
            return None
        return response.json()["id"]

    def _write(self, writer: int) -> None:
        session, n = requests.Session(), 0
        while True:
            n += 1
            title, description = f"Crash {writer}-{n}: door", f"Door {writer}-{n} does not shut."
            ticket = self._post(
                session, "/tickets", {"title": title, "description": description}, USER
            )
            if ticket is None:
                return
            with self.changed:
                self.tickets[ticket] = (title, description)
                self.changed.notify_all()
            body = f"Answer {writer}-{n}: we are on it."
            message = self._post(session, f"/tickets/{ticket}/messages", {"body": body}, HELPDESK)
            if message is None:
                return
            with self.changed:
                self.messages[message] = (ticket, body)
                self.changed.notify_all()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wait_for(self, count: int, within: float = 30) -> None:
        """Until ``count`` writes were acknowledged; fails on any error before."""
        with self.changed:
            self.changed.wait_for(lambda: self.acknowledged >= count or self.errors, within)
        assert not self.errors, self.errors[0][1]
        assert self.acknowledged >= count, f"only {self.acknowledged} writes in {within} s"

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=20)
        assert not any(thread.is_alive() for thread in self.threads), "a writer hangs"


# ---- checks ------------------------------------------------------------------------------


def query(settings: Settings, sql: str) -> list[tuple]:
    """The rows of one query, through a connection of its own."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
    else:
        import psycopg2
        from playhouse.db_url import parse

        params = parse(url)
        conn = psycopg2.connect(dbname=params.pop("database"), **params)
    try:
        cursor = conn.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        conn.close()


def check_through_the_api(base: str, writers: Writers) -> None:
    """Every acknowledged ticket and message as the helpdesk reads it back."""
    session = requests.Session()
    threads: dict[int, dict[int, str]] = {}
    for ticket_id, (title, description) in writers.tickets.items():
        ticket = session.get(f"{base}/tickets/{ticket_id}", headers=HELPDESK, timeout=10)
        assert ticket.status_code == 200, (ticket_id, ticket.text)
        assert (ticket.json()["title"], ticket.json()["description"]) == (title, description)
        listed = session.get(f"{base}/tickets/{ticket_id}/messages", headers=HELPDESK, timeout=10)
        assert listed.status_code == 200 and not listed.json()["has_more"], listed.text
        threads[ticket_id] = {m["id"]: m["body"] for m in listed.json()["items"]}
    for message_id, (ticket_id, body) in writers.messages.items():
        assert threads[ticket_id].get(message_id) == body, (ticket_id, message_id)


def check_in_the_database(settings: Settings, writers: Writers) -> None:
    """The same rows read directly, and on SQLite a clean file."""
    tickets = {
        row[0]: row[1:] for row in query(settings, "SELECT id, title, description FROM ticket")
    }
    messages = {
        row[0]: row[1:] for row in query(settings, "SELECT id, ticket_id, body FROM message")
    }
    lost = {i: sent for i, sent in writers.tickets.items() if tickets.get(i) != sent}
    assert not lost, f"{len(lost)} acknowledged tickets lost or changed, e.g. {list(lost)[:5]}"
    lost = {i: sent for i, sent in writers.messages.items() if messages.get(i) != sent}
    assert not lost, f"{len(lost)} acknowledged messages lost or changed, e.g. {list(lost)[:5]}"
    if not settings.database_url:
        assert query(settings, "PRAGMA integrity_check") == [("ok",)]
        assert query(settings, "PRAGMA foreign_key_check") == []


# ---- the test ----------------------------------------------------------------------------


def test_kill_9_during_writes_keeps_every_acknowledged_write(crash_settings, tmp_path):
    settings = crash_settings
    prepared = campusdesk(settings, "init-db")
    assert prepared.returncode == 0, prepared.stderr
    log = tmp_path / "gunicorn.log"
    apis = [Api(settings, log)]
    try:
        apis[0].wait_healthy()
        writers = Writers(apis[0].base)
        writers.start()
        try:
            writers.wait_for(ACKNOWLEDGED_BEFORE_KILL)
        finally:
            killed_at = time.monotonic()
            apis[0].kill()
            writers.join()
        # Every writer was still writing: each one stopped on the dead API, none before.
        assert len(writers.errors) == WRITERS
        assert all(at >= killed_at for at, _ in writers.errors), writers.errors
        assert writers.acknowledged >= ACKNOWLEDGED_BEFORE_KILL and writers.messages

        apis.append(Api(settings, log))
        apis[1].wait_healthy()
        check_through_the_api(apis[1].base, writers)
        check_in_the_database(settings, writers)
        totals = campusdesk(settings, "analytics", "check")
        assert totals.returncode == 0, totals.stdout + totals.stderr
        new = requests.post(
            f"{apis[1].base}/tickets",
            json={"title": "After the crash", "description": "The API takes tickets again."},
            headers=USER,
            timeout=10,
        )
        assert new.status_code == 201, new.text
        assert new.json()["id"] not in writers.tickets
    finally:
        for api in apis:
            api.kill()
