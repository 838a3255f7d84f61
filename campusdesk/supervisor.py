"""``campusdesk run``: every part of the system in its own process, one banner, one Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import requests

from kit.settings import Settings
from metrics_services import SERVICES


@dataclass
class Part:
    name: str
    argv: list[str]
    url: str
    probe: str


def parts(settings: Settings, host: str) -> list[Part]:
    """The processes of the system, with where each answers."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    cmd = [sys.executable, "-m", "campusdesk"]
    services = [
        Part(
            f"{name} service",
            cmd + ["metrics", name, "--host", host, "--port", str(getattr(settings, port))],
            f"http://{shown}:{getattr(settings, port)}",
            "/health",
        )
        for name, (_, port) in SERVICES.items()
    ]
    return [
        Part(
            "ticket API",
            cmd + ["api", "--host", host, "--port", str(settings.api_port)],
            f"http://{shown}:{settings.api_port}/api",
            "/health",
        ),
        *services,
        Part(
            "dashboard",
            cmd + ["dashboard", "--host", host, "--port", str(settings.dashboard_port)],
            f"http://{shown}:{settings.dashboard_port}{settings.url_prefix}/",
            "",
        ),
    ]


def _prepare(settings: Settings, demo: int) -> None:
    """Create or upgrade the schema once, and add demo tickets to an empty database."""
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate
    from ticket_api.models import Ticket

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    empty = not Ticket.select().exists()
    db.close()
    if demo and empty:
        from campusdesk.commands import add_demo_tickets

        add_demo_tickets(settings, demo)


def _wait_ready(part: Part, process: subprocess.Popen, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if requests.get(part.url.rstrip("/") + part.probe, timeout=1).status_code < 500:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (service managers, kill) stops everything like Ctrl-C


def run_system(settings: Settings, host: str = "127.0.0.1", demo: int = 0) -> int:
    """Start every part, print where it answers, and stop them all together."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    _prepare(settings, demo)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    running: list[tuple[Part, subprocess.Popen]] = []
    try:
        for part in parts(settings, host):
            process = subprocess.Popen(part.argv, env=env)
            running.append((part, process))
            if not _wait_ready(part, process):
                print(f"campusdesk: the {part.name} did not start; stopping.", file=sys.stderr)
                return 1
        width = max(len(p.name) for p, _ in running)
        print("\nCampusDesk is running:")
        for part, _ in running:
            print(f"  {part.name:<{width}}  {part.url}")
        print("Press Ctrl-C to stop everything.\n", flush=True)
        while True:
            for part, process in running:
                if process.poll() is not None:
                    print(
                        f"campusdesk: the {part.name} stopped (exit {process.returncode}); "
                        "stopping the rest.",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping CampusDesk…")
        return 0
    finally:
        _stop([process for _, process in running])
