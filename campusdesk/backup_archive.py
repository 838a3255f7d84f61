"""The backup file: a tar archive whose first member, ``manifest.json``, says what the rest
is (format, backend, schema version, CampusDesk version, when, how many tickets) and gives
every other member's size and SHA-256, so that a restore checks the file before it starts."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from pathlib import Path

from kit import __version__

FORMAT = "campusdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3.gz", "postgresql": "database.pgdump"}
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line."""


def one_line(exc: BaseException) -> str:
    """An error's message on one line, for stderr."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(target: Path, manifest: dict, members: list[Path]) -> None:
    """The tar file: the manifest first, so that reading it costs nothing, then the members."""
    data = json.dumps(manifest, indent=2).encode()
    with open(target, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            tar.addfile(info, io.BytesIO(data))
            for member in members:
                tar.add(member, arcname=member.name, recursive=False, filter=_private)
        raw.flush()
        os.fsync(raw.fileno())
    os.chmod(target, 0o600)  # tickets carry names and personal messages


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uname, info.gname = 0o600, "", ""
    return info


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file, checked to be one that this release can read."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    foreign = f"{path} is not a CampusDesk backup"
    try:
        with tarfile.open(path, "r:") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{foreign} (it does not start with {MANIFEST})")
            manifest = json.loads(tar.extractfile(first).read(CHUNK))
    except tarfile.TarError:
        raise BackupError(f"{foreign} (not a tar archive, or a damaged one)") from None
    except ValueError:
        raise BackupError(f"{path} is damaged: its {MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{foreign} (its {MANIFEST} describes something else)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{path} was written by CampusDesk {manifest.get('campusdesk_version', '?')} in "
            f"backup format {version}; this release ({__version__}) reads format "
            f"{FORMAT_VERSION}: install a newer CampusDesk to restore it"
        )
    database_entry(manifest, path)
    return manifest


def database_entry(manifest: dict, path: Path) -> dict:
    """The manifest's entry of the database member, after checking the manifest is whole."""
    checks = (
        manifest.get("backend") in BACKENDS,
        isinstance(manifest.get("schema_version"), int),
        isinstance(manifest.get("tickets"), int),
    )
    entries = [m for m in manifest.get("members") or () if isinstance(m, dict)]
    database = [m for m in entries if m.get("kind") == "database"]
    if not all(checks) or len(database) != 1 or not {"name", "bytes", "sha256"} <= set(database[0]):
        raise BackupError(f"{path} is damaged: its {MANIFEST} is incomplete")
    return database[0]


def extract_member(archive: Path, entry: dict, target: Path, progress) -> None:
    """Copy one member out of the archive (unpacked when gzip'd), checking its SHA-256."""
    name = entry["name"]
    damaged = f"{archive} is damaged: {name}"
    unreadable = (OSError, EOFError, zlib.error, tarfile.TarError)
    with tarfile.open(archive, "r:") as tar, open(target, "wb") as out:
        try:
            info = tar.getmember(name)
        except KeyError:
            raise BackupError(f"{damaged} is missing") from None
        except tarfile.TarError:
            raise BackupError(f"{damaged} is cut short") from None
        if not info.isfile() or info.size != entry["bytes"]:
            raise BackupError(f"{damaged} is not the size its manifest says")
        digest = hashlib.sha256()
        with progress.bar(info.size, "reading") as bar:
            reader = _Hashing(tar.extractfile(info), digest, bar)
            source = gzip.GzipFile(fileobj=reader, mode="rb") if name.endswith(".gz") else reader
            while True:
                try:
                    chunk = source.read(CHUNK)
                except unreadable as exc:
                    raise BackupError(f"{damaged} cannot be read ({one_line(exc)})") from None
                if not chunk:
                    break
                out.write(chunk)
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{damaged} does not match its checksum")


class _Hashing:
    """A member's bytes as they are read: hashed and counted on a progress bar."""

    def __init__(self, raw, digest, bar):
        self.raw, self.digest, self.bar = raw, digest, bar

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        self.bar.update(len(chunk))
        return chunk
