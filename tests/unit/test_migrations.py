"""Schema versions: created from nothing, upgraded step by step from the first release
without losing a row, to the same schema either way, on both databases."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ticket_api.db import is_postgres
from ticket_api.migrations import LATEST, SchemaError, current_version, migrate, require_current

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROME = ZoneInfo("Europe/Rome")


def _reset(db) -> None:
    if is_postgres(db):
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")


@pytest.fixture
def db(settings):
    from ticket_api.db import database, open_database

    db = open_database(settings)
    _reset(db)
    yield db
    database.obj.close_all()


@pytest.fixture
def other_db(settings, tmp_path):
    """A second, empty database of the same kind, unbound from the models."""
    from ticket_api.db import make_database

    if settings.database_url:
        from tests.conftest import _ensure_postgres_database

        url = settings.database_url + "_other"
        assert _ensure_postgres_database(url) is None
    else:
        url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    other = make_database(url)
    other.connect()
    _reset(other)
    yield other
    other.close_all()


def load_first_release(db) -> None:
    """The schema exactly as CampusDesk 0.1.0 created it (schema version 2)."""
    kind = "postgres" if is_postgres(db) else "sqlite"
    script = (FIXTURES / f"release-0.1.0.{kind}.sql").read_text()
    statements = [s for s in re.split(r";\s*\n", script) if s.strip().strip("-").strip()]
    with db.atomic():
        for statement in statements:
            lines = [x for x in statement.splitlines() if not x.startswith("--")]
            db.execute_sql("\n".join(lines))


def schema_of(db) -> dict:
    """Tables with their columns, indexes, triggers and functions, comparable across two
    databases of the same kind."""
    if is_postgres(db):
        queries = {
            "columns": "SELECT table_name, column_name, data_type, is_nullable, "
            "column_default, character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = 'public'",
            "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public'",
            "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
            "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
            "FROM pg_trigger WHERE NOT tgisinternal",
            "functions": "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
            "WHERE pronamespace = 'public'::regnamespace",
            "search configurations": "SELECT cfgname FROM pg_ts_config "
            "WHERE cfgnamespace = 'public'::regnamespace",
        }
        return {name: sorted(db.execute_sql(sql).fetchall()) for name, sql in queries.items()}
    objects = db.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    described = {
        "objects": sorted((t, n, tb, " ".join((s or "").split())) for t, n, tb, s in objects)
    }
    for (table,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'"):
        described[f"columns of {table}"] = db.execute_sql(
            f'PRAGMA table_info("{table}")'
        ).fetchall()
    return described


def insert_old_rows(db) -> None:
    """Rows as the first release wrote them (its columns only), in SQL of that time."""
    p = db.param
    opened = int(datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc).timestamp())
    rows = [
        (1, "Radiator leaking", "Water on the floor of room 4", "Aula 4", "closed", "facility"),
        (2, "Perché il Wi-Fi non va in aula?", "Università, edificio C", None, "open", "it"),
    ]
    for ticket_id, title, description, location, status, category in rows:
        closed = opened + 6 * 3600 if status == "closed" else None
        db.execute_sql(
            "INSERT INTO ticket (id, title, description, location, reporter_name, status, "
            "category, category_confidence, category_source, opened_at, modified_at, "
            f"closed_at, version) VALUES ({', '.join([p] * 13)})",
            (
                ticket_id,
                title,
                description,
                location,
                "Ada",
                status,
                category,
                0.9,
                "auto",
                opened,
                opened,
                closed,
                1,
            ),
        )
    for role, minute in (("user", 40), ("helpdesk", 50), ("helpdesk", 55)):
        db.execute_sql(
            "INSERT INTO message (ticket_id, body, author_role, author_name, created_at) "
            f"VALUES ({p}, {p}, {p}, {p}, {p})",
            (1, "old", role, None, opened + minute * 60 - 30 * 60),
        )
    db.execute_sql(
        "INSERT INTO ticket_change (ticket_id, at, role, name, field, old_value, new_value) "
        f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
        (1, opened, "user", "Ada", "status", None, "open"),
    )
    if is_postgres(db):
        db.execute_sql("SELECT setval('ticket_id_seq', 2)")


def test_fresh_database_gets_latest_schema(db):
    assert current_version(db) == 0
    assert migrate(db) == (0, LATEST)
    assert migrate(db) == (LATEST, LATEST)
    assert {"ticket", "message", "ticket_change", "classifier_example"} <= set(db.get_tables())


def test_fresh_and_upgraded_from_first_release_have_the_same_schema(db, other_db):
    migrate(db, zone=ROME)
    load_first_release(other_db)
    insert_old_rows(other_db)
    assert current_version(other_db) == 2
    assert migrate(other_db, zone=ROME) == (2, LATEST)
    fresh, upgraded = schema_of(db), schema_of(other_db)
    assert fresh.keys() == upgraded.keys()
    for part in fresh:
        assert fresh[part] == upgraded[part], part


def test_upgrade_from_first_release_keeps_every_row_and_fills_what_is_new(db):
    from ticket_api import rollups
    from ticket_api.models import ClassifierExample, Message, Ticket, TicketChange
    from ticket_api.queries import list_page
    from ticket_api.schemas import TicketListQuery
    from ticket_api.timefields import utcnow

    load_first_release(db)
    insert_old_rows(db)
    assert migrate(db, zone=ROME) == (2, LATEST)

    assert sorted(t.title for t in Ticket.select()) == [
        "Perché il Wi-Fi non va in aula?",
        "Radiator leaking",
    ]
    assert Message.select().count() == 3 and TicketChange.select().count() == 1
    ClassifierExample.create(text="new table works", category="it", created_at=utcnow())
    # first answer from the messages; totals counted in the campus zone
    assert Ticket.get_by_id(1).first_response_at.minute == 50
    rows = db.execute_sql(
        "SELECT day, category, opened, closed, resolved, resolution_seconds, responded, "
        "response_seconds FROM ticket_day WHERE category = 'facility'"
    ).fetchall()
    march_2 = datetime(2026, 3, 2).toordinal() - datetime(1970, 1, 1).toordinal()
    assert [tuple(r) for r in rows] == [(march_2, "facility", 1, 1, 1, 6 * 3600, 1, 1200)]
    assert rollups.stored_zone(db) == "Europe/Rome" and rollups.check(db) == []
    # old tickets are searchable, without their accents, and new ones follow
    for q, titles in (("radiat", ["Radiator leaking"]), ("perche univer", ["Perché il"])):
        items, total, _ = list_page(TicketListQuery(q=q), "helpdesk")
        assert total == 1 and items[0]["title"].startswith(titles[0])
    items, _, _ = list_page(TicketListQuery(sort="title"), "helpdesk")
    assert [t["id"] for t in items] == [2, 1]


def test_newer_database_is_refused(db):
    migrate(db)
    db.execute_sql(f"UPDATE campusdesk_schema SET version = {LATEST + 1}")
    try:
        with pytest.raises(SchemaError, match="newer than this release"):
            migrate(db)
        with pytest.raises(SchemaError, match="newer than this release"):
            require_current(db, ROME)
    finally:
        db.execute_sql(f"UPDATE campusdesk_schema SET version = {LATEST}")


def test_serving_processes_do_not_migrate(db):
    """An API worker checks the schema and says what to run; only init-db/run migrate."""
    with pytest.raises(SchemaError, match="is empty.*campusdesk init-db"):
        require_current(db, ROME)
    assert current_version(db) == 0
    migrate(db, target=4)
    with pytest.raises(SchemaError, match="version 4; this release needs"):
        require_current(db, ROME)
    migrate(db, zone=ZoneInfo("UTC"))
    with pytest.raises(SchemaError, match="counted in the time zone UTC"):
        require_current(db, ROME)
    migrate(db, zone=ROME)
    assert require_current(db, ROME) == LATEST


def test_api_refuses_to_start_on_an_old_schema(settings):
    from ticket_api import create_app
    from ticket_api.db import database, open_database

    db = open_database(settings)
    _reset(db)
    migrate(db, target=LATEST - 1)
    try:
        with pytest.raises(SchemaError, match="Run `campusdesk init-db`"):
            create_app(settings)
    finally:
        database.obj.close_all()
