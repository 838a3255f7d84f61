"""The answers of the hot reads, kept in each API process until the database changes.

One ticket (``GET /api/tickets/{id}``) and the lists (``GET /api/tickets``) are what the
dashboard asks for most: every helpdesk board shows the same queue, and every page of a ticket
is read again after each change. An answer is kept by its path, query string and role, and
served again for as long as nothing in the database changed; the first change anywhere drops
every answer kept. Only whole 200 answers are kept, at most ``CAMPUSDESK_READ_CACHE_ENTRIES``
of them per process, the least recently used going first (0 keeps none).

Whether the database changed is known without asking it for each request:

- **SQLite**: ``PRAGMA data_version`` on the request's connection, which changes when another
  connection (of any process) commits, and the connection's own count of changed rows. Both
  are read from the database file's shared memory: the answer is exact.
- **PostgreSQL**: every process listens to the notices that schema step 20's triggers send
  when a transaction that changed rows commits (``LISTEN campusdesk_changes``), and reads them
  from its socket without a round trip to the server. PostgreSQL sends them as it commits,
  and they arrive moments later; a change committed by an API process of this machine is
  known at once, before its request is answered, from a stamp those processes share in
  memory (``ticket_api.changes``). A change made elsewhere (an API on another machine, a
  command) is seen once its notice arrives, within milliseconds of its commit. When the
  listening connection is lost, nothing is kept until it is back.

The stamp is read before the query whose answer is kept: a change committed between the two
is seen by the next request, which drops the answer.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from functools import wraps
from typing import Callable

from flask import current_app, request

from ticket_api import changes
from ticket_api.context import actor
from ticket_api.db import database, is_postgres
from ticket_api.schema.step_20_change_notices import CHANNEL
from ticket_api.telemetry import READ_CACHE

EXTENSION = "campusdesk.readcache"


class Answers:
    """Answers by key, valid while the database's stamp stays the one they were kept under."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.stamp: object = None
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, stamp):
        """The answer kept for key, if the database has not changed since (else None, and
        every answer is dropped)."""
        with self._lock:
            if stamp != self.stamp:
                self._kept.clear()
                self.stamp = stamp
                return None
            answer = self._kept.get(key)
            if answer is not None:
                self._kept.move_to_end(key)
            return answer

    def put(self, key, stamp, answer) -> None:
        """Keep answer for key, if it was read under the current stamp."""
        with self._lock:
            if stamp != self.stamp:
                return
            self._kept[key] = answer
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


class SqliteChanges:
    """The stamp of the request's SQLite connection: itself, what other connections committed
    (``data_version``) and the rows it changed itself."""

    def close(self) -> None:
        """Nothing to let go of."""

    def stamp(self):
        conn = database.connection()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return (conn, version, conn.total_changes)


class PostgresChanges:
    """The stamp of a PostgreSQL database: the notices received on a connection of this
    process that listens to CHANNEL, and this machine's stamp (which this process's own
    writes change too)."""

    RETRY_SECONDS = 1.0

    def __init__(self, folder) -> None:
        self.machine = changes.use(folder)
        self._listener = None
        self._pid = None
        self._generation = 0
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def _listen(self):
        import psycopg2

        db = database.obj
        params = {"connect_timeout": 3, **db.connect_params}
        conn = psycopg2.connect(dbname=db.database, **params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        return conn

    def stamp(self):
        with self._lock:
            if self._pid != os.getpid():  # a new process (a forked worker) listens anew
                self._listener, self._pid = None, os.getpid()
            if self._listener is None:
                if time.monotonic() < self._retry_at:
                    return None
                try:
                    self._listener = self._listen()
                except Exception:  # noqa: BLE001 - the server is away: nothing is kept
                    self._retry_at = time.monotonic() + self.RETRY_SECONDS
                    return None
                self._generation += 1  # what came before it was not heard
            try:
                self._listener.poll()
            except Exception:  # noqa: BLE001 - the connection is lost: listen again later
                self._drop()
                return None
            if self._listener.notifies:
                self._listener.notifies.clear()
                self._generation += 1
            return (self._generation, self.machine.read())

    def close(self) -> None:
        """Stop listening (an app discarded before its process ends, as in tests)."""
        with self._lock:
            if self._listener is not None:
                self._drop()

    def _drop(self) -> None:
        try:
            self._listener.close()
        except Exception:  # noqa: BLE001
            pass
        self._listener = None
        self._retry_at = time.monotonic() + self.RETRY_SECONDS


class ReadCache:
    """The kept answers of one app and how it learns that its database changed."""

    def __init__(self, entries: int, changes_source) -> None:
        self.answers = Answers(entries)
        self.changes = changes_source
        # The labelled series, looked up once (labels() locks on every call).
        self.hits = READ_CACHE.labels("hit")
        self.misses = READ_CACHE.labels("miss")


def init_app(app, settings) -> None:
    """Keep the answers of the routes marked :func:`kept` (none when the setting is 0)."""
    if settings.read_cache_entries <= 0:
        return
    source = PostgresChanges(settings.data_dir) if is_postgres() else SqliteChanges()
    app.extensions[EXTENSION] = ReadCache(settings.read_cache_entries, source)


def kept(view: Callable) -> Callable:
    """Serve the view's 200 answers again, until the database changes."""

    @wraps(view)
    def answer(**kwargs):
        cache = current_app.extensions.get(EXTENSION)
        stamp = cache.changes.stamp() if cache is not None else None
        if stamp is None:
            return view(**kwargs)
        key = (request.path, request.query_string, actor().role)
        found = cache.answers.get(key, stamp)
        if found is not None:
            cache.hits.inc()
            body, headers = found
            return current_app.response_class(body, 200, headers)
        cache.misses.inc()
        response = view(**kwargs)
        if response.status_code == 200 and not response.is_streamed:
            cache.answers.put(key, stamp, (response.get_data(), list(response.headers)))
        return response

    return answer
