"""Every analysis end to end (client -> service -> ticket API -> database), warm and right
after a write that changes its answer, next to the same question asked of the raw ticket
table in plain SQL on the same database in the same run; at 10,000 and 1,000,000 tickets,
on SQLite and PostgreSQL.

    python bench/analytics.py                       # both sizes, both databases
    python bench/analytics.py --tickets 10000 --backends sqlite

The API and the services run under gunicorn (2 gthread workers each), as deployed. Medians of
one request at a time, milliseconds. Ratios: ``e2e / sql`` (the plain SQL over the raw table
that the totals replace) and, for the largest size, ``x small`` (its own time at the
smallest size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from bench_api import serve, wait
from common import seeded_data_dir

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
HELPDESK = {"X-Role": "helpdesk"}
ZONE = ZoneInfo("Europe/Rome")
#: (service, path, query, the write that changes its answer)
ANALYSES = [
    ("unclosed", "/unclosed", {"last": 30, "unit": "days"}, "create"),
    ("resolution", "/resolution-time", {}, "close"),
    ("by-category", "/active-by-category", {}, "activate"),
    ("unclosed", "/backlog", {}, "create"),
    ("unclosed", "/backlog-age", {}, "create"),
    ("resolution", "/first-response", {}, "answer"),
    ("resolution", "/satisfaction", {}, "close"),
    ("by-category", "/weekly", {}, "create"),
    ("by-category", "/category-months", {}, "create"),
    ("by-category", "/opening-hours", {}, "create"),
]
SPEC = {"/unclosed", "/resolution-time", "/active-by-category"}


def gunicorn(app: str, env: dict) -> tuple[subprocess.Popen, str]:
    """Two threaded workers: they keep connections alive between requests."""
    return serve(app, env, 2, "-k", "gthread", "--threads", "4")


def postgres_url(tickets: int) -> str:
    import psycopg2

    name = f"campusdesk_bench_{tickets}"
    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


class System:
    """The API and the three services under gunicorn on one seeded database."""

    def __init__(self, tickets: int, backend: str) -> None:
        self.url = postgres_url(tickets) if backend == "postgres" else ""
        self.data_dir = seeded_data_dir(tickets, database_url=self.url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
        # the writes between the measurements come from one client, faster than people
        env.update(
            CAMPUSDESK_DATA_DIR=self.data_dir,
            CAMPUSDESK_DATABASE_URL=self.url,
            CAMPUSDESK_RATE_LIMITS="0",
        )
        self.processes = []
        api, self.api = gunicorn("ticket_api.wsgi:app", env)
        self.processes.append(api)
        wait(self.api + "/api/health")
        self.services = {}
        for name in ("unclosed", "resolution", "by-category"):
            process, url = gunicorn(
                f'metrics_services.wsgi:app("{name}")', {**env, "CAMPUSDESK_API_URL": self.api}
            )
            self.processes.append(process)
            wait(url + "/health")
            self.services[name] = url
        self.session = requests.Session()
        self.db = self._connect()

    def _connect(self):
        if self.url:
            import psycopg2

            conn = psycopg2.connect(self.url)
            conn.autocommit = True
            return conn
        import sqlite3

        return sqlite3.connect(Path(self.data_dir) / "campusdesk.sqlite3")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)
        self.db.close()

    def ask(self, service: str, path: str, query: dict) -> float:
        started = time.perf_counter()
        response = self.session.get(self.services[service] + path, params=query, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return elapsed

    def sql(self, statement: str, params=()) -> float:
        cursor = self.db.cursor()
        if self.url:
            statement = statement.replace("?", "%s")
        started = time.perf_counter()
        cursor.execute(statement, params)
        cursor.fetchall()
        return (time.perf_counter() - started) * 1000


class Writer:
    """Writes through the API that change each analysis's next answer."""

    def __init__(self, system: System) -> None:
        self.api = system.api + "/api"
        self.session = requests.Session()
        self.session.headers.update(HELPDESK)

    def _ids(self, status: str) -> list[dict]:
        body = self.session.get(f"{self.api}/tickets", params={"status": status, "per_page": 200})
        return body.json()["items"]

    def __call__(self, kind: str) -> None:
        if kind == "create":
            self.session.post(
                f"{self.api}/tickets",
                json={"title": "Lift stuck again", "description": "Building B lift is stuck."},
            ).raise_for_status()
            return
        source = {"close": "active", "activate": "open", "answer": "open"}[kind]
        ticket = self._ids(source)[0]
        if kind == "answer":
            self.session.post(
                f"{self.api}/tickets/{ticket['id']}/messages", json={"body": "We are on it."}
            ).raise_for_status()
            self.session.patch(
                f"{self.api}/tickets/{ticket['id']}",
                json={"status": "active"},
                headers={"If-Match": str(ticket["version"])},
            ).raise_for_status()
            return
        target = {"close": "closed", "activate": "active"}[kind]
        self.session.patch(
            f"{self.api}/tickets/{ticket['id']}",
            json={"status": target},
            headers={"If-Match": str(ticket["version"])},
        ).raise_for_status()


