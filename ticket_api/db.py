"""The database connection: SQLite in the data folder by default, PostgreSQL from a URL."""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import urlparse

from peewee import Database, DatabaseProxy
from playhouse.db_url import parse as parse_db_url
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from kit.settings import Settings, SettingsError
from ticket_api import changes

database = DatabaseProxy()

# WAL lets readers work while one writer writes; NORMAL sync is durable across application
# crashes and ~2x faster than FULL; a busy timeout turns write contention into waiting
# instead of "database is locked" errors.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32_000,
    "temp_store": "memory",
}


class _PostgresPool(PooledPostgresqlDatabase):
    """The pool, without a ``SELECT 1`` round trip to the server on every check-out of a
    connection that came back to the pool moments ago (under load, one on every request).

    A connection idle for longer than :attr:`TRUSTED_SECONDS` is still asked first, so one
    the server dropped while nothing used it (a restart overnight) is replaced unseen. One
    dropped in the last moments fails its next query (a 503 problem, as any query cut by a
    restart does) and is then replaced, since the driver marks it broken."""

    TRUSTED_SECONDS = 2.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # id of a connection -> when it came back to the pool in working order
        self._returned: dict[int, float] = {}

    def _is_closed(self, conn) -> bool:
        returned = self._returned.pop(id(conn), None)
        if (
            returned is not None
            and not conn.closed
            and time.monotonic() - returned < self.TRUSTED_SECONDS
            and self._adapter.txn_status(conn) == self._adapter.txn_idle
        ):
            return False
        return super()._is_closed(conn)

    def _can_reuse(self, conn) -> bool:
        if not super()._can_reuse(conn):
            return False
        self._returned[id(conn)] = time.monotonic()
        return True

    def close_idle(self):
        self._returned.clear()
        return super().close_idle()

    # Every change this process commits is told to the readers of this machine, which keep
    # answers until the data changes (ticket_api.changes, ticket_api.readcache): a statement
    # other than a SELECT commits on its own outside a transaction, a transaction on commit.

    def execute_sql(self, sql, params=None):
        cursor = super().execute_sql(sql, params)
        if not self.in_transaction() and sql.lstrip()[:6].upper() != "SELECT":
            changes.changed()
        return cursor

    def commit(self):
        result = super().commit()
        changes.changed()
        return result


def make_database(url: str) -> Database:
    """A pooled peewee database for a ``sqlite:///path`` or ``postgresql://`` URL."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url[len("sqlite://") :]
        return PooledSqliteDatabase(
            path or ":memory:",
            pragmas=SQLITE_PRAGMAS,
            timeout=5,
            max_connections=32,
            stale_timeout=600,
            check_same_thread=False,
        )
    if scheme in ("postgres", "postgresql"):
        params = parse_db_url(url)
        name = params.pop("database")
        return _PostgresPool(
            name,
            max_connections=32,
            stale_timeout=600,
            timeout=10,
            **params,
        )
    raise SettingsError(
        f"CAMPUSDESK_DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}"
    )


def open_database(settings: Settings) -> Database:
    """Create the data folder if needed, bind the models to the database and connect."""
    url = settings.effective_database_url
    if url.startswith("sqlite") and not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = make_database(url)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return db


def is_postgres(db: Database | None = None) -> bool:
    """True when the models are bound to PostgreSQL."""
    db = db or database.obj
    return isinstance(db, PooledPostgresqlDatabase)


WRITE_LOCK_KEY = 0x43445752  # PostgreSQL advisory lock every write transaction takes


@contextmanager
def write_transaction():
    """A transaction that will write, one at a time. On SQLite it takes the write lock at
    BEGIN: a deferred transaction that read first could not upgrade once another writer
    committed, and would fail instead of waiting its turn. On PostgreSQL an advisory lock
    gives the same order: the analytics totals that triggers keep are shared rows, and
    writers updating them in different orders could otherwise deadlock."""
    if not is_postgres():
        with database.atomic(lock_type="IMMEDIATE") as transaction:
            yield transaction
        return
    with database.atomic() as transaction:
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        yield transaction
