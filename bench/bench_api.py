"""Serve the ticket API under gunicorn on SQLite and on PostgreSQL and load it with wrk.

Prints requests per second, the ratio to a hello-world Flask app served the same way in the
same run (measured before and after each scenario, so the ratios hold on a noisy shared
machine) and p99 latency of each scenario (as helpdesk) on each backend, with the rate
limits off and on and with the answers kept by each process (the read cache) off, then
single requests one at a time. Reuses the seeded databases it is
given (--data-dir for SQLite, --database-url for PostgreSQL) or seeds N tickets into each one
missing.

    python bench/bench_api.py --data-dir DIR --database-url postgresql://HOST/DB --seconds 10
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
from common import HELPDESK, seeded_backends

ROOT = Path(__file__).resolve().parent.parent
#: wrk scripts: a new ticket on every request; one of 1,000 tickets at random.
SCRIPTS = {
    "post": """wrk.method = "POST"
wrk.body = '{"title": "Projector broken", "description": "The projector in Aula 3 shows no image."}'
wrk.headers["Content-Type"] = "application/json"
""",
    "spread": """request = function()
  return wrk.format(nil, wrk.path .. math.random(1, 1000))
end
""",
}
#: The API with its rate limits off; on with limits no run reaches (every new ticket is
#: counted in the database and none refused, so the difference is what counting costs); and
#: with its limits off and no answers kept (CAMPUSDESK_READ_CACHE_ENTRIES=0), every read
#: asking the database.
VARIANTS = {
    "limits off": {"CAMPUSDESK_RATE_LIMITS": "0"},
    "limits on": {
        "CAMPUSDESK_RATE_LIMITS": "1",
        "CAMPUSDESK_TICKET_LIMITS": "1000000000/minute",
        "CAMPUSDESK_MESSAGE_LIMITS": "1000000000/minute",
    },
    "no cache": {"CAMPUSDESK_RATE_LIMITS": "0", "CAMPUSDESK_READ_CACHE_ENTRIES": "0"},
}
#: (name, path, wrk script of SCRIPTS or None)
SCENARIOS = (
    ("GET /api/tickets (20, default sort)", "/api/tickets", None),
    (
        "GET /api/tickets?per_page=50&status=open,active",
        "/api/tickets?per_page=50&status=open,active",
        None,
    ),
    ("GET /api/tickets/{id}", "/api/tickets/4242", None),
    ("GET /api/tickets/{id}, 1,000 tickets at random", "/api/tickets/", "spread"),
    ("GET /api/tickets/{id}/messages", "/api/tickets/4242/messages", None),
    ("POST /api/tickets (classified)", "/api/tickets", "post"),
)
SINGLE = (
    "/api/stats/status-counts",
    "/api/stats/unclosed?since=2000-01-01",
    "/api/stats/resolution-time",
    "/api/stats/active-by-category",
    "/api/tickets?q=projector",
    "/api/tickets?sort=-opened_at&page=500",
)


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


def single(url: str, n: int = 15) -> float:
    """Median milliseconds of one request at a time (what a dashboard callback waits)."""
    session = requests.Session()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        session.get(url, headers=HELPDESK).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="to seed (default 100000)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--data-dir", help="a seeded SQLite data folder (default: seed one)")
    parser.add_argument("--database-url", help="a seeded PostgreSQL database (default: seed one)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    with seeded_backends(args.tickets, args.data_dir, args.database_url) as (data, urls):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
        hello, hello_url = serve("bench.hello:app", env, args.workers)
        processes, apis = [hello], {}
        for name, database_url in urls.items():
            backend = dict(env, CAMPUSDESK_DATA_DIR=data, CAMPUSDESK_DATABASE_URL=database_url)
            for variant, variables in VARIANTS.items():
                process, apis[f"{name} {variant}"] = serve(
                    "ticket_api.wsgi:app", dict(backend, **variables), args.workers
                )
                processes.append(process)
        try:
            wait(hello_url + "/hello")
            for url in apis.values():
                wait(url + "/api/health")
            report(hello_url + "/hello", apis, args.seconds)
        finally:
            for process in processes:
                process.terminate()
                process.wait()


def report(hello: str, urls: dict[str, str], seconds: int) -> None:
    """wrk on hello-world, then each scenario on each backend followed by hello-world again:
    each scenario's baseline is the mean of the hello-world runs just before and after it, so
    a machine whose load changes during the run moves both alike. Then single requests one at
    a time."""
    hellos = [wrk(hello, seconds)]
    scripts = {}
    try:
        for name, text in SCRIPTS.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
                lua.write(text)
            scripts[name] = lua.name
        rows = {}
        for name, path, script in SCENARIOS:
            rows[name] = {
                backend: wrk(url + path, seconds, scripts.get(script))
                for backend, url in urls.items()
            }
            hellos.append(wrk(hello, seconds))
    finally:
        for path in scripts.values():
            os.unlink(path)
    rates = [rate for rate, _ in hellos]
    print(
        "hello-world Flask JSON (baseline), before and after each scenario: "
        + ", ".join(f"{rate:.0f}" for rate in rates)
        + f" req/s (mean {statistics.mean(rates):.0f}; p99 {', '.join(p for _, p in hellos)})\n"
    )
    header = "".join(f" | {name + ' req/s':>16} {'x hello':>7} {'p99':>9}" for name in urls)
    print(f"{'scenario':<50}{header}")
    for index, (name, by_backend) in enumerate(rows.items()):
        base = (rates[index] + rates[index + 1]) / 2
        cells = "".join(
            f" | {rate:>16.0f} {rate / base:>7.2f} {p99:>9}" for rate, p99 in by_backend.values()
        )
        print(f"{name:<50}{cells}")
    header = "".join(f" | {name + ' ms':>16}" for name in urls)
    print(f"\n{'one request at a time, helpdesk (median ms)':<50}{header}")
    for path in SINGLE:
        cells = "".join(f" | {single(url + path):>16.1f}" for url in urls.values())
        print(f"{path:<50}{cells}")


if __name__ == "__main__":
    main()
