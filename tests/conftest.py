"""Fixtures shared by every test: settings on a temporary SQLite database or PostgreSQL."""

from __future__ import annotations

import os

import pytest

from kit.settings import Settings

POSTGRES_URL = os.environ.get(
    "CAMPUSDESK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/campusdesk_test"
)
TABLES = (
    "classifier_example",
    "photo",
    "note",
    "follower",
    "notice",
    "outbox",
    "subscriber",
    "rating",
    "rating_day",
    "rate_limit",
    "ticket_change",
    "message",
    "ticket",
    "ticket_day",
    "ticket_hour",
    "ticket_tally",
)


def _postgres_url(worker: str) -> str:
    return POSTGRES_URL if worker in ("", "master") else f"{POSTGRES_URL}_{worker}"


def _ensure_postgres_database(url: str) -> str | None:
    """Create the test database if needed; the reason it cannot be used, or None."""
    try:
        import psycopg2
        from playhouse.db_url import parse
        from psycopg2 import sql

        params = parse(url)
        name = params.pop("database")
        conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {url}: {exc}".strip()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return None


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """One trained classifier for the whole run (training takes seconds)."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def postgres_url(worker_id):
    """The PostgreSQL test database, or a skip with the reason."""
    url = _postgres_url(worker_id)
    reason = _ensure_postgres_database(url)
    if reason:
        if os.environ.get("CAMPUSDESK_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request, tmp_path, model_dir):
    """Settings for one test, on a fresh SQLite file or an emptied PostgreSQL database."""
    base = Settings(
        data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False
    )
    if request.param == "sqlite":
        return base
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return base.with_changes(database_url=url)


def _empty_postgres(url: str) -> None:
    from ticket_api.db import database, make_database
    from ticket_api.migrations import migrate

    db = make_database(url)
    database.initialize(db)
    db.connect()
    migrate(db)
    db.execute_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    db.close_all()


@pytest.fixture
def app(settings):
    """The ticket API on the test database, validating every response against its schema."""
    from tests.apps import make_api
    from ticket_api.db import database
    from ticket_api.readcache import EXTENSION

    app = make_api(settings, testing=True)
    yield app
    if EXTENSION in app.extensions:
        app.extensions[EXTENSION].changes.close()
    database.obj.close_all()


@pytest.fixture
def client(app):
    """Flask's test client of the API."""
    return app.test_client()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium of the machine (never a downloaded one), one per test process: the
    browser tests and the deployment test share it (Playwright's synchronous API runs once
    per process)."""
    from tests.browser.stack import CHROMIUM, LAUNCH_ARGS

    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of this test process's own (Debian's redis-server on a free port, saving
    nothing), or a skip with the reason."""
    import shutil
    import subprocess
    import time

    from tests.ports import free_port

    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (scripts/install-test-deps.sh installs it)"
        if os.environ.get("CAMPUSDESK_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    redis = pytest.importorskip("redis")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.RedisError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server on port {port} did not start")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)
