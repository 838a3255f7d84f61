"""What the benchmarks share: seeded databases, SQLite and PostgreSQL side by side."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator

#: The PostgreSQL server where a benchmark creates its own database when given none.
PG_ADMIN = os.environ.get(
    "CAMPUSDESK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HELPDESK = {"X-Role": "helpdesk"}


def seed(tickets: int, data_dir: str, database_url: str = "") -> None:
    """``campusdesk seed --tickets N --seed 1`` into SQLite in ``data_dir``, or into
    ``database_url`` (the classifier then lives in ``data_dir``)."""
    env = dict(os.environ, CAMPUSDESK_DATA_DIR=data_dir, CAMPUSDESK_DATABASE_URL=database_url)
    started = time.perf_counter()
    command = [sys.executable, "-m", "campusdesk", "seed", "--tickets", str(tickets)]
    subprocess.run(command + ["--seed", "1", "--quiet"], env=env, check=True)
    print(
        f"seed --tickets {tickets} ({'PostgreSQL' if database_url else 'SQLite'}): "
        f"{time.perf_counter() - started:.1f} s (includes loading the classifier)"
    )


def seeded_data_dir(tickets: int, data_dir: str | None = None, database_url: str = "") -> str:
    """``data_dir`` as given, or a new folder seeded with ``tickets`` demo tickets."""
    if data_dir:
        return data_dir
    data_dir = tempfile.mkdtemp(prefix="campusdesk-bench-")
    seed(tickets, data_dir, database_url)
    return data_dir


def _admin(statement: str) -> None:
    import psycopg2

    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@contextmanager
def seeded_backends(
    tickets: int, data_dir: str | None = None, database_url: str | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """The data folder and ``{"SQLite": "", "PostgreSQL": url}``, each backend's database
    URL (empty: SQLite in the data folder). Each one given is reused as it is; each one
    missing is seeded with ``tickets`` demo tickets for this run and removed afterwards."""
    folder = data_dir or tempfile.mkdtemp(prefix="campusdesk-bench-")
    scratch = "" if database_url else f"campusdesk_bench_{os.getpid()}"
    try:
        if not data_dir:
            seed(tickets, folder)
        if scratch:
            _admin(f"CREATE DATABASE {scratch}")
            database_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + scratch
            seed(tickets, folder, database_url)
        yield folder, {"SQLite": "", "PostgreSQL": database_url}
    finally:
        if not data_dir:
            shutil.rmtree(folder, ignore_errors=True)
        if scratch:
            _admin(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
