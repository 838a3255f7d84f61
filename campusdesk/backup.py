"""``campusdesk backup`` and ``campusdesk restore``: the database in one self-describing file.

A backup is a tar archive: ``manifest.json`` first (format, backend, schema version,
CampusDesk version, when, how many tickets, and the size and SHA-256 of every other member),
then the database. On SQLite it is a gzip-compressed copy made with SQLite's online backup
API inside one read transaction; on PostgreSQL a ``pg_dump`` custom-format dump of a snapshot
exported by the transaction that counted the tickets. Both are consistent while the API
writes. The photo files follow as a further member, ``photos.tar`` (campusdesk/backup_photos.py),
copied after the database's snapshot was taken.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

from campusdesk import backup_photos
from campusdesk.backup_archive import (
    BACKENDS,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    one_line,
    read_manifest,
    sha256,
    write_archive,
)
from kit import __version__
from kit.settings import Settings, SettingsError

__all__ = [
    "BackupError",
    "create_backup",
    "read_manifest",
    "restore_backup",
    "size_text",
    "tickets_text",
]

#: Tables people filled; a database where all are empty may be restored into without --force.
DATA_TABLES = ("ticket", "message", "ticket_change", "classifier_example")


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql``, from a database URL."""
    scheme = urlparse(url).scheme
    if scheme in ("postgres", "postgresql"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise SettingsError(
        f"CAMPUSDESK_DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}"
    )


def _engine(backend: str):
    """The module that dumps and restores this kind of database."""
    if backend == "sqlite":
        from campusdesk import backup_sqlite as engine
    else:
        from campusdesk import backup_postgres as engine
    return engine


def shown_url(url: str) -> str:
    """A database URL without its password, fit for messages and manifests."""
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1@", url)


def tickets_text(count: int) -> str:
    """``1 ticket``, ``2,000 tickets``."""
    return f"{count:,} ticket{'' if count == 1 else 's'}"


def size_text(size: int) -> str:
    """A byte count as people read it."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@contextmanager
def _failures(action: str):
    """Turn the errors of files, SQLite and PostgreSQL into one-line BackupErrors."""
    try:
        yield
    except (OSError, sqlite3.Error, tarfile.TarError) as exc:
        raise BackupError(f"{action} failed: {one_line(exc)}") from exc
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "psycopg2":
            raise
        raise BackupError(f"{action} failed: {one_line(exc)}") from exc


class Progress:
    """What is done, as lines on stdout and bars on stderr; nothing but errors when quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def bar(self, total: int | None, desc: str, unit: str = "B"):
        from tqdm import tqdm

        scaled = {"unit_scale": True, "unit_divisor": 1024} if unit == "B" else {}
        return tqdm(
            total=total, desc=desc, unit=unit, disable=self.quiet, file=sys.stderr, **scaled
        )


# ---- backup -----------------------------------------------------------------------------


def create_backup(settings: Settings, path: Path, quiet: bool = False) -> dict:
    """Write a backup of the configured database to ``path``; returns its manifest, size and
    duration. Works while the API writes; a failure leaves nothing at ``path``."""
    path, started = Path(path), time.perf_counter()
    url = settings.effective_database_url
    backend = backend_of(url)
    progress = Progress(quiet)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the backup file to write")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    with _failures("backup"):
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
        try:
            progress.say(f"Backing up the {BACKENDS[backend]} database {shown_url(url)}")
            facts, member = _engine(backend).dump(url, work, progress)
            progress.say("Copying the photos")
            photos_entry, photos_member = backup_photos.dump(settings.data_dir, work)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "backend": backend,
                **facts,
                "campusdesk_version": __version__,
                "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source": shown_url(url),
                "members": [
                    {
                        "name": member.name,
                        "kind": "database",
                        "bytes": member.stat().st_size,
                        "sha256": sha256(member),
                    },
                    photos_entry,
                ],
            }
            progress.say("Writing the archive")
            write_archive(work / "backup.tar", manifest, [member, photos_member])
            os.replace(work / "backup.tar", path)
            _sync_folder(path.parent)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return {**manifest, "bytes": path.stat().st_size, "seconds": time.perf_counter() - started}


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (a power cut right after must not lose the new name)."""
    with suppress(OSError):  # some file systems cannot sync a folder; the rename still holds
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def table_facts(scalar, has_table, where: str) -> dict:
    """Schema version and ticket count, read inside the caller's snapshot."""
    if not has_table("campusdesk_schema"):
        raise BackupError(f"{where} is not a CampusDesk database (no campusdesk_schema table)")
    return {
        "schema_version": scalar("SELECT MAX(version) FROM campusdesk_schema") or 0,
        "tickets": scalar("SELECT COUNT(*) FROM ticket") if has_table("ticket") else 0,
        # the zone the analytics totals are counted in (schema 5 on)
        "time_zone": scalar("SELECT MAX(name) FROM campus_zone")
        if has_table("campus_zone")
        else None,
    }


