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

POLL = 0.2  # seconds between looks at the parts
START_TIMEOUT = 60.0  # seconds a part may take to answer its probe
FIRST_DELAY, MAX_DELAY = 0.5, 30.0  # restart backoff: doubles after each quick failure
STABLE_AFTER = 60.0  # seconds of serving after which a failure no longer counts as quick
GIVE_UP_AFTER = 5  # quick failures in a row after which a part is given up
RETENTION_EVERY = 24 * 3600.0  # seconds between two runs of `campusdesk retention apply`


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
    mail = [
        Part(
            "mail worker",
            cmd + ["mail-worker", "--host", host, "--port", str(settings.mail_worker_port)],
            f"http://{shown}:{settings.mail_worker_port}",
            "/metrics",
        )
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
        *(mail if settings.mail_enabled else []),
    ]


def _prepare(settings: Settings, demo: int) -> None:
    """Create or upgrade the schema once, erase the personal data past its retention time,
    and add demo tickets to an empty database."""
    from ticket_api import retention
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate
    from ticket_api.models import Ticket

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    empty = not Ticket.select().exists()
    erased = retention.apply(settings.retention_months, data_dir=settings.data_dir)
    db.close()
    print(retention.summary(erased, settings.retention_months), flush=True)
    if demo and empty:
        from campusdesk.commands import add_demo_tickets

        add_demo_tickets(settings, demo)


def _wait_ready(part: Part, process: subprocess.Popen, timeout: float = START_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if _answers(part):
            return True
        time.sleep(POLL)
    return False


def _answers(part: Part) -> bool:
    try:
        return requests.get(part.url.rstrip("/") + part.probe, timeout=1).status_code < 500
    except requests.RequestException:
        return False


def restart_delay(failures: int) -> float:
    """Seconds to wait before restarting a part after its ``failures``-th quick failure in a row."""
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - 1))


def count_failure(failures: int, uptime: float) -> int:
    """Quick failures in a row, this one included: a part that served for STABLE_AFTER seconds
    starts counting again, so one crash a day restarts as fast as the first."""
    return 1 if uptime >= STABLE_AFTER else failures + 1


def gives_up(failures: int) -> bool:
    """Whether a part has failed quickly too many times in a row to try again."""
    return failures >= GIVE_UP_AFTER


@dataclass
class Slot:
    """A supervised part: its process (None while a restart is pending) and its record."""

    part: Part
    process: subprocess.Popen | None
    ready_at: float | None = None  # when it last answered its probe; None while starting
    started_at: float = 0.0
    failures: int = 0
    restart_at: float = 0.0


def _how(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit {returncode}"


def _say(message: str) -> None:
    print(f"campusdesk: {message}", file=sys.stderr, flush=True)


def _tend(slot: Slot, env: dict, now: float) -> bool:
    """One look at a part: restart it when due, notice it is back or has died.
    False when the part has failed too often and everything should stop."""
    part, process = slot.part, slot.process
    if process is None:
        if now >= slot.restart_at:
            slot.process, slot.started_at = subprocess.Popen(part.argv, env=env), now
        return True
    if process.poll() is None and slot.ready_at is None:
        if _answers(part):
            slot.ready_at = now
            _say(f"the {part.name} is back.")
        elif now - slot.started_at > START_TIMEOUT:
            _say(f"the {part.name} did not answer within {START_TIMEOUT:g} s.")
            process.kill()
            process.wait()
    if process.poll() is None:
        return True
    uptime = now - slot.ready_at if slot.ready_at is not None else 0.0
    slot.failures = count_failure(slot.failures, uptime)
    if gives_up(slot.failures):
        _say(
            f"the {part.name} stopped ({_how(process.returncode)}) after failing "
            f"{slot.failures} times in a row; giving up and stopping everything."
        )
        return False
    delay = restart_delay(slot.failures)
    _say(f"the {part.name} stopped ({_how(process.returncode)}); restarting it in {delay:g} s.")
    slot.process, slot.ready_at, slot.restart_at = None, None, now + delay
    return True


@dataclass
class Retention:
    """The daily `campusdesk retention apply`, each in a process of its own (a failure is
    reported by it and tried again the next day; the parts are not disturbed)."""

    due_at: float
    process: subprocess.Popen | None = None

    def tend(self, env: dict, now: float) -> None:
        """Start the run when it is due and the last one has ended."""
        if now < self.due_at or (self.process is not None and self.process.poll() is None):
            return
        argv = [sys.executable, "-m", "campusdesk", "retention", "apply"]
        self.process, self.due_at = subprocess.Popen(argv, env=env), now + RETENTION_EVERY


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
    """SIGTERM (service managers, kill) stops everything like Ctrl-C, once: signals that
    follow while the parts stop (a second kill, a wrapper passing it on) are ignored."""
    for other in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(other, signal.SIG_IGN)
    raise KeyboardInterrupt


def run_system(settings: Settings, host: str = "127.0.0.1", demo: int = 0) -> int:
    """Start every part, print where it answers, restart any that dies, and stop them all
    together on Ctrl-C or SIGTERM."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    _prepare(settings, demo)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    slots: list[Slot] = []
    retention = Retention(time.monotonic() + RETENTION_EVERY)
    try:
        for part in parts(settings, host):
            slots.append(Slot(part, subprocess.Popen(part.argv, env=env)))
            if not _wait_ready(part, slots[-1].process):
                _say(f"the {part.name} did not start; stopping.")
                return 1
            slots[-1].ready_at = time.monotonic()
        width = max(len(slot.part.name) for slot in slots)
        print("\nCampusDesk is running:")
        for slot in slots:
            print(f"  {slot.part.name:<{width}}  {slot.part.url}")
        print("Press Ctrl-C to stop everything.\n", flush=True)
        while all(_tend(slot, env, time.monotonic()) for slot in slots):
            retention.tend(env, time.monotonic())
            time.sleep(POLL)
        return 1
    except KeyboardInterrupt:
        print("\nStopping CampusDesk…")
        return 0
    finally:
        _stop([slot.process for slot in slots if slot.process is not None])
        if retention.process is not None:
            _stop([retention.process])
