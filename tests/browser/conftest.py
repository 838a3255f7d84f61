"""Fixtures of the browser tests: the real stack, headless Chromium, an embedding page."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from tests.browser.stack import AXE, CHROMIUM, start_stack
from tests.ports import free_port

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")


@pytest.fixture(scope="session")
def embed_server(tmp_path_factory):
    """A separate origin (localhost:PORT) that serves the intranet page embedding the dashboard."""
    folder = tmp_path_factory.mktemp("intranet")
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, port
    server.shutdown()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, embed_server):
    """The ticket API and the dashboard, running for the whole session."""
    running = start_stack(tmp_path_factory.mktemp("campusdesk-data"), embed_port=embed_server[1])
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own session storage) at desktop size."""
    from playwright.sync_api import expect

    # Assertions wait as long as actions: polling every 3 s on a loaded 2-core machine can
    # take longer than Playwright's default 5 s.
    expect.set_options(timeout=15000)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    tab = context.new_page()
    refused = []
    # Chromium reports every resource or inline code the Content-Security-Policy blocks.
    tab.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert not refused, "the page broke its Content-Security-Policy:\n" + "\n".join(refused)


@pytest.fixture
def axe_source():
    """The axe-core script, or a skip when node_modules lacks it."""
    if not AXE.exists():
        pytest.skip(f"accessibility tests need {AXE} (run npm ci)")
    return AXE.read_text()
