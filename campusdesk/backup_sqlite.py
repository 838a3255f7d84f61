"""Backup and restore of the SQLite database, through SQLite's online backup API."""

from __future__ import annotations

import gzip
import os
import sqlite3
import tempfile
from pathlib import Path

from campusdesk.backup import Progress, refuse_unless_empty, table_facts
from campusdesk.backup_archive import (
    CHUNK,
    DATABASE_MEMBER,
    BackupError,
    database_entry,
    extract_member,
)

PAGES_PER_STEP = 4096  # 16 MiB of pages between two progress updates
GZIP_LEVEL = 3  # pages shrink 3-5x already; higher levels cost far more time than they save


def database_path(url: str) -> Path:
    """The file of a ``sqlite:///path`` URL (read as ``ticket_api.db.make_database`` does)."""
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url[len("sqlite://") :]
    if path in ("", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return Path(path)


def _helpers(conn: sqlite3.Connection):
    def scalar(sql: str):
        return conn.execute(sql).fetchone()[0]

    def has_table(name: str) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return conn.execute(sql, (name,)).fetchone() is not None

    return scalar, has_table


def _page_progress(bar):
    def step(status: int, remaining: int, total: int) -> None:
        bar.total = total
        bar.update(total - remaining - bar.n)

    return step


def dump(url: str, work: Path, progress: Progress) -> tuple[dict, Path]:
    """Copy the database into ``work`` and gzip it; returns (manifest facts, the member)."""
    source = database_path(url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}: nothing to back up")
    copy = work / "database.sqlite3"
    src = sqlite3.connect(source, isolation_level=None, timeout=30)
    try:
        # One read transaction for the counts and every step of the copy: each step reads the
        # same snapshot, where steps in separate transactions would restart after any write
        # (and, with writers never pausing, never finish).
        src.execute("BEGIN")
        facts = table_facts(*_helpers(src), where=str(source))
        dst = sqlite3.connect(copy, isolation_level=None)
        try:
            with progress.bar(None, "copying", unit="page") as bar:
                src.backup(dst, pages=PAGES_PER_STEP, progress=_page_progress(bar))
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()
    member = work / DATABASE_MEMBER["sqlite"]
    with open(copy, "rb") as raw, open(member, "wb") as out:
        with gzip.GzipFile("", "wb", GZIP_LEVEL, out, mtime=0) as packed:
            with progress.bar(copy.stat().st_size, "compressing") as bar:
                while chunk := raw.read(CHUNK):
                    packed.write(chunk)
                    bar.update(len(chunk))
    copy.unlink()
    return {**facts, "sqlite_version": sqlite3.sqlite_version}, member


def _exclusive(path: Path) -> sqlite3.Connection:
    """A connection that alone holds the database until it closes. SQLite grants it only when
    no other connection is open, and a running API keeps its pooled connections open."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0.5)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays: locking_mode=EXCLUSIVE keeps it until close
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        raise BackupError(
            f"the database {path} is in use: stop the API and every other CampusDesk "
            "process before restoring"
        ) from None
    return conn


def restore(url: str, archive: Path, manifest: dict, force: bool, progress: Progress) -> dict:
    """Replace the database file's content with the backup's, holding it exclusively
    throughout; returns the restored schema version and ticket count."""
    target = database_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = _exclusive(target)
    staged = None
    try:
        scalar, has_table = _helpers(lock)
        refuse_unless_empty(scalar, has_table, str(target), force)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restore", dir=target.parent)
        os.close(fd)
        staged = Path(name)
        extract_member(archive, database_entry(manifest, archive), staged, progress)
        source = sqlite3.connect(staged, isolation_level=None)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{archive} is damaged: its database fails SQLite's check")
            lock.execute("PRAGMA journal_mode=DELETE")  # into WAL, page sizes would have to match
            with progress.bar(None, "restoring", unit="page") as bar:
                source.backup(lock, pages=PAGES_PER_STEP, progress=_page_progress(bar))
        finally:
            source.close()
        lock.execute("PRAGMA journal_mode=WAL")
        restored = table_facts(scalar, has_table, str(target))
        progress.say("Updating the query planner's statistics (ANALYZE)")
        lock.execute("ANALYZE")
        return restored
    finally:
        lock.close()
        if staged is not None:
            staged.unlink(missing_ok=True)
