"""``campusdesk run`` as a supervisor: the restart policy, and real parts killed for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from campusdesk import supervisor
from campusdesk.supervisor import Part, count_failure, gives_up, restart_delay
from tests.ports import free_port
from tests.unit.test_cli import ports_env


def test_restart_delay_doubles_from_half_a_second_up_to_thirty():
    assert [restart_delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_a_part_that_served_for_a_minute_starts_counting_again():
    assert count_failure(0, uptime=0.0) == 1
    assert count_failure(3, uptime=59.0) == 4  # a quick failure adds to the streak
    assert count_failure(4, uptime=60.0) == 1  # a crash after a long run restarts fast
    assert restart_delay(count_failure(6, uptime=3600.0)) == 0.5


def test_five_quick_failures_in_a_row_give_up():
    assert not any(gives_up(n) for n in range(5))
    assert gives_up(5)


# A part that serves for a few seconds, then exits 3; started again, it fails at once.
ONCE = """
import http.server, os, sys, threading, time
marker, port = sys.argv[1], int(sys.argv[2])
if os.path.exists(marker):
    sys.exit(3)
open(marker, "w").close()
server = http.server.HTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
time.sleep(3)
sys.exit(3)
"""


@pytest.fixture
def own_signals():
    """run_system sets SIGTERM, SIGHUP (and on stopping SIGINT) handlers: give pytest its
    own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_a_crash_loop_is_given_up_and_stops_everything(monkeypatch, tmp_path, capsys, own_signals):
    flaky, steady = free_port(), free_port()
    fake = [
        Part("flaky part", [sys.executable, "-c", ONCE, str(tmp_path / "started"), str(flaky)],
             f"http://127.0.0.1:{flaky}", "/"),
        Part("steady part", [sys.executable, "-m", "http.server", "-b", "127.0.0.1", str(steady)],
             f"http://127.0.0.1:{steady}", "/"),
    ]  # fmt: skip
    monkeypatch.setattr(supervisor, "parts", lambda settings, host: fake)
    monkeypatch.setattr(supervisor, "_prepare", lambda settings, demo: None)
    monkeypatch.setattr(supervisor, "FIRST_DELAY", 0.05)
    started = time.monotonic()
    assert supervisor.run_system(None) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert err.count("the flaky part stopped (exit 3); restarting it in") == 4
    assert "restarting it in 0.05 s" in err and "restarting it in 0.4 s" in err
    assert "failing 5 times in a row; giving up and stopping everything" in err
    with pytest.raises(requests.ConnectionError):
        requests.get(fake[1].url, timeout=2)  # the part that was fine is stopped too


def pid_serving(port: int) -> int | None:
    """The process started as ``campusdesk ... --port <port>``, if one runs."""
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().decode().split("\0")
        except (OSError, ValueError):
            continue
        if "campusdesk" in argv and "--port" in argv and str(port) in argv:
            if argv[argv.index("--port") + 1] == str(port):
                return int(entry.name)
    return None


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def env(tmp_path, model_dir):
    return dict(
        os.environ, CAMPUSDESK_DATA_DIR=str(tmp_path / "data"), CAMPUSDESK_MODEL_DIR=str(model_dir)
    )


class Output:
    """Everything a process prints, read by a thread so that its pipe never fills."""

    def __init__(self, stream):
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in stream:
            self.text += line

    def shows(self, words: str, timeout: float) -> bool:
        return wait_for(lambda: words in self.text, timeout)


def test_killed_parts_are_restarted_while_the_others_keep_serving(env):
    ports, env = ports_env(env)
    url = {
        "API": f"http://127.0.0.1:{ports['API']}/api/health",
        "UNCLOSED": f"http://127.0.0.1:{ports['UNCLOSED']}/health",
        "DASHBOARD": f"http://127.0.0.1:{ports['DASHBOARD']}/",
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "campusdesk", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    out = Output(run.stdout)
    try:
        assert out.shows("Press Ctrl-C", timeout=120), out.text
        for key, name in (("API", "ticket API"), ("UNCLOSED", "unclosed service"),
                          ("DASHBOARD", "dashboard")):  # fmt: skip
            pid = pid_serving(ports[key])
            os.kill(pid, signal.SIGKILL)
            assert wait_for(lambda down=url[key]: not answers(down), timeout=10)
            for other in url.keys() - {key}:
                assert answers(url[other]), f"the {other} stopped serving with the {name} down"
            assert out.shows(f"the {name} stopped (killed by SIGKILL); restarting it in", 10)
            assert out.shows(f"the {name} is back.", timeout=30), out.text
            assert answers(url[key]) and pid_serving(ports[key]) not in (None, pid)
        assert run.poll() is None
        os.kill(pid_serving(ports["API"]), signal.SIGKILL)  # and stop while a restart is pending
        assert wait_for(lambda: out.text.count("the ticket API stopped") == 2, timeout=10)
    finally:
        run.send_signal(signal.SIGTERM)  # the supervisor only, as a service manager does
        run.send_signal(signal.SIGTERM)  # again, as a wrapper passing it on would: ignored
        try:
            assert run.wait(timeout=30) == 0
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    assert "Traceback" not in out.text
    assert [port for port in ports.values() if pid_serving(port)] == []
    for port in ports.values():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_the_mail_worker_is_a_part_only_when_mail_is_set_up():
    from kit.settings import Settings

    plain = Settings(mail_worker_port=8199)
    assert "mail worker" not in [part.name for part in supervisor.parts(plain, "0.0.0.0")]
    mailing = plain.with_changes(
        smtp_url="smtp://127.0.0.1:25", mail_from="desk@campus.example", mail_secret="k" * 32
    )
    worker = supervisor.parts(mailing, "0.0.0.0")[-1]
    assert worker.name == "mail worker"
    assert worker.argv[-5:] == ["mail-worker", "--host", "0.0.0.0", "--port", "8199"]
    assert (worker.url, worker.probe) == ("http://127.0.0.1:8199", "/metrics")
