"""``campusdesk backup`` and ``restore``: exact round trips, a backup taken while the API writes,
and every refusal with its message and exit status, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from campusdesk.backup import BackupError, create_backup, read_manifest, restore_backup
from campusdesk.cli import main
from kit.settings import Settings
from tests.api.helpers import HELPDESK, advance, create, patch
from tests.apps import campusdesk, cli_env, serving
from ticket_api.migrations import LATEST

# ---- databases ---------------------------------------------------------------------------


def _admin(url: str):
    import psycopg2
    from playhouse.db_url import parse

    params = parse(url)
    params.pop("database")
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    return conn


@pytest.fixture
def target(settings, tmp_path, worker_id):
    """Settings of a second, empty database of the same kind, to restore into."""
    if not settings.database_url:
        yield settings.with_changes(data_dir=tmp_path / "restored")
        return
    parts = urlsplit(settings.database_url)
    name = f"campusdesk_restore_{worker_id}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = _admin(url)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    yield settings.with_changes(database_url=url)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def _connect(settings: Settings):
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        return sqlite3.connect(url[len("sqlite:///") :])
    import psycopg2
    from playhouse.db_url import parse

    params = parse(url)
    return psycopg2.connect(dbname=params.pop("database"), **params)


def query(settings: Settings, sql: str) -> list[tuple]:
    """The rows of one query on a database, through a connection of its own."""
    conn = _connect(settings)
    try:
        cursor = conn.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        conn.close()


def has_tickets_table(settings: Settings) -> bool:
    """Whether anything was ever restored into the database."""
    if settings.database_url:
        return query(settings, "SELECT to_regclass('ticket') IS NOT NULL") == [(True,)]
    path = Path(settings.effective_database_url[len("sqlite:///") :])
    return path.exists() and bool(query(settings, "SELECT 1 FROM sqlite_master"))


def every_row(settings: Settings) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order; on PostgreSQL every sequence's position."""
    if settings.database_url:
        tables = query(settings, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        rows = {
            "sequences": query(
                settings, "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
            )
        }
    else:  # planner statistics are not data: restore recomputes them
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%'"
        tables, rows = query(settings, sql), {}
    for (table,) in tables:
        rows[table] = sorted(query(settings, f'SELECT * FROM "{table}"'), key=repr)
    return rows


# ---- the command line --------------------------------------------------------------------


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """``campusdesk ARGS`` in this process (fast): returns (exit status, stdout, stderr)."""

    def run(settings: Settings, *args: str) -> tuple[int, str, str]:
        for name in [n for n in os.environ if n.startswith("CAMPUSDESK_")]:
            monkeypatch.delenv(name)
        for name, value in cli_env(settings).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


def refused(result: tuple[int, str, str], *words: str) -> None:
    """Exit status 1 and one line on stderr, saying what went wrong, without a traceback."""
    status, _, err = result
    assert status == 1, result
    lines = [line for line in err.splitlines() if line.startswith("campusdesk: ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]


# ---- data --------------------------------------------------------------------------------


def fill(app) -> None:
    """Demo tickets, plus what only the API writes: messages, status history, a helpdesk
    category correction (a classifier example) and a deleted ticket."""
    from ticket_api.db import database
    from ticket_api.seed import seed

    with database.connection_context():
        seed(database.obj, app.extensions["campusdesk.classifier"](), 120, 6, 5, False)
    client = app.test_client()
    ticket = create(client, title="Projector dead in B1", description="It shows nothing at all.")
    client.post(f"/api/tickets/{ticket['id']}/messages", json={"body": "Tried another cable."})
    ticket = advance(client, ticket, "active")
    category = "services" if ticket["category"] != "services" else "facility"
    assert patch(client, ticket, category=category).status_code == 200
    spam = create(client, title="Buy cheap watches", description="Spam, spam, spam.")
    deleted = client.delete(f"/api/tickets/{spam['id']}", headers={**HELPDESK, "If-Match": "1"})
    assert deleted.status_code == 204


def test_round_trip_restores_every_row(app, settings, target, tmp_path):
    from tests.apps import make_api
    from ticket_api import rollups
    from ticket_api.db import database

    fill(app)
    backup = tmp_path / "campusdesk.backup"
    made = create_backup(settings, backup, quiet=True)
    restored = restore_backup(target, backup, quiet=True)

    rows = every_row(settings)
    assert every_row(target) == rows
    assert made["tickets"] == restored["tickets"] == len(rows["ticket"]) == 121
    assert rows["classifier_example"] and rows["message"] and rows["ticket_change"]
    # the restored database keeps working: triggers, search index and totals came along
    database.obj.close_all()
    client = make_api(target).test_client()
    new = create(client, title="Zorblax lift stuck", description="The lift does not move.")
    assert new["id"] > max(row[0] for row in rows["ticket"])
    found = client.get("/api/tickets", query_string={"q": "zorblax"}).json["items"]
    assert [t["id"] for t in found] == [new["id"]]
    with database.connection_context():
        assert rollups.check(database.obj) == []


def test_round_trip_brings_the_photo_files_along(app, settings, target, tmp_path):
    from tests.api.test_photos import image_bytes, upload
    from tests.apps import make_api
    from ticket_api.db import database

    client = app.test_client()
    ticket = create(client, title="Cracked tile in C3", description="Someone may trip on it.")
    sent = upload(
        client,
        f"/api/tickets/{ticket['id']}/photos",
        ("tile.jpg", image_bytes("JPEG")),
        ("tile.png", image_bytes("PNG", (20, 10))),
    ).json["items"]
    originals = {p["id"]: client.get(p["url"]).data for p in sent}
    backup = tmp_path / "campusdesk.backup"
    made = create_backup(settings, backup, quiet=True)
    assert [m["kind"] for m in made["members"]] == ["database", "photos"]
    assert made["members"][1]["files"] == 4
    # a file left in the target's photo folder is not one of the restored database's
    target = target.with_changes(data_dir=tmp_path / "restored-data")
    stray = target.data_dir / "photos" / f"{'0' * 32}.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left over")
    restore_backup(target, backup, quiet=True)
    assert not stray.exists()
    assert len(list((target.data_dir / "photos").iterdir())) == 4

    database.obj.close_all()
    restored = make_api(target).test_client()
    listed = restored.get(f"/api/tickets/{ticket['id']}/photos").json["items"]
    assert [p["id"] for p in listed] == list(originals)
    for photo in listed:
        assert restored.get(photo["url"]).data == originals[photo["id"]]
        assert restored.get(photo["thumbnail_url"]).status_code == 200
    assert restored.get(f"/api/tickets/{ticket['id']}").json["photos"] == 2


# ---- a backup while the API writes -------------------------------------------------------


class Writers:
    """Threads filing tickets, helpdesk answers and status changes over HTTP until stopped;
    each acknowledged write is kept as (table, id, sent at, acknowledged at)."""

    def __init__(self, base: str, threads: int = 4):
        self.base, self.done, self.failures = base, [], []
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(n,)) for n in range(threads)]

    def _post(self, session, path: str, body: dict, table: str, **kwargs) -> dict | None:
        sent = time.monotonic()
        response = session.post(f"{self.base}{path}", json=body, timeout=30, **kwargs)
        if response.status_code != 201:
            self.failures.append(response.text)
            return None
        with self.changed:
            self.done.append((table, response.json()["id"], sent, time.monotonic()))
            self.changed.notify_all()
        return response.json()

    def _write(self, writer: int) -> None:
        session, n = requests.Session(), 0
        while not self.stopping.is_set() and not self.failures:
            n += 1
            body = {"title": f"Broken door {writer}-{n}", "description": "The door does not shut."}
            ticket = self._post(session, "/tickets", body, "ticket")
            if ticket is None:
                return
            answer = {"body": "We are on it."}
            self._post(
                session, f"/tickets/{ticket['id']}/messages", answer, "message", headers=HELPDESK
            )
            for version, status in enumerate(("active", "closed")[: n % 3], start=1):
                moved = session.patch(
                    f"{self.base}/tickets/{ticket['id']}",
                    json={"status": status},
                    headers={**HELPDESK, "If-Match": str(version)},
                    timeout=30,
                )
                if moved.status_code != 200:
                    self.failures.append(moved.text)

    def wait_for(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.done) >= count or self.failures, 30)
        assert not self.failures, self.failures[0]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def server(app):
    """The API over real HTTP on a free port; yields its base address."""
    with serving(app) as url:
        yield f"{url}/api"


