"""This machine's stamp of the last change an API process committed to PostgreSQL.

Every API process on PostgreSQL keeps answers until the data changes (``ticket_api.readcache``).
Each change it commits (``ticket_api.db``: a statement outside a transaction, or a
transaction's commit) writes a new random stamp into a small file of the data folder, mapped
in memory by every process of the machine, before the request that made it is answered.
Reading the stamp is a memory read: a process that finds it changed knows that a process of
this machine changed the database since it last looked. Changes made on other machines or by
other programs are known from PostgreSQL's notices (schema step 20).
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

FILE_NAME = "changes.stamp"
SIZE = 8


class Stamp:
    """The stamp file of one data folder, mapped on first use."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self._map: mmap.mmap | None = None

    def _mapped(self) -> mmap.mmap:
        if self._map is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                # Growing the file to SIZE keeps a stamp another process already wrote.
                if os.fstat(fd).st_size < SIZE:
                    os.ftruncate(fd, SIZE)
                self._map = mmap.mmap(fd, SIZE)
            finally:
                os.close(fd)
        return self._map

    def read(self) -> bytes:
        """The current stamp (8 bytes)."""
        return self._mapped()[:SIZE]

    def bump(self) -> None:
        """A new stamp: 8 random bytes, so that no two changes write the same one."""
        self._mapped()[:SIZE] = os.urandom(SIZE)


_stamps: dict[Path, Stamp] = {}


def use(folder: Path) -> Stamp:
    """The stamp of ``folder``, which this process's writes change from now on."""
    folder = Path(folder).resolve()
    stamp = _stamps.get(folder)
    if stamp is None:
        stamp = _stamps[folder] = Stamp(folder)
    return stamp


def changed() -> None:
    """Record that this process committed a change: a new stamp in each data folder in use
    (its own readers read the same stamps)."""
    for stamp in _stamps.values():
        stamp.bump()