# ---- restore ----------------------------------------------------------------------------


def restore_backup(
    settings: Settings, path: Path, force: bool = False, quiet: bool = False
) -> dict:
    """Replace the configured database with a backup; returns its manifest and the duration.
    Refuses a non-empty database unless ``force``, and on SQLite a database in use."""
    from ticket_api.migrations import LATEST

    path, started = Path(path), time.perf_counter()
    url = settings.effective_database_url
    backend = backend_of(url)
    with _failures("reading the backup"):
        manifest = read_manifest(path)
    if manifest["backend"] != backend:
        raise BackupError(
            f"{path} holds a {BACKENDS[manifest['backend']]} database and the configured "
            f"database (CAMPUSDESK_DATABASE_URL) is {BACKENDS[backend]}: restore it into "
            f"a {BACKENDS[manifest['backend']]} database"
        )
    if manifest["schema_version"] > LATEST:
        raise BackupError(
            f"{path} has schema version {manifest['schema_version']}, newer than this release "
            f"of CampusDesk ({__version__}, schema version {LATEST}): install CampusDesk "
            f"{manifest.get('campusdesk_version', '?')} or newer to restore it"
        )
    progress = Progress(quiet)
    progress.say(
        f"Restoring {tickets_text(manifest['tickets'])} (backup of {manifest['created_at']}) "
        f"into {shown_url(url)}"
    )
    with _failures("restore"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".photos.", dir=settings.data_dir))
        try:
            # the photo files are checked before the database is touched
            photos = backup_photos.unpack(path, manifest, settings.data_dir, work, progress)
            try:
                restored = _engine(backend).restore(url, path, manifest, force, progress)
            except BaseException:
                backup_photos.discard(settings.data_dir)
                raise
            backup_photos.install(settings.data_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        progress.say(f"Restored {photos} photo files")
    for key in ("schema_version", "tickets"):
        if restored[key] != manifest[key]:
            raise BackupError(
                f"the restored database has {key.replace('_', ' ')} {restored[key]}, "
                f"the backup says {manifest[key]}"
            )
    because = None
    if restored["schema_version"] < LATEST:
        because = f"this release needs schema version {LATEST}"
    elif restored["time_zone"] != settings.time_zone:
        because = (
            f"the analytics totals are counted in {restored['time_zone']}, "
            f"CAMPUSDESK_TIME_ZONE is {settings.time_zone}"
        )
    return {**manifest, "init_db_because": because, "seconds": time.perf_counter() - started}


def refuse_unless_empty(scalar, has_table, where: str, force: bool) -> None:
    """Stop a restore over data unless the user said --force."""
    filled = [
        t for t in DATA_TABLES if has_table(t) and scalar(f"SELECT EXISTS (SELECT 1 FROM {t})")
    ]
    if filled and not force:
        tickets = scalar("SELECT COUNT(*) FROM ticket") if has_table("ticket") else 0
        raise BackupError(
            f"the database {where} is not empty ({tickets_text(tickets)}; rows in "
            f"{', '.join(filled)}): restoring replaces everything in it, add --force to do so"
        )
