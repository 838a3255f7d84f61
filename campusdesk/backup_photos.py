"""The photo files in a backup: the ``photos/`` folder of the data folder as one member
(``photos.tar``, not compressed again: the photos are), copied after the database so that
every photo row of the database's snapshot has its files; restored by replacing the folder
whole, so that the photo files are those of the restored database and no other."""

from __future__ import annotations

import re
import shutil
import tarfile
from pathlib import Path

from campusdesk.backup_archive import BackupError, extract_member, sha256

MEMBER = "photos.tar"
KIND = "photos"
#: The names of the files the API writes: a random id, ``.thumb`` for a thumbnail, the type.
FILE_NAME = re.compile(r"[0-9a-f]{32}(\.thumb)?\.(jpg|png|webp)")


def folder(data_dir: Path) -> Path:
    """The photo folder of a data folder (as ticket_api/photos.py names it)."""
    return Path(data_dir) / "photos"


def dump(data_dir: Path, work: Path) -> tuple[dict, Path]:
    """The member holding every photo file, and its manifest entry."""
    target = work / MEMBER
    source = folder(data_dir)
    count = 0
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        if source.is_dir():
            for path in sorted(source.iterdir()):
                if FILE_NAME.fullmatch(path.name) and path.is_file():
                    info = tar.gettarinfo(path, arcname=path.name)
                    info.mode, info.uname, info.gname = 0o600, "", ""
                    with open(path, "rb") as file:
                        tar.addfile(info, file)
                    count += 1
    entry = {
        "name": MEMBER,
        "kind": KIND,
        "bytes": target.stat().st_size,
        "sha256": sha256(target),
        "files": count,
    }
    return entry, target


def entry_of(manifest: dict) -> dict | None:
    """The manifest's entry of the photo member; None in a backup made before photos."""
    found = [m for m in manifest.get("members") or () if isinstance(m, dict)]
    found = [m for m in found if m.get("kind") == KIND]
    return found[0] if found else None


def unpack(archive: Path, manifest: dict, data_dir: Path, work: Path, progress) -> int:
    """Unpack and check the backup's photo files next to the photo folder (none for a backup
    made before photos), before anything is replaced; how many files there are."""
    entry = entry_of(manifest)
    fresh = _fresh(data_dir)
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    count = 0
    if entry is not None:
        unpacked = work / MEMBER
        extract_member(archive, entry, unpacked, progress)
        with tarfile.open(unpacked, "r:") as tar:
            for info in tar:
                # only the files the API writes: no paths, links or devices from a backup
                if not (info.isfile() and FILE_NAME.fullmatch(info.name)):
                    shutil.rmtree(fresh, ignore_errors=True)
                    raise BackupError(f"{archive} is damaged: {MEMBER} holds {info.name!r}")
                with tar.extractfile(info) as source, open(fresh / info.name, "wb") as out:
                    shutil.copyfileobj(source, out)
                count += 1
    return count


def discard(data_dir: Path) -> None:
    """Forget the unpacked photo files (the restore of the database failed)."""
    shutil.rmtree(_fresh(data_dir), ignore_errors=True)


def install(data_dir: Path) -> None:
    """Replace the photo folder with the unpacked one, once the database is restored."""
    current = folder(data_dir)
    old = current.with_name("photos.replaced")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    _fresh(data_dir).rename(current)
    shutil.rmtree(old, ignore_errors=True)


def _fresh(data_dir: Path) -> Path:
    return folder(data_dir).with_name("photos.restoring")