def test_backup_under_load_holds_every_acknowledged_write(server, settings, target, tmp_path):
    backup = tmp_path / "under-load.backup"
    with Writers(server) as writers:
        writers.wait_for(40)
        started = time.monotonic()
        made = campusdesk(settings, "backup", str(backup))
        finished = time.monotonic()
        writers.wait_for(len(writers.done) + 20)
    assert made.returncode == 0, made.stderr
    assert "Backup written to" in made.stdout and "tickets" in made.stdout
    assert any(started < acked < finished for *_, acked in writers.done), "no write overlapped"

    restored = campusdesk(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    kept = {
        (table, row_id)
        for table in ("ticket", "message")
        for (row_id,) in query(target, f"SELECT id FROM {table}")
    }
    before = {(table, row_id) for table, row_id, _, acked in writers.done if acked < started}
    after = {(table, row_id) for table, row_id, sent, _ in writers.done if sent > finished}
    assert len(before) >= 40 and after, "the writers did not run on both sides of the backup"
    assert before <= kept, sorted(before - kept)[:5]
    assert not after & kept, "the backup holds writes sent after it finished"
    tickets = sum(table == "ticket" for table, _ in kept)
    assert read_manifest(backup)["tickets"] == tickets
    check = campusdesk(target, "analytics", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    if not settings.database_url:
        assert query(target, "PRAGMA integrity_check") == [("ok",)]
        assert query(target, "PRAGMA foreign_key_check") == []


def test_sqlite_copy_is_one_snapshot_while_writes_land_between_its_steps(
    tmp_path, model_dir, monkeypatch
):
    from campusdesk import backup_sqlite
    from tests.apps import make_api
    from ticket_api.db import database

    settings = Settings(
        data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False
    )
    client = make_api(settings).test_client()
    for n in range(30):
        create(client, title=f"Ticket number {n}")
    written, page_progress = [], backup_sqlite._page_progress

    def write_between_steps(bar):
        step = page_progress(bar)

        def write_then_step(status, remaining, total):
            if remaining and len(written) < 20:
                written.append(create(client, title=f"Written mid-copy {len(written)}"))
            step(status, remaining, total)

        return write_then_step

    monkeypatch.setattr(backup_sqlite, "PAGES_PER_STEP", 1)
    monkeypatch.setattr(backup_sqlite, "_page_progress", write_between_steps)
    backup = tmp_path / "stepwise.backup"
    made = create_backup(settings, backup, quiet=True)
    database.obj.close_all()
    assert len(written) == 20 and made["tickets"] == 30
    restored = settings.with_changes(data_dir=tmp_path / "restored")
    assert restore_backup(restored, backup, quiet=True)["tickets"] == 30
    assert query(restored, "SELECT COUNT(*) FROM ticket") == [(30,)]


# ---- refusals ----------------------------------------------------------------------------


def _rewritten(source: Path, target: Path, drop_manifest: bool = False, **changes) -> Path:
    """A copy of a backup with its manifest changed (or left out)."""
    with tarfile.open(source) as tar, tarfile.open(target, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "manifest.json":
                if drop_manifest:
                    continue
                data = json.dumps({**json.loads(data), **changes}).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_restore_over_tickets_needs_force(app, settings, target, tmp_path, run_cli):
    create(app.test_client())
    first = tmp_path / "first.backup"
    assert run_cli(settings, "backup", "--quiet", str(first))[0] == 0
    create(app.test_client(), title="Second ticket")
    second = tmp_path / "second.backup"
    assert run_cli(settings, "backup", "--quiet", str(second))[0] == 0

    status, out, _ = run_cli(target, "restore", str(first))
    assert status == 0 and "Restored 1 ticket " in out
    refused(run_cli(target, "restore", str(second)), "not empty", "1 ticket;", "--force")
    assert query(target, "SELECT COUNT(*) FROM ticket") == [(1,)]
    status, out, _ = run_cli(target, "restore", "--force", str(second))
    assert status == 0 and "Restored 2 tickets" in out
    assert every_row(target) == every_row(settings)


def test_foreign_damaged_and_newer_files_are_refused(app, settings, target, tmp_path, run_cli):
    create(app.test_client())
    good = tmp_path / "good.backup"
    assert run_cli(settings, "backup", "--quiet", str(good))[0] == 0
    raw = good.read_bytes()
    with tarfile.open(good) as tar:
        name = next(m for m in tar.getmembers() if m.name != "manifest.json")
        middle = name.offset_data + name.size // 2
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    cut = tmp_path / "cut.backup"
    cut.write_bytes(raw[: len(raw) // 2])
    flipped = tmp_path / "flipped.backup"
    flipped.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1 :])

    refused(run_cli(target, "restore", str(tmp_path / "missing.backup")), "no such file")
    refused(run_cli(target, "restore", str(text)), "not a CampusDesk backup")
    manifestless = _rewritten(good, tmp_path / "bare.tar", drop_manifest=True)
    refused(run_cli(target, "restore", str(manifestless)), "not a CampusDesk backup")
    refused(run_cli(target, "restore", str(cut)), "damaged")
    refused(run_cli(target, "restore", str(flipped)), "damaged")
    newer = _rewritten(good, tmp_path / "newer.backup", schema_version=LATEST + 1)
    refused(run_cli(target, "restore", str(newer)), f"schema version {LATEST + 1}", "newer")
    future = _rewritten(good, tmp_path / "future.backup", format_version=99)
    refused(run_cli(target, "restore", str(future)), "format 99", "newer CampusDesk")
    assert run_cli(target, "restore")[0] == 2  # FILE is missing: a usage error
    assert not has_tickets_table(target)  # nothing was written


def test_failed_backup_keeps_the_previous_file(app, settings, tmp_path, run_cli, monkeypatch):
    create(app.test_client())
    backup = tmp_path / "nightly.backup"
    backup.write_text("last night's backup")

    def disk_full(target, manifest, members):
        target.write_bytes(b"half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("campusdesk.backup.write_archive", disk_full)
    refused(run_cli(settings, "backup", str(backup)), "backup failed", "No space left")
    assert backup.read_text() == "last night's backup"
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["nightly.backup"]


def initialised(settings: Settings) -> Settings:
    """The settings, after ``campusdesk init-db`` has prepared their database."""
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    db = open_database(settings)
    migrate(db, zone=settings.zone)
    db.close_all()
    return settings


@pytest.mark.postgres
def test_backups_are_refused_by_the_other_kind_of_database(tmp_path, postgres_url, model_dir):
    lite = initialised(
        Settings(data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False)
    )
    postgres = initialised(lite.with_changes(database_url=postgres_url))
    create_backup(lite, tmp_path / "lite.backup", quiet=True)
    create_backup(postgres, tmp_path / "pg.backup", quiet=True)
    with pytest.raises(BackupError, match="holds a SQLite database .* is PostgreSQL"):
        restore_backup(postgres, tmp_path / "lite.backup", quiet=True)
    with pytest.raises(BackupError, match="holds a PostgreSQL database .* is SQLite"):
        restore_backup(lite, tmp_path / "pg.backup", quiet=True)


@pytest.mark.postgres
def test_missing_or_failing_pg_dump_leaves_no_file(
    tmp_path, postgres_url, model_dir, run_cli, monkeypatch
):
    settings = initialised(
        Settings(
            tmp_path / "data",
            database_url=postgres_url,
            model_dir_override=str(model_dir),
            rate_limits=False,
        )
    )
    folder, empty, tools = tmp_path / "backups", tmp_path / "empty", tmp_path / "bin"
    for path in (folder, empty, tools):
        path.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    refused(run_cli(settings, "backup", str(folder / "a.backup")), "pg_dump was not found")
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: simulated failure' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    refused(run_cli(settings, "backup", str(folder / "a.backup")), "pg_dump failed", "simulated")
    assert list(folder.iterdir()) == []


def test_sqlite_restore_refuses_a_database_in_use(tmp_path, model_dir, run_cli):
    from ticket_api.db import open_database
    from ticket_api.migrations import migrate

    source = initialised(
        Settings(data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False)
    )
    backup = tmp_path / "empty.backup"
    assert run_cli(source, "backup", "--quiet", str(backup))[0] == 0
    serving = source.with_changes(data_dir=tmp_path / "serving")
    db = open_database(serving)  # as the API holds its pooled connections between requests
    migrate(db, zone=serving.zone)
    db.close()
    try:
        refused(run_cli(serving, "restore", "--force", str(backup)), "in use", "stop the API")
    finally:
        db.close_all()
    assert run_cli(serving, "restore", "--force", str(backup))[0] == 0


def test_help_says_to_stop_the_api(run_cli):
    status, out, _ = run_cli(Settings(), "restore", "--help")
    assert status == 0 and "Stop the API" in out and "--force" in out
