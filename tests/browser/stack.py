"""Starts the real CampusDesk stack (ticket API, the three analytics services, dashboard) as
subprocesses for browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
PREFIX = "/campusdesk"
#: The analytics services (as in `campusdesk metrics NAME`) and the variable of their address.
SERVICES = {
    "unclosed": "CAMPUSDESK_UNCLOSED_URL",
    "resolution": "CAMPUSDESK_RESOLUTION_URL",
    "by-category": "CAMPUSDESK_BY_CATEGORY_URL",
}


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll url until it answers 200; fail with the process's log if it dies or stays down."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


@dataclass
class Stack:
    """The running processes and where to reach them."""

    data_dir: Path
    api_url: str = ""
    dashboard_url: str = ""
    embed_origin: str = ""
    service_urls: dict = field(default_factory=dict)
    processes: list = field(default_factory=list)
    named: dict = field(default_factory=dict)
    commands: dict = field(default_factory=dict)

    def start(self, name: str, args: list[str], env: dict, probe: str) -> None:
        """Start one `campusdesk` subcommand and wait until probe answers."""
        log = self.data_dir / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "campusdesk", *args],
            cwd=ROOT,
            env=env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        self.named[name] = process
        self.commands[name] = (args, env, probe)
        wait_until_up(probe, process, log)

    def stop_process(self, name: str) -> None:
        """Stop one process of the stack ('api', 'dashboard' or a service's name)."""
        _end(self.named[name])

    def restart(self, name: str) -> None:
        """Start a stopped process again, on the same port."""
        args, env, probe = self.commands[name]
        self.start(name, args, env, probe)

    def stop(self) -> None:
        """Stop every process this stack started."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            _end(process)

    def api(self, role: str = "helpdesk") -> requests.Session:
        """A requests session that talks to the ticket API as role."""
        session = requests.Session()
        session.headers["X-Role"] = role
        return session

    def page_url(self, path: str) -> str:
        """The dashboard address of a page path such as /user."""
        return self.dashboard_url.rstrip("/") + path


def _end(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_services(stack: Stack, env: dict) -> None:
    """The three analytics services on free ports, asking the stack's ticket API."""
    service_env = dict(env, CAMPUSDESK_API_URL=stack.api_url)
    for name in SERVICES:
        port = free_port()
        stack.service_urls[name] = f"http://127.0.0.1:{port}"
        args = ["metrics", name, "--port", str(port)]
        stack.start(name, args, service_env, f"{stack.service_urls[name]}/health")


def service_env(stack: Stack) -> dict:
    """The variables that give the dashboard the services' addresses."""
    return {SERVICES[name]: url for name, url in stack.service_urls.items()}


def campusdesk(env: dict, *command: str) -> None:
    """Run one `campusdesk` command to its end."""
    subprocess.run(
        [sys.executable, "-m", "campusdesk", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def seed_demo(env: dict, tickets: int) -> None:
    """Fill the database of env's data folder with demo tickets (always the same ones)."""
    campusdesk(env, "seed", "--tickets", str(tickets), "--seed", "7", "--quiet")


def start_stack(
    data_dir: Path, embed_port: int | None = None, seed: int = 0, extra_env: dict | None = None
) -> Stack:
    """API, services and dashboard on free ports, the dashboard under PREFIX and embeddable."""
    stack = Stack(data_dir=data_dir)
    api_port, dash_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
    # The browser tests report many tickets a minute from this machine: no rate limits,
    # unless a test asks for them (test_rate_limits.py).
    env.update(CAMPUSDESK_DATA_DIR=str(data_dir), CAMPUSDESK_RATE_LIMITS="0", PYTHONUNBUFFERED="1")
    env.update(extra_env or {})
    campusdesk(env, "init-db")  # as a deployment does before starting the API
    if seed:
        seed_demo(env, seed)
    stack.api_url = f"http://127.0.0.1:{api_port}"
    ancestors = "'self'"
    if embed_port:
        stack.embed_origin = f"http://localhost:{embed_port}"
        ancestors = f"'self' {stack.embed_origin}"
    try:
        stack.start("api", ["api", "--port", str(api_port)], env, f"{stack.api_url}/api/health")
        start_services(stack, env)
        dash_env = dict(
            env,
            CAMPUSDESK_API_URL=stack.api_url,
            CAMPUSDESK_URL_PREFIX=PREFIX,
            CAMPUSDESK_FRAME_ANCESTORS=ancestors,
            **service_env(stack),
        )
        stack.dashboard_url = f"http://127.0.0.1:{dash_port}{PREFIX}/"
        stack.start(
            "dashboard", ["dashboard", "--port", str(dash_port)], dash_env, stack.dashboard_url
        )
    except Exception:
        stack.stop()
        raise
    return stack


def create_ticket(stack: Stack, title: str, description: str, **extra) -> dict:
    """File a ticket straight through the API (as a simple user)."""
    response = stack.api("user").post(
        f"{stack.api_url}/api/tickets",
        json={"title": title, "description": description, **extra},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def choose_role(page, stack: Stack, role: str, name: str = "") -> None:
    """Enter the dashboard through the landing page as 'user' or 'helpdesk'."""
    from playwright.sync_api import expect

    page.goto(stack.page_url("/"))
    expect(page.locator("#landing-current")).not_to_be_empty()
    if name:
        page.fill("#landing-name", name)
    page.click("#choose-user" if role == "user" else "#choose-helpdesk")
    page.wait_for_url(f"**{PREFIX}/{role}")
    label = "Simple user" if role == "user" else "Helpdesk staff"
    expect(page.locator("#nav-role")).to_contain_text(label)


def helpdesk_change(stack, ticket: dict, **changes) -> dict:
    """PATCH a ticket as the helpdesk, with its current version."""
    response = stack.api("helpdesk").patch(
        f"{stack.api_url}/api/tickets/{ticket['id']}",
        json=changes,
        headers={"If-Match": f'"{ticket["version"]}"'},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()