def plain_sql(system: System) -> dict[str, tuple[str, tuple]]:
    """The SPEC questions asked of the raw ticket table, as one would without the totals."""
    now = int(time.time())
    months = _month_case(system)
    return {
        "/unclosed": (
            "SELECT COUNT(*) FROM ticket WHERE status IN ('open', 'active') AND opened_at >= ?",
            (now - 30 * 86400,),
        ),
        "/resolution-time": (
            f"SELECT {months} AS month, COUNT(*), AVG(closed_at - opened_at) FROM ticket "
            "WHERE status = 'closed' GROUP BY 1 ORDER BY 1",
            (),
        ),
        "/active-by-category": (
            "SELECT category, COUNT(*) FROM ticket WHERE status = 'active' GROUP BY category",
            (),
        ),
    }


def _month_case(system: System) -> str:
    if system.url:
        return "to_char(to_timestamp(opened_at) AT TIME ZONE 'Europe/Rome', 'YYYY-MM')"
    # SQLite has no time zones: the campus month boundaries written into the query
    cases = []
    year, month = 2020, 1
    while (year, month) <= (datetime.now().year + 1, 12):
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        end = int(datetime(ny, nm, 1, tzinfo=ZONE).timestamp())
        cases.append(f"WHEN opened_at < {end} THEN '{year:04d}-{month:02d}'")
        year, month = ny, nm
    return "CASE " + " ".join(cases) + " END"


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(system: System, repeat: int) -> dict[str, dict]:
    """Per analysis: warm e2e, e2e right after a write, and the plain SQL (SPEC routes)."""
    writer = Writer(system)
    plain = plain_sql(system)
    out = {}
    for service, path, query, write in ANALYSES:
        for _ in range(3):
            system.ask(service, path, query)
        warm = median([system.ask(service, path, query) for _ in range(repeat)])
        after = []
        for _ in range(max(5, repeat // 3)):
            writer(write)
            after.append(system.ask(service, path, query))
        row = {"warm": warm, "after_write": median(after)}
        if path in plain:
            statement, params = plain[path]
            row["sql"] = median([system.sql(statement, params) for _ in range(max(5, repeat // 3))])
        out[path] = row
    return out


def report(results: dict, sizes: list[int]) -> None:
    small, large = min(sizes), max(sizes)
    for backend, by_size in results.items():
        print(f"\n## {backend}\n")
        columns = ("tickets", "e2e warm", "e2e after a write", "plain SQL", "e2e / sql", "x small")
        print("| analysis | " + " | ".join(columns) + " |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for _, path, _, _ in ANALYSES:
            for size in sizes:
                row = by_size[size][path]
                sql = row.get("sql")
                ratio = f"{row['warm'] / sql:.2f}" if sql else ""
                grow = ""
                if size == large and large != small:
                    grow = f"{row['warm'] / by_size[small][path]['warm']:.2f}"
                mark = " (SPEC)" if path in SPEC else ""
                print(
                    f"| `{path}`{mark} | {size:,} | {row['warm']:.2f} ms | "
                    f"{row['after_write']:.2f} ms | {f'{sql:.2f} ms' if sql else ''} | "
                    f"{ratio} | {grow} |"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", default="10000,1000000", help="sizes, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=31, help="requests per median")
    args = parser.parse_args()
    sizes = [int(n) for n in args.tickets.split(",")]
    results: dict = {}
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    )
    for backend in args.backends.split(","):
        for size in sizes:
            system = System(size, backend)
            try:
                results.setdefault(backend, {})[size] = measure(system, args.repeat)
            finally:
                system.stop()
    report(results, sizes)
    return 0


if __name__ == "__main__":
    tempfile.tempdir = os.environ.get("CAMPUSDESK_BENCH_TMP") or None
    sys.exit(main())
