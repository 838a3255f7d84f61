"""Backup and restore of the PostgreSQL database with ``pg_dump`` and ``pg_restore``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from campusdesk.backup import Progress, refuse_unless_empty, shown_url, table_facts
from campusdesk.backup_archive import (
    DATABASE_MEMBER,
    BackupError,
    database_entry,
    extract_member,
)

TABLES_SQL = """SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
AND n.nspname NOT LIKE 'pg_toast%'"""
OTHER_SESSIONS_SQL = """SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
AND pid <> pg_backend_pid() AND backend_type = 'client backend'"""


def _params(url: str) -> dict:
    from playhouse.db_url import parse

    return parse(url)  # read as ticket_api.db.make_database reads it: the API's own database


def connect(url: str):
    """A psycopg2 connection to the database of a ``postgresql://`` URL."""
    import psycopg2

    params = _params(url)
    name = params.pop("database")
    params.setdefault("connect_timeout", 10)
    return psycopg2.connect(dbname=name, **params)


def _quoted(value) -> str:
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def client_arguments(url: str) -> tuple[str, dict]:
    """The ``--dbname`` connection string for pg_dump and pg_restore, every value quoted, and
    their environment: the password goes in PGPASSWORD, never on a command line."""
    params = _params(url)
    password = params.pop("password", None)
    params = {"dbname": params.pop("database"), **params}
    conninfo = " ".join(f"{k}={_quoted(v)}" for k, v in params.items() if v not in (None, ""))
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return conninfo, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client programs of the "
            "server's major version or newer (on Debian and Ubuntu: postgresql-client)"
        )
    return path


def _helpers(cursor):
    def scalar(sql: str):
        cursor.execute(sql)
        return cursor.fetchone()[0]

    def has_table(name: str) -> bool:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return cursor.fetchone()[0]

    return scalar, has_table


def _run(command: list[str], env: dict, bar, marker: str) -> None:
    """Run pg_dump or pg_restore verbosely, advancing ``bar`` at each table; a failure
    becomes a BackupError with the program's first error line."""
    name = Path(command[0]).name
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    said = {"error": [], "detail": []}
    try:
        for line in process.stderr:
            if marker in line:
                bar.set_postfix_str(line.split(marker)[-1].strip().strip('"'), refresh=False)
                bar.update(1)
            for kind, lines in said.items():
                if f"{name}: {kind}:" in line:
                    lines.append(" ".join(line.split(f": {kind}:", 1)[1].split()))
        code = process.wait()
    finally:
        if process.poll() is None:  # interrupted: do not leave it running
            process.kill()
            process.wait()
    if code != 0:
        reason = said["error"][0] if said["error"] else f"exit status {code}"
        detail = f" ({said['detail'][0]})" if said["detail"] else ""
        raise BackupError(f"{name} failed: {reason}{detail}")


def dump(url: str, work: Path, progress: Progress) -> tuple[dict, Path]:
    """Dump the database into ``work``; returns (manifest facts, the member)."""
    pg_dump = _tool("pg_dump")
    conninfo, env = client_arguments(url)
    member = work / DATABASE_MEMBER["postgresql"]
    conn = connect(url)
    try:
        # pg_dump reads the snapshot this transaction exports: the ticket count and schema
        # version in the manifest are those of the dump, whatever commits meanwhile.
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server = cursor.fetchone()
            scalar, has_table = _helpers(cursor)
            facts = table_facts(scalar, has_table, where=shown_url(url))
            tables = scalar(TABLES_SQL)
        command = [
            pg_dump,
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={member}",
            "--verbose",
            "--no-password",
            f"--dbname={conninfo}",
        ]
        with progress.bar(tables, "dumping", unit="table") as bar:
            _run(command, env, bar, "dumping contents of table")
    finally:
        conn.close()
    return {**facts, "postgresql_version": server}, member


def restore(url: str, archive: Path, manifest: dict, force: bool, progress: Progress) -> dict:
    """Replace every object of the backup in the database, in one transaction; returns the
    restored schema version and ticket count."""
    pg_restore = _tool("pg_restore")
    conninfo, env = client_arguments(url)
    conn = connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            scalar, has_table = _helpers(cursor)
            refuse_unless_empty(scalar, has_table, shown_url(url), force)
            others = scalar(OTHER_SESSIONS_SQL)
        if others:
            progress.say(f"Note: {others} other sessions use this database; is the API stopped?")
        with tempfile.TemporaryDirectory(prefix="campusdesk-restore-") as work:
            dumped = Path(work) / DATABASE_MEMBER["postgresql"]
            extract_member(archive, database_entry(manifest, archive), dumped, progress)
            listing = subprocess.run(
                [pg_restore, "--list", str(dumped)], capture_output=True, text=True, env=env
            )
            tables = sum(" TABLE DATA " in line for line in listing.stdout.splitlines())
            command = [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--verbose",
                "--no-password",
                f"--dbname={conninfo}",
                str(dumped),
            ]
            with progress.bar(tables or None, "restoring", unit="table") as bar:
                _run(command, env, bar, "processing data for table")
        with conn.cursor() as cursor:
            restored = table_facts(*_helpers(cursor), where=shown_url(url))
            progress.say("Updating the query planner's statistics (ANALYZE)")
            cursor.execute("ANALYZE")
    finally:
        conn.close()
    return restored
