"""Schema versions: created from nothing, upgraded step by step without losing a row."""

from __future__ import annotations

import pytest

from ticket_api.migrations import LATEST, current_version, migrate


@pytest.fixture
def db(settings):
    from ticket_api.db import database, open_database

    db = open_database(settings)
    if settings.database_url:
        db.execute_sql(
            "DROP TABLE IF EXISTS classifier_example, ticket_change, message, ticket, "
            "resolution_rollup, campusdesk_schema CASCADE"
        )
    yield db
    database.obj.close_all()


def test_fresh_database_gets_latest_schema(db):
    assert current_version(db) == 0
    assert migrate(db) == (0, LATEST)
    assert migrate(db) == (LATEST, LATEST)
    assert {"ticket", "message", "ticket_change", "classifier_example"} <= set(db.get_tables())


def test_upgrade_from_first_release_keeps_every_row(db):
    from ticket_api.models import ClassifierExample, Message, Ticket, TicketChange
    from ticket_api.timefields import utcnow

    assert migrate(db, target=1) == (0, 1)
    assert "classifier_example" not in db.get_tables()
    now = utcnow()
    ticket = Ticket.create(
        title="Old ticket",
        description="From the first release",
        category="it",
        category_confidence=0.8,
        opened_at=now,
        modified_at=now,
    )
    Message.create(ticket=ticket, body="old message", author_role="user", created_at=now)
    TicketChange.create(ticket=ticket, at=now, role="user", field="status", new_value="open")

    assert migrate(db) == (1, LATEST)
    assert [t.title for t in Ticket.select()] == ["Old ticket"]
    assert [m.body for m in Message.select()] == ["old message"]
    assert TicketChange.select().count() == 1
    ClassifierExample.create(text="new table works", category="it", created_at=now)
    indexes = {i.name for i in db.get_indexes("ticket")}
    assert "ticket_category_confidence" in indexes


def test_newer_database_is_refused(db):
    from ticket_api.models import SchemaVersion

    migrate(db)
    SchemaVersion.update(version=LATEST + 1).execute()
    try:
        with pytest.raises(RuntimeError, match="newer than this release"):
            migrate(db)
    finally:
        SchemaVersion.update(version=LATEST).execute()


def test_upgrade_backfills_resolution_rollup(db):
    from datetime import datetime, timezone

    from ticket_api.models import Ticket

    migrate(db, target=2)
    opened = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    for hours in (2, 4):
        Ticket.create(
            title="Closed before upgrade",
            description="x",
            category="it",
            status="closed",
            opened_at=opened,
            modified_at=opened,
            closed_at=datetime(2026, 3, 1, 10 + hours, tzinfo=timezone.utc),
        )
    migrate(db)
    rows = db.execute_sql("SELECT tickets, seconds FROM resolution_rollup").fetchall()
    assert [tuple(map(int, r)) for r in rows] == [(2, 6 * 3600)]


def test_upgrade_indexes_existing_tickets_for_search(db):
    from ticket_api.models import Ticket
    from ticket_api.queries import list_page
    from ticket_api.schemas import TicketListQuery
    from ticket_api.timefields import utcnow

    migrate(db, target=3)
    now = utcnow()
    Ticket.create(
        title="Radiator leaking",
        description="Water on the floor of room 4",
        category="facility",
        opened_at=now,
        modified_at=now,
    )
    migrate(db)
    items, total = list_page(TicketListQuery(q="radiat"), "helpdesk")
    assert total == 1 and items[0]["title"] == "Radiator leaking"
