"""The ``campusdesk`` command as people run it: real processes, real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from campusdesk.cli import build_parser, main
from tests.ports import free_port
from ticket_api.migrations import LATEST


@pytest.fixture
def env(tmp_path, model_dir):
    return dict(
        os.environ, CAMPUSDESK_DATA_DIR=str(tmp_path / "data"), CAMPUSDESK_MODEL_DIR=str(model_dir)
    )


def campusdesk(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "campusdesk", *args],
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in (
        "run",
        "api",
        "metrics",
        "analytics",
        "dashboard",
        "init-db",
        "seed",
        "backup",
        "restore",
    ):
        assert command in out


def test_bad_configuration_is_a_clear_error(env):
    result = campusdesk("init-db", env={**env, "CAMPUSDESK_TIME_ZONE": "Mars/Olympus"})
    assert result.returncode == 2 and "CAMPUSDESK_TIME_ZONE" in result.stderr
    result = campusdesk("init-db", env={**env, "CAMPUSDESK_DATABASE_URL": "mysql://x/y"})
    assert result.returncode == 2 and "CAMPUSDESK_DATABASE_URL" in result.stderr


def test_init_db_creates_then_reports_up_to_date(env, tmp_path):
    first = campusdesk("init-db", env=env)
    assert first.returncode == 0 and f"upgraded from version 0 to {LATEST}" in first.stdout
    assert (tmp_path / "data" / "campusdesk.sqlite3").exists()
    again = campusdesk("init-db", env=env)
    assert again.returncode == 0 and f"up to date (version {LATEST})" in again.stdout


def test_seed_adds_tickets_with_progress(env):
    result = campusdesk("seed", "--tickets", "300", "--seed", "1", env=env)
    assert result.returncode == 0, result.stderr
    assert "Added 300 tickets" in result.stdout
    assert "300/300" in result.stderr  # the progress bar


def test_seed_rejects_negative_counts(env):
    assert campusdesk("seed", "--tickets", "-5", env=env).returncode == 2


def test_api_refuses_to_serve_a_database_it_has_not_been_migrated_for(env):
    refused = campusdesk("api", "--port", str(free_port()), env=env)
    assert refused.returncode == 1
    assert "Run `campusdesk init-db`" in refused.stderr and "Traceback" not in refused.stderr


def test_gunicorn_workers_refuse_an_unmigrated_database_and_say_what_to_run(env):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    refused = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-w", "1"]
        + ["-b", f"127.0.0.1:{free_port()}", "ticket_api.wsgi:app"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "Run `campusdesk init-db` once" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_api_server_black_box(env):
    assert campusdesk("init-db", env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "campusdesk", "api", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        created = requests.post(
            f"{base}/tickets",
            json={
                "title": "Stampante guasta",
                "description": "La stampante al secondo piano non funziona",
            },
        )
        assert created.status_code == 201 and created.json()["category"] == "it"
        assert (
            requests.get(f"{base}{created.headers['Location'][4:]}").json()["id"]
            == created.json()["id"]
        )
        bad = requests.post(
            f"{base}/tickets", data="{oops", headers={"Content-Type": "application/json"}
        )
        assert bad.status_code == 400
        assert bad.headers["Content-Type"] == "application/problem+json"
        assert "Traceback" not in bad.text
        docs = requests.get(f"{base}/docs")
        assert docs.ok and "swagger-ui-bundle.js" in docs.text and "https://" not in docs.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_parser_defaults():
    args = build_parser().parse_args(["api"])
    assert (args.host, args.port, args.port_attr) == ("127.0.0.1", None, "api_port")
    assert build_parser().parse_args(["run", "--demo"]).demo == 2000


PARTS = ("API", "DASHBOARD", "UNCLOSED", "RESOLUTION", "BY_CATEGORY")


def ports_env(env: dict) -> tuple[dict, dict]:
    """Free ports for the five processes, and the environment that gives them."""
    ports = {part: free_port() for part in PARTS}
    return ports, {**env, **{f"CAMPUSDESK_{p}_PORT": str(n) for p, n in ports.items()}}


def test_run_starts_everything_and_stops_all_on_ctrl_c(env):
    import signal

    ports, env = ports_env(env)
    api_port, dashboard_port = ports["API"], ports["DASHBOARD"]
    run = subprocess.Popen(
        [sys.executable, "-m", "campusdesk", "run", "--demo", "50"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        for line in run.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        banner = "".join(lines)
        assert f"http://127.0.0.1:{api_port}/api" in banner
        assert f"http://127.0.0.1:{dashboard_port}/" in banner
        for part in ("UNCLOSED", "RESOLUTION", "BY_CATEGORY"):
            assert f"http://127.0.0.1:{ports[part]}" in banner
        counts = requests.get(
            f"http://127.0.0.1:{api_port}/api/stats/status-counts", headers={"X-Role": "helpdesk"}
        ).json()
        assert sum(counts.values()) == 50
        # each service answers through the API it was pointed at
        active = requests.get(f"http://127.0.0.1:{ports['BY_CATEGORY']}/active-by-category")
        assert sum(c["active"] for c in active.json()["categories"]) == counts["active"]
        unclosed = requests.get(
            f"http://127.0.0.1:{ports['UNCLOSED']}/unclosed", params={"last": 3650, "unit": "days"}
        )
        assert unclosed.json()["count"] == counts["open"] + counts["active"]
        months = requests.get(f"http://127.0.0.1:{ports['RESOLUTION']}/resolution-time").json()
        assert sum(m["closed_tickets"] for m in months["months"]) == counts["closed"]
        assert requests.get(f"http://127.0.0.1:{dashboard_port}/").ok
    finally:
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        assert run.wait(timeout=30) == 0
        rest = run.stdout.read()
        assert "Stopping CampusDesk" in rest and "Traceback" not in rest
    for port in ports.values():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_run_stops_every_process_on_sigterm(env):
    import signal

    ports, env = ports_env(env)
    api_port = ports["API"]
    run = subprocess.Popen(
        [sys.executable, "-m", "campusdesk", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in run.stdout:
            if "Press Ctrl-C" in line:
                break
        assert requests.get(f"http://127.0.0.1:{api_port}/api/health").ok
    finally:
        run.send_signal(signal.SIGTERM)  # the supervisor only, as a service manager does
        assert run.wait(timeout=30) == 0
    for port in ports.values():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_analytics_check_finds_a_wrong_total_and_rebuild_repairs_it(env, tmp_path):
    import sqlite3

    assert campusdesk("seed", "--tickets", "200", "--seed", "3", "--quiet", env=env).returncode == 0
    good = campusdesk("analytics", "check", env=env)
    assert good.returncode == 0 and "matches the tickets" in good.stdout
    with sqlite3.connect(tmp_path / "data" / "campusdesk.sqlite3") as db:
        db.execute("UPDATE ticket_day SET opened = opened + 1 WHERE rowid = 1")
    bad = campusdesk("analytics", "check", env=env)
    assert bad.returncode == 1 and "ticket_day" in bad.stdout and "1 totals differ" in bad.stdout
    rebuilt = campusdesk("analytics", "rebuild", env=env)
    assert rebuilt.returncode == 0 and "recounted in Europe/Rome" in rebuilt.stdout
    assert campusdesk("analytics", "check", env=env).returncode == 0


def test_time_zone_change_recounts_the_totals(env, tmp_path):
    import sqlite3

    assert campusdesk("seed", "--tickets", "100", "--seed", "4", "--quiet", env=env).returncode == 0
    moved = campusdesk("init-db", env={**env, "CAMPUSDESK_TIME_ZONE": "Asia/Tokyo"})
    assert moved.returncode == 0
    with sqlite3.connect(tmp_path / "data" / "campusdesk.sqlite3") as db:
        assert db.execute("SELECT name FROM campus_zone").fetchone() == ("Asia/Tokyo",)
    check = campusdesk("analytics", "check", env={**env, "CAMPUSDESK_TIME_ZONE": "Asia/Tokyo"})
    assert check.returncode == 0
