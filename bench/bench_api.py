"""Serve the ticket API under gunicorn on a seeded database and load it with wrk.

Prints requests per second and p99 latency of each route (as helpdesk) next to a
hello-world Flask app served the same way in the same run, so the ratios hold on a noisy
shared machine.

    python bench/bench_api.py --tickets 1000000 --seconds 10
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from common import seeded_data_dir

ROOT = Path(__file__).resolve().parent.parent
POST_LUA = """wrk.method = "POST"
wrk.body = '{"title": "Projector broken", "description": "The projector in Aula 3 shows no image."}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, env: dict, workers: int, *options: str) -> tuple[subprocess.Popen, str]:
    """``app`` under gunicorn on a free port, with ``workers`` and any further options."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), *options]
        + ["-b", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def wait(url: str) -> None:
    for _ in range(600):
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def wrk(url: str, seconds: int, script: str | None = None) -> tuple[float, str]:
    cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-H", "X-Role: helpdesk", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        p99 += f" ({errors.group(1)} non-2xx)"
    return rate, p99


def single(url: str, headers: dict, n: int = 15) -> float:
    """Median milliseconds of one request at a time (what a dashboard callback waits)."""
    session = requests.Session()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        session.get(url, headers=headers).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--data-dir", help="reuse a seeded data folder instead of seeding")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    data = seeded_data_dir(args.tickets, args.data_dir, args.database_url)
    env = dict(os.environ, CAMPUSDESK_DATA_DIR=data, CAMPUSDESK_DATABASE_URL=args.database_url)
    hello, hello_url = serve("bench.hello:app", env, args.workers)
    api, api_url = serve("ticket_api.wsgi:app", env, args.workers)
    try:
        wait(f"{hello_url}/hello")
        wait(f"{api_url}/api/health")
        report(hello_url, api_url, args.seconds)
    finally:
        for process in (hello, api):
            process.terminate()
            process.wait()
        if not args.data_dir:
            shutil.rmtree(data, ignore_errors=True)


def report(hello_url: str, api_url: str, seconds: int) -> None:
    base, _ = wrk(f"{hello_url}/hello", seconds)
    rows = [("hello-world Flask JSON", base, _)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(POST_LUA)
    scenarios = [
        ("GET /api/tickets (20, default sort)", f"{api_url}/api/tickets", None),
        (
            "GET /api/tickets?per_page=50&status=open,active",
            f"{api_url}/api/tickets?per_page=50&status=open,active",
            None,
        ),
        ("GET /api/tickets/{id}", f"{api_url}/api/tickets/4242", None),
        ("GET /api/tickets/{id}/messages", f"{api_url}/api/tickets/4242/messages", None),
        ("POST /api/tickets (classified)", f"{api_url}/api/tickets", lua.name),
    ]
    for name, url, script in scenarios:
        rate, p99 = wrk(url, seconds, script)
        rows.append((name, rate, p99))
    print(f"\n{'scenario':<52} {'req/s':>9} {'x hello':>8}  p99")
    for name, rate, p99 in rows:
        print(f"{name:<52} {rate:>9.0f} {rate / base:>8.2f}  {p99}")
    helpdesk = {"X-Role": "helpdesk"}
    print(f"\n{'one request at a time, helpdesk (median ms)':<52}")
    for path in (
        "/api/stats/status-counts",
        "/api/stats/unclosed?since=2000-01-01",
        "/api/stats/resolution-time",
        "/api/stats/active-by-category",
        "/api/tickets?q=projector",
        "/api/tickets?sort=-opened_at&page=500",
    ):
        print(f"{path:<52} {single(api_url + path, helpdesk):>9.1f}")
    os.unlink(lua.name)


if __name__ == "__main__":
    main()
